#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/statement.hpp"
#include "server/store/transaction.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;
using signaal::store::test::texts;

namespace {

std::vector<std::uint8_t> file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::vector<std::uint8_t>& hay, const std::vector<std::uint8_t>& needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

} // namespace

BOOST_AUTO_TEST_SUITE(database_and_statement)

BOOST_AUTO_TEST_CASE(every_connection_is_configured) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    BOOST_TEST(texts(db, "PRAGMA journal_mode") == std::vector<std::string>{"wal"});
    BOOST_TEST(scalar(db, "PRAGMA synchronous") == 2); // FULL
    BOOST_TEST(scalar(db, "PRAGMA foreign_keys") == 1);
    BOOST_TEST(scalar(db, "PRAGMA secure_delete") == 1);
    BOOST_TEST(scalar(db, "PRAGMA busy_timeout") == 5000);

    auto ro = database::open(dir.db_path(), open_mode::read_only);
    BOOST_REQUIRE_MESSAGE(ro.has_value(), ro.error().message);
    BOOST_TEST(texts(*ro, "PRAGMA journal_mode") == std::vector<std::string>{"wal"});
    BOOST_TEST(scalar(*ro, "PRAGMA synchronous") == 2);
    BOOST_TEST(scalar(*ro, "PRAGMA foreign_keys") == 1);
    BOOST_TEST(scalar(*ro, "PRAGMA busy_timeout") == 5000);
}

BOOST_AUTO_TEST_CASE(read_only_cannot_write_and_missing_file_is_an_error) {
    temp_dir dir;
    { auto db = test::open_migrated(dir.db_path()); }
    auto ro = database::open(dir.db_path(), open_mode::read_only);
    BOOST_REQUIRE_MESSAGE(ro.has_value(), ro.error().message);
    auto s = ro->exec("INSERT INTO spent_pow VALUES (1, zeroblob(32))");
    BOOST_TEST(!s.has_value());
    BOOST_TEST(!s.error().message.empty());
    BOOST_TEST(scalar(*ro, "SELECT count(*) FROM spent_pow") == 0);

    const auto missing = dir.path() / "absent.db";
    auto none = database::open(missing, open_mode::read_only);
    BOOST_TEST(!none.has_value());
    BOOST_TEST(none.error().message.find("cannot open database") != std::string::npos);
    BOOST_TEST(!std::filesystem::exists(missing));
}

BOOST_AUTO_TEST_CASE(binds_keep_input_out_of_the_sql) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    auto st = statement::prepare(db, "SELECT ?1, typeof(?2), length(?2), typeof(?3), "
                                     "typeof(?4), typeof(?5), ?6");
    BOOST_REQUIRE(st.has_value());
    const std::string hostile = "x'); DROP TABLE reports; --";
    st->bind(1, std::string_view(hostile));
    st->bind(2, std::string_view("")); // empty text, not NULL
    st->bind(3, std::span<const std::uint8_t>());
    st->bind_blob_or_null(4, std::span<const std::uint8_t>());
    st->bind_null(5);
    st->bind(6, std::int64_t{-9'000'000'000});
    auto row = st->step();
    BOOST_REQUIRE_MESSAGE(row.has_value(), row.error().message);
    BOOST_REQUIRE(*row);
    BOOST_TEST(st->column_text(0) == hostile);
    BOOST_TEST(st->column_text(1) == "text");
    BOOST_TEST(st->column_int64(2) == 0);
    BOOST_TEST(st->column_text(3) == "blob"); // empty blob, not NULL
    BOOST_TEST(st->column_text(4) == "null");
    BOOST_TEST(st->column_text(5) == "null");
    BOOST_TEST(st->column_int64(6) == -9'000'000'000);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'reports'") == 1);

    // A bad parameter index is reported by step(), and reset() clears it.
    st->reset();
    st->bind(99, std::int64_t{1});
    auto bad = st->step();
    BOOST_TEST(!bad.has_value());
    BOOST_TEST(bad.error().message.find("bind") != std::string::npos);
    st->reset();
    auto good = st->step();
    BOOST_TEST(good.has_value());

    auto broken = statement::prepare(db, "SELEC nonsense");
    BOOST_TEST(!broken.has_value());
    BOOST_TEST(broken.error().message.find("cannot prepare") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(foreign_keys_are_enforced) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    auto s = db.exec("INSERT INTO envelopes VALUES (1, 'care', zeroblob(8), "
                     "zeroblob(80))");
    BOOST_TEST(!s.has_value());
    BOOST_TEST(s.error().message.find("FOREIGN KEY") != std::string::npos);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM envelopes") == 0);
}

BOOST_AUTO_TEST_CASE(transaction_rolls_back_unless_committed) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    {
        auto tx = transaction::begin(db, transaction::kind::immediate);
        BOOST_REQUIRE(tx.has_value());
        BOOST_REQUIRE(db.exec("INSERT INTO spent_pow VALUES (1, zeroblob(32))"));
    }
    BOOST_TEST(db.autocommit());
    BOOST_TEST(scalar(db, "SELECT count(*) FROM spent_pow") == 0);
    {
        auto tx = transaction::begin(db, transaction::kind::immediate);
        BOOST_REQUIRE(tx.has_value());
        BOOST_REQUIRE(db.exec("INSERT INTO spent_pow VALUES (1, zeroblob(32))"));
        BOOST_REQUIRE(tx->commit());
        BOOST_TEST(!tx->commit().has_value());
    }
    BOOST_TEST(scalar(db, "SELECT count(*) FROM spent_pow") == 1);
}

// secure_delete=ON: a deleted report's bytes do not linger in the file.
BOOST_AUTO_TEST_CASE(deleted_content_is_zeroed) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    const std::vector<std::uint8_t> marker = [] {
        std::vector<std::uint8_t> m(600);
        for (std::size_t i = 0; i < m.size(); ++i) {
            m[i] = static_cast<std::uint8_t>(0xA5 ^ (i * 7));
        }
        return m;
    }();
    auto ins = statement::prepare(db, "INSERT INTO reports (id, received_day, role, category, "
                                      "consent, desks, ciphertext) "
                                      "VALUES (zeroblob(16), 19723, 'r', 'c', '', '', ?1)");
    BOOST_REQUIRE(ins.has_value());
    ins->bind(1, marker);
    BOOST_REQUIRE(ins->run());
    BOOST_REQUIRE(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    BOOST_TEST(contains(file_bytes(dir.db_path()), marker)); // control: it was on disk

    BOOST_REQUIRE(db.exec("DELETE FROM reports"));
    BOOST_REQUIRE(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    BOOST_TEST(!contains(file_bytes(dir.db_path()), marker));
    BOOST_TEST(!contains(file_bytes(dir.path() / "signaal.db-wal"), marker));
}

// Whatever the umask, only the owner may read the database, its WAL and shm.
BOOST_AUTO_TEST_CASE(files_are_owner_only_whatever_the_umask) {
    temp_dir dir;
    const mode_t saved = ::umask(0);
    {
        auto db = test::open_migrated(dir.db_path());
        BOOST_REQUIRE(db.exec("INSERT INTO spent_pow VALUES (1, zeroblob(32))"));
        for (const char* name : {"signaal.db", "signaal.db-wal", "signaal.db-shm"}) {
            const auto perms = std::filesystem::status(dir.path() / name).permissions();
            BOOST_TEST_CONTEXT(name) {
                BOOST_TEST((perms == (std::filesystem::perms::owner_read |
                                      std::filesystem::perms::owner_write)));
            }
        }
    }
    // A file made readable by others (an older version, a copy) is closed again on open.
    std::filesystem::permissions(dir.db_path(), std::filesystem::perms::all);
    {
        auto db = database::open(dir.db_path(), open_mode::read_write_create);
        BOOST_REQUIRE(db.has_value());
        BOOST_TEST((std::filesystem::status(dir.db_path()).permissions() ==
                    (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));
    }
    ::umask(saved);
}

BOOST_AUTO_TEST_CASE(data_dir_is_owner_only) {
    temp_dir dir;
    const mode_t saved = ::umask(0);
    const auto fresh = dir.path() / "new" / "data";
    signaal::store::prepare_data_dir(fresh);
    BOOST_TEST((std::filesystem::status(fresh).permissions() == std::filesystem::perms::owner_all));
    const auto open_one = dir.path() / "made-by-someone";
    std::filesystem::create_directory(open_one);
    std::filesystem::permissions(open_one, std::filesystem::perms::all);
    signaal::store::prepare_data_dir(open_one);
    BOOST_TEST(
        (std::filesystem::status(open_one).permissions() == std::filesystem::perms::owner_all));
    ::umask(saved);
}

BOOST_AUTO_TEST_SUITE_END()
