// The read pool: a read runs on a pool thread with its own connection and the
// awaiting coroutine resumes on its own executor with the value.
#include "server/store/read_pool.hpp"
#include "server/store/statement.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <thread>

using namespace signaal::store;
namespace net = boost::asio;

BOOST_AUTO_TEST_SUITE(read_pool_suite)

BOOST_AUTO_TEST_CASE(a_read_runs_elsewhere_and_resumes_on_the_strand) {
    test::temp_dir dir;
    {
        auto db = test::open_migrated(dir.db_path());
        BOOST_REQUIRE(db.exec("INSERT INTO desk_keys (desk, key_id, public_key, added_day) "
                              "VALUES ('care', zeroblob(8), zeroblob(32), '2024-05-17')"));
    }
    auto pool = read_pool::open(dir.db_path(), 2);
    BOOST_REQUIRE_MESSAGE(pool.has_value(), pool.error().message);

    net::io_context ioc;
    auto strand = net::make_strand(ioc);
    std::thread::id caller, reader, resumed;
    std::int64_t count = -1;
    net::co_spawn(
        strand,
        [&]() -> net::awaitable<void> {
            caller = std::this_thread::get_id();
            count = co_await (*pool)->run([&](database& db) {
                reader = std::this_thread::get_id();
                auto st = statement::prepare(db, "SELECT count(*) FROM desk_keys");
                (void)st->step();
                return st->column_int64(0);
            });
            resumed = std::this_thread::get_id();
            BOOST_TEST(strand.running_in_this_thread());
        },
        [](std::exception_ptr e) {
            if (e) {
                std::rethrow_exception(e);
            }
        });
    ioc.run();
    BOOST_TEST(count == 1);
    BOOST_TEST((reader != caller));
    BOOST_TEST((resumed == caller));
}

BOOST_AUTO_TEST_CASE(a_missing_database_is_a_clear_error) {
    test::temp_dir dir;
    auto pool = read_pool::open(dir.path() / "absent.db", 1);
    BOOST_TEST(!pool.has_value());
}

BOOST_AUTO_TEST_CASE(no_threads_is_refused) {
    test::temp_dir dir;
    (void)test::open_migrated(dir.db_path());
    BOOST_TEST(!read_pool::open(dir.db_path(), 0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
