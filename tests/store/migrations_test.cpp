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
    BOOST_REQUIRE_MESSAGE(db.has_value(), db.error().message);
    BOOST_TEST(*db->user_version() == 0);
    BOOST_TEST(tables(*db).empty());

    auto first = migrate(*db);
    BOOST_REQUIRE_MESSAGE(first.has_value(), first.error().message);
    BOOST_TEST(*first == latest_schema_version());
    BOOST_TEST(*db->user_version() == latest_schema_version());
    BOOST_TEST(tables(*db).count("reports") == 1);

    // Data survives a second run, which applies nothing (it would fail on CREATE TABLE).
    BOOST_REQUIRE(db->exec("INSERT INTO spent_pow VALUES (42, zeroblob(32))"));
    auto second = migrate(*db);
    BOOST_REQUIRE_MESSAGE(second.has_value(), second.error().message);
    BOOST_TEST(*second == latest_schema_version());
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM spent_pow") == 1);

    // And from another connection, after a reopen.
    auto again = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(again.has_value());
    auto third = migrate(*again);
    BOOST_REQUIRE_MESSAGE(third.has_value(), third.error().message);
    BOOST_TEST(*third == latest_schema_version());
}

BOOST_AUTO_TEST_CASE(newer_database_is_refused_and_untouched) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.has_value());
    const std::int64_t newer = latest_schema_version() + 6;
    const std::string set = "PRAGMA user_version=" + std::to_string(newer);
    BOOST_REQUIRE(db->exec(set.c_str()));

    auto r = migrate(*db);
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().message ==
               "database schema " + std::to_string(newer) + " is newer than this binary (schema " +
                   std::to_string(latest_schema_version()) + "); upgrade signaal");
    BOOST_TEST(*db->user_version() == newer);
    BOOST_TEST(tables(*db).empty());
}

BOOST_AUTO_TEST_CASE(failed_migration_changes_nothing) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.has_value());
    // A stray table makes migration 1 fail part way (after desk_keys, reports, ...).
    BOOST_REQUIRE(db->exec("CREATE TABLE events (x)"));

    auto r = migrate(*db);
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().message.find("migration 1 (initial) failed") != std::string::npos);
    BOOST_TEST(*db->user_version() == 0);
    BOOST_TEST((tables(*db) == std::set<std::string>{"events"}));
}

// Schema 2 on a database made by schema 1 with rows in it: every row is kept,
// days become integers, reports get their order of arrival as `no`, events are
// numbered within each desk, and spent tokens keep a day instead of a second.
BOOST_AUTO_TEST_CASE(schema_1_database_with_rows_migrates_to_2) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.has_value());
    const std::string schema_1(embedded_migrations()[0].sql);
    BOOST_REQUIRE(db->exec(schema_1.c_str()));
    BOOST_REQUIRE(db->exec("PRAGMA user_version=1"));
    // Two routed reports and a count-only one, as schema 1's writer stored them.
    BOOST_REQUIRE(db->exec(
        "INSERT INTO reports VALUES (x'BB000000000000000000000000000000', '2024-05-17', "
        "'sex_worker', 'violence', 'care,police', 'care,police', x'01', x'02', x'03', x'04');"
        "INSERT INTO reports VALUES (x'AA000000000000000000000000000000', '2024-05-18', "
        "'peer_expert', 'health', 'police', '', NULL, NULL, NULL, NULL);"
        "INSERT INTO reports VALUES (x'CC000000000000000000000000000000', '2024-05-19', "
        "'sex_worker', 'violence', 'care', 'care', x'05', x'06', NULL, NULL);"
        "INSERT INTO envelopes VALUES (x'BB000000000000000000000000000000', 'care', "
        "zeroblob(8), zeroblob(80));"
        "INSERT INTO envelopes VALUES (x'BB000000000000000000000000000000', 'police', "
        "zeroblob(8), zeroblob(80));"
        "INSERT INTO envelopes VALUES (x'CC000000000000000000000000000000', 'care', "
        "zeroblob(8), zeroblob(80));"
        "INSERT INTO report_desks VALUES (x'BB000000000000000000000000000000', 'care', "
        "'closed', '2024-05-20');"
        "INSERT INTO report_desks VALUES (x'BB000000000000000000000000000000', 'police', "
        "'new', '2024-05-17');"
        "INSERT INTO report_desks VALUES (x'CC000000000000000000000000000000', 'care', "
        "'acknowledged', '2024-05-21');"
        "INSERT INTO events (desk, report_id, kind) VALUES "
        "('care', x'BB000000000000000000000000000000', 'report'),"
        "('police', x'BB000000000000000000000000000000', 'report'),"
        "('care', x'CC000000000000000000000000000000', 'report'),"
        "('care', x'BB000000000000000000000000000000', 'status');"
        "INSERT INTO spent_pow VALUES (zeroblob(32), 1716000000);"));

    auto migrated = migrate(*db);
    BOOST_REQUIRE_MESSAGE(migrated.has_value(), migrated.error().message);
    BOOST_TEST(*migrated == latest_schema_version());

    BOOST_TEST(texts(*db,
                     "SELECT no || ' ' || hex(id) || ' ' || received_day || ' ' || consent "
                     "|| ' ' || desks || ' ' || ifnull(nullif(hex(ciphertext), ''), '-') || ' ' || "
                     "ifnull(nullif(hex(reply_box_pk), ''), '-') FROM reports ORDER BY no") ==
               (std::vector<std::string>{
                   "1 BB000000000000000000000000000000 19860 care,police care,police 02 03",
                   "2 AA000000000000000000000000000000 19861 police  - -",
                   "3 CC000000000000000000000000000000 19862 care care 06 -"}));
    BOOST_TEST(texts(*db, "SELECT report_no || ' ' || desk FROM envelopes") ==
               (std::vector<std::string>{"1 care", "1 police", "3 care"}));
    BOOST_TEST(
        texts(*db, "SELECT report_no || ' ' || desk || ' ' || status || ' ' || status_day "
                   "|| ' ' || coalesce(ack_day, '-') || ' ' || coalesce(closed_day, '-') "
                   "FROM report_desks") ==
        (std::vector<std::string>{"1 care closed 19863 19863 19863", "1 police new 19860 - -",
                                  "3 care acknowledged 19864 19864 -"}));
    BOOST_TEST(texts(*db, "SELECT desk || ' ' || seq || ' ' || report_no || ' ' || kind "
                          "FROM events ORDER BY desk, seq") ==
               (std::vector<std::string>{"care 1 1 report", "care 2 3 report", "care 3 1 status",
                                         "police 1 1 report"}));
    // 1716000000 is 2024-05-18 02:40:00 UTC: kept until the next day, not the second.
    BOOST_TEST(texts(*db, "SELECT forget_day || ' ' || hex(token_hash) FROM spent_pow") ==
               (std::vector<std::string>{"19862 " + std::string(64, '0')}));
    // Append-only: a rowid table with no key or index on the random hash.
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM pragma_index_list('spent_pow')") == 0);
    for (const std::string table : {"desk_keys", "reports", "envelopes", "report_desks", "events",
                                    "spent_pow", "sqlite_sequence"}) {
        BOOST_TEST(tables(*db).count(table) == 1u);
    }
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%_v1%'") == 0);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

// Schema 6 on a database with reports: messages and their envelopes go with
// their report, and two reports cannot share reply keys (PROTOCOL.md §7).
BOOST_AUTO_TEST_CASE(schema_6_messages_cascade_and_reply_keys_are_unique) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    BOOST_REQUIRE(db.exec(
        "INSERT INTO reports (no, id, received_day, role, category, consent, desks, "
        "reply_box_pk, reply_mailbox_pk) VALUES "
        "(1, zeroblob(16), 20000, 'r', 'c', 'care', 'care', x'01', x'02'),"
        "(2, x'01000000000000000000000000000000', 20000, 'r', 'c', '', '', NULL, NULL),"
        "(3, x'02000000000000000000000000000000', 20000, 'r', 'c', '', '', NULL, NULL);"
        "INSERT INTO messages VALUES (1, zeroblob(16), 1, 20001, 'reporter', 'care,reporter', "
        "zeroblob(24), zeroblob(40), zeroblob(64));"
        "INSERT INTO message_envelopes VALUES (1, 'care', zeroblob(8), zeroblob(80), NULL, NULL),"
        "(1, 'reporter', NULL, zeroblob(80), NULL, NULL);"));
    // The same box_pk or mailbox_pk again is refused; more reports without keys are not.
    BOOST_TEST(!db.exec("UPDATE reports SET reply_box_pk = x'01' WHERE no = 2"));
    BOOST_TEST(!db.exec("UPDATE reports SET reply_mailbox_pk = x'02' WHERE no = 3"));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM reports WHERE reply_box_pk IS NULL") == 2);
    // A message keeps a day, and a signature only of its exact size.
    BOOST_TEST(!db.exec("INSERT INTO messages VALUES (2, x'01000000000000000000000000000000', "
                        "1, 20001, 'reporter', 'care', zeroblob(24), zeroblob(40), zeroblob(63))"));
    BOOST_REQUIRE(db.exec("DELETE FROM reports WHERE no = 1"));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM messages") == 0);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM message_envelopes") == 0);
}

BOOST_AUTO_TEST_CASE(schema_7_consent_changes_are_numbered_per_report_and_cascade) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    BOOST_REQUIRE(
        db.exec("INSERT INTO reports (no, id, received_day, role, category, consent, desks) VALUES "
                "(1, zeroblob(16), 20000, 'r', 'c', 'care', 'care'),"
                "(2, x'01000000000000000000000000000000', 20000, 'r', 'c', 'care', 'care');"
                "INSERT INTO consent_changes VALUES (1, 1, 20001, 'police', '', zeroblob(64)),"
                "(2, 1, 20001, '', 'care', zeroblob(64));"
                "INSERT INTO pending_desks VALUES (1, 'police');"));
    // One change per number and report; a number from 1; a signature of its exact size.
    BOOST_TEST(!db.exec("INSERT INTO consent_changes VALUES (1, 1, 20002, 'x', '', zeroblob(64))"));
    BOOST_TEST(!db.exec("INSERT INTO consent_changes VALUES (1, 0, 20002, 'x', '', zeroblob(64))"));
    BOOST_TEST(!db.exec("INSERT INTO consent_changes VALUES (1, 2, 20002, 'x', '', zeroblob(63))"));
    BOOST_TEST(!db.exec("INSERT INTO pending_desks VALUES (1, 'police')"));
    BOOST_REQUIRE(db.exec("DELETE FROM reports WHERE no = 1"));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM consent_changes") == 1);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM pending_desks") == 0);
}

// PROTOCOL.md §1: no time of day for anything a reporter does. Every column of
// every table is listed here; a new column must be added on purpose.
BOOST_AUTO_TEST_CASE(no_time_of_day_columns) {
    temp_dir dir;
    auto db = test::open_migrated(dir.db_path());
    const std::map<std::string, std::set<std::string>> expected = {
        {"desk_keys", {"key_id", "desk", "public_key", "added_day", "accept_until"}},
        {"reports",
         {"no", "id", "received_day", "role", "category", "consent", "desks", "nonce", "ciphertext",
          "reply_box_pk", "reply_mailbox_pk", "withdrawn_day"}},
        {"envelopes", {"report_no", "desk", "key_id", "sealed"}},
        {"report_desks", {"report_no", "desk", "status", "status_day", "ack_day", "closed_day"}},
        {"events", {"desk", "seq", "report_no", "kind"}},
        {"spent_pow", {"forget_day", "token_hash"}},
        {"staff", {"id", "role", "sign_pk", "box_pk", "disabled", "added_day"}},
        {"staff_desks", {"staff", "desk"}},
        {"audit", {"day", "staff", "action", "report_id"}},
        {"desks", {"id"}},
        {"desk_named_holders", {"desk", "staff"}},
        {"desk_key_grants", {"key_id", "to_staff", "wrapped", "by_staff", "signature"}},
        {"sqlite_sequence", {"name", "seq"}}, // left over from schema 1's AUTOINCREMENT
        {"stats_quarters", {"quarter", "k"}},
        {"stats_cells", {"quarter", "position", "table_name", "desk", "cell", "count"}},
        {"messages",
         {"no", "id", "report_no", "day", "sender", "recipients", "nonce", "ciphertext",
          "signature"}},
        {"message_envelopes", {"message_no", "recipient", "key_id", "sealed", "nonce", "box"}},
        {"consent_changes", {"report_no", "change_no", "day", "added", "removed", "signature"}},
        {"pending_desks", {"report_no", "desk"}},
    };
    std::map<std::string, std::set<std::string>> actual;
    for (const auto& table : tables(db)) {
        auto st = statement::prepare(db, "SELECT name, type FROM pragma_table_info(?1)");
        BOOST_REQUIRE(st.has_value());
        st->bind(1, std::string_view(table));
        for (;;) {
            auto row = st->step();
            BOOST_REQUIRE_MESSAGE(row.has_value(), row.error().message);
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
