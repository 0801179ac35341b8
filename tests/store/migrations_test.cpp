#include "server/store/migrations.hpp"
#include "server/store/statement.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;
using signaal::store::test::texts;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::set<std::string> tables(database& db) {
    auto names = texts(db, "SELECT name FROM sqlite_schema WHERE type = 'table'");
    return {names.begin(), names.end()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(embedded_files_are_the_schema_folder_in_order) {
    const auto all = embedded_migrations();
    BOOST_REQUIRE(!all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        BOOST_TEST(all[i].version == static_cast<std::int64_t>(i + 1));
    }
    BOOST_TEST(latest_schema_version() == all.back().version);
    BOOST_TEST(all[0].name == "initial");
    const std::string on_disk =
        read_file(std::filesystem::path(SIGNAAL_SOURCE_DIR) / "schema" / "001_initial.sql");
    BOOST_TEST(std::string(all[0].sql) == on_disk);
}

BOOST_AUTO_TEST_CASE(apply_once_and_idempotent) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE_MESSAGE(db.ok(), db.error_message());
    BOOST_TEST(*db->user_version() == 0);
    BOOST_TEST(tables(*db).empty());

    auto first = migrate(*db);
    BOOST_REQUIRE_MESSAGE(first.ok(), first.error_message());
    BOOST_TEST(*first == latest_schema_version());
    BOOST_TEST(*db->user_version() == latest_schema_version());
    BOOST_TEST(tables(*db).count("reports") == 1);

    // Data survives a second run, which applies nothing (it would fail on CREATE TABLE).
    BOOST_REQUIRE(db->exec("INSERT INTO spent_pow VALUES (zeroblob(32), 42)"));
    auto second = migrate(*db);
    BOOST_REQUIRE_MESSAGE(second.ok(), second.error_message());
    BOOST_TEST(*second == latest_schema_version());
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM spent_pow") == 1);

    // And from another connection, after a reopen.
    auto again = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(again.ok());
    auto third = migrate(*again);
    BOOST_REQUIRE_MESSAGE(third.ok(), third.error_message());
    BOOST_TEST(*third == latest_schema_version());
}

BOOST_AUTO_TEST_CASE(newer_database_is_refused_and_untouched) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.ok());
    const std::int64_t newer = latest_schema_version() + 6;
    const std::string set = "PRAGMA user_version=" + std::to_string(newer);
    BOOST_REQUIRE(db->exec(set.c_str()));

    auto r = migrate(*db);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error_message() ==
               "database schema " + std::to_string(newer) + " is newer than this binary (schema " +
                   std::to_string(latest_schema_version()) + "); upgrade signaal");
    BOOST_TEST(*db->user_version() == newer);
    BOOST_TEST(tables(*db).empty());
}

BOOST_AUTO_TEST_CASE(failed_migration_changes_nothing) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.ok());
    // A stray table makes migration 1 fail part way (after desk_keys, reports, ...).
    BOOST_REQUIRE(db->exec("CREATE TABLE events (x)"));

    auto r = migrate(*db);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error_message().find("migration 1 (initial) failed") != std::string::npos);
    BOOST_TEST(*db->user_version() == 0);
    BOOST_TEST((tables(*db) == std::set<std::string>{"events"}));
}

// PROTOCOL.md §1: no time of day for anything a reporter does. Every column of
// every table is listed here; a new column must be added on purpose.
BOOST_AUTO_TEST_CASE(no_time_of_day_columns) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    const std::map<std::string, std::set<std::string>> expected = {
        {"desk_keys", {"key_id", "desk", "public_key", "added_day", "accept_until"}},
        {"reports",
         {"id", "received_day", "role", "category", "consent", "desks", "nonce", "ciphertext",
          "reply_box_pk", "reply_mailbox_pk"}},
        {"envelopes", {"report_id", "desk", "key_id", "sealed"}},
        {"report_desks", {"report_id", "desk", "status", "status_day"}},
        {"events", {"seq", "desk", "report_id", "kind"}},
        {"spent_pow", {"token_hash", "expires"}},
        {"sqlite_sequence", {"name", "seq"}}, // AUTOINCREMENT bookkeeping of events
    };
    std::map<std::string, std::set<std::string>> actual;
    for (const auto& table : tables(db)) {
        auto st = statement::prepare(db, "SELECT name, type FROM pragma_table_info(?1)");
        BOOST_REQUIRE(st.ok());
        st->bind(1, std::string_view(table));
        for (;;) {
            auto row = st->step();
            BOOST_REQUIRE_MESSAGE(row.ok(), row.error_message());
            if (!*row) {
                break;
            }
            actual[table].insert(st->column_text(0));
            const std::string type = st->column_text(1);
            BOOST_TEST_CONTEXT(table << "." << st->column_text(0)) {
                BOOST_TEST(type.find("TIME") == std::string::npos);
                BOOST_TEST(type.find("DATE") == std::string::npos);
            }
        }
    }
    BOOST_TEST((actual == expected));
    for (const auto& [table, columns] : actual) {
        for (const auto& c : columns) {
            BOOST_TEST_CONTEXT(table << "." << c) {
                BOOST_TEST(c.find("time") == std::string::npos);
                BOOST_TEST(c.find("hour") == std::string::npos);
                BOOST_TEST(c.find("created") == std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
