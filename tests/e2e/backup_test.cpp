// signaal-admin backup while clients keep submitting, then restore: every report
// acknowledged before the backup began is in the restored database, and opens.
#include "crypto/base64url.hpp"
#include "tests/e2e/admin_runner.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/support/report_reader.hpp"

#include <atomic>
#include <mutex>
#include <thread>

using namespace signaal;
using namespace signaal::testing;

namespace {

/// Reports acknowledged so far, in the order the 201s came back.
struct acknowledged {
    std::mutex mutex;
    std::condition_variable grew;
    std::vector<std::string> ids;

    void add(std::string id) {
        std::lock_guard lock(mutex);
        ids.push_back(std::move(id));
        grew.notify_all();
    }
    std::vector<std::string> wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        grew.wait(lock, [&] { return ids.size() >= n; });
        return ids;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(a_backup_under_load_restores_every_acknowledged_report) {
    test_instance source;
    source.start();
    acknowledged acked;
    std::atomic<bool> backup_done{false};
    std::atomic<int> after_backup{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c) {
        clients.emplace_back([&, c] {
            auto client = source.client();
            // Keep submitting until the backup is done and a few more went in after it.
            for (int i = 0; !backup_done || after_backup < 6; ++i) {
                const auto reply =
                    source.submit(client, sealed_report(source, {"care"},
                                                        "client " + std::to_string(c) + " #" +
                                                            std::to_string(i)));
                BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
                acked.add(std::string(parse_body(reply).at("id").as_string()));
                if (backup_done) {
                    ++after_backup;
                }
            }
        });
    }
    const auto before = acked.wait_for(12); // the load is running
    const auto backup_file = source.dir() / "backup.db";
    const auto [code, out] = run_admin(source, {"backup", backup_file.string()});
    backup_done = true;
    for (auto& t : clients) {
        t.join();
    }
    BOOST_TEST_REQUIRE(code == 0, out);
    BOOST_TEST(out.find("backup written to") != std::string::npos);
    BOOST_TEST(!std::filesystem::exists(backup_file.string() + "-wal"));
    const auto mode =
        std::filesystem::status(backup_file).permissions() & std::filesystem::perms::all;
    BOOST_TEST(
        (mode == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));

    test_instance target; // its own data dir, never started
    const auto [restore_code, restored] = run_admin(target, {"restore", backup_file.string()});
    BOOST_TEST_REQUIRE(restore_code == 0, restored);
    auto reader = report_reader::open(target.database());
    BOOST_REQUIRE(reader);
    for (const auto& id : before) {
        auto found = reader->find(crypto::base64url_decode(id).value());
        BOOST_REQUIRE(found);
        BOOST_REQUIRE_MESSAGE(found->has_value(), "acknowledged before the backup, missing: " + id);
        BOOST_TEST(open_report(**found, "care", source.key("care")).has_value());
    }
    // The copy is one snapshot: it may hold reports from during the backup, never more
    // than were acknowledged in all.
    const auto count = reader->count();
    BOOST_REQUIRE(count);
    BOOST_TEST(static_cast<std::size_t>(*count) >= before.size());
    BOOST_TEST(static_cast<std::size_t>(*count) <= acked.wait_for(0).size());
    BOOST_TEST(source.stop() == 0);
}

BOOST_AUTO_TEST_CASE(restore_refuses_while_the_server_runs_and_changes_nothing) {
    test_instance source;
    source.start();
    auto client = source.client();
    BOOST_REQUIRE(source.submit(client, sealed_report(source, {"care"}, "kept")).status == 201u);
    const auto backup_file = source.dir() / "backup.db";
    BOOST_TEST_REQUIRE(run_admin(source, {"backup", backup_file.string()}).first == 0);
    BOOST_REQUIRE(source.submit(client, sealed_report(source, {"care"}, "newer")).status == 201u);

    const auto [code, out] = run_admin(source, {"restore", backup_file.string()});
    BOOST_TEST(code == 1);
    BOOST_TEST(count_rows(source.database(), "reports") == 2); // the newer report is still there
    BOOST_TEST(source.stop() == 0);
    // Stopped, the same restore goes through and the database holds the backup's one report.
    BOOST_TEST_REQUIRE(run_admin(source, {"restore", backup_file.string()}).first == 0);
    BOOST_TEST(count_rows(source.database(), "reports") == 1);
    source.start(); // and the server starts on it
    BOOST_TEST(source.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_second_server_on_the_same_data_dir_is_refused) {
    test_instance instance;
    instance.start();
    const auto [code, out] =
        run_program({SIGNAAL_SERVER_BIN, "--config", (instance.dir() / "signaal.toml").string()});
    BOOST_TEST(code != 0);
    BOOST_TEST(out.find("a signaal-server is running on") != std::string::npos, out);
    BOOST_TEST(instance.stop() == 0);
}
