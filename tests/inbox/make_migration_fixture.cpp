// make_migration_fixture OUT: a database made by this build's own programs
// (signaal-admin demo and stats, signaal-server; a reporter submitting and
// writing as the phone pages do, a caseworker signed in with the demo's key
// file replying and changing statuses as the inbox does), for the test that migrates a database of
// the previous schema (tests/store/migration_fixture_test.cpp). Writes OUT/signaal.db (VACUUMed),
// OUT/keys/desk-<id>.json (the demo's desk keys, to decrypt with) and OUT/expected.json (every
// report's text and the row counts). Run it with scripts/make-migration-fixture.sh at the commit
// whose schema it stands for.
#include "tests/inbox/child_process.hpp"
#include "tests/inbox/demo_instance.hpp"
#include "tests/support/reporter_mailbox.hpp"
#include "tests/support/staff_member.hpp"
#include "tools/common/key_files.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

using namespace signaal;
using namespace signaal::inbox_test;

namespace {

void require(bool ok, const std::string& what, const std::string& detail = {}) {
    if (!ok) {
        throw std::runtime_error(what + (detail.empty() ? "" : ": " + detail));
    }
}

void require_ok(const run_result& r, const std::string& what) {
    require(r.exit_code == 0, what, r.out + r.err);
}

std::int64_t scalar(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    require(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK,
            "open " + db_file.string());
    sqlite3_stmt* st = nullptr;
    require(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK, sql,
            sqlite3_errmsg(db));
    require(sqlite3_step(st) == SQLITE_ROW, sql);
    const auto value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return value;
}

/// A compact copy of the database (no free pages, no WAL).
void vacuum_into(const std::filesystem::path& from, const std::filesystem::path& to) {
    sqlite3* db = nullptr;
    require(sqlite3_open_v2(from.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK,
            "open " + from.string());
    const auto sql = "VACUUM INTO '" + to.string() + "'";
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string why = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    require(rc == SQLITE_OK, sql, why);
}

} // namespace

int main(int argc, char** argv) try {
    if (argc != 2) {
        std::cerr << "usage: make_migration_fixture OUT (a new folder)\n";
        return 2;
    }
    const std::filesystem::path out = std::filesystem::absolute(argv[1]);
    require(!std::filesystem::exists(out), out.string() + " exists already");

    demo_instance demo;
    demo.start();
    const auto keys = demo.desk_keys();
    const auto source = demo.config().parent_path();
    testing::https_client c("127.0.0.1", demo.port(), demo.certificate());
    // The demo's caseworker of care, from its key file.
    auto staff_file = key_files::read_staff_key(source / "keys" / "staff-care-demo.json");
    require(staff_file.has_value(), "the demo's staff key file");
    testing::staff_member care;
    care.id = "care-demo";
    care.desks = {"care"};
    care.sign.public_key = staff_file->key.sign_pk;
    care.sign.secret_key = std::move(staff_file->key.sign_sk);
    const auto token = testing::signed_in_token(c, care, demo.url());
    auto care_key_file = key_files::read_desk_key(source / "keys" / "desk-care.json");
    require(care_key_file.has_value(), "the demo's care key file");
    testing::desk_keypair care_key;
    care_key.public_key = keys.at("care").public_key;
    care_key.key_id = keys.at("care").key_id;
    care_key.secret_key = std::move(care_key_file->key.secret_key);

    // Reports: with and without a mailbox, to one desk and to several.
    testing::reporter_mailbox her;
    testing::reporter_mailbox him;
    const std::vector<std::pair<std::vector<std::string>, std::string>> plan{
        {{"care", "police"}, "Fixture one: he took my phone."},
        {{"care"}, "Fixture two: the client did not pay."},
        {{"care", "municipality"}, "Fixture three: the landlord threatens me."},
        {{"police"}, "Fixture four: for the police only."},
        {{"care", "municipality", "police"},
         "Fixture five: caf\xc3\xa9, \xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa and "
         "\"quotes\"."},
    };
    json::object reports;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const auto* mailbox = i == 0 ? &her : i == 1 ? &him : nullptr;
        ids.push_back(demo.submit(plan[i].first, plan[i].second, mailbox));
        json::array desks;
        for (const auto& d : plan[i].first) {
            desks.emplace_back(d);
        }
        reports[ids.back()] = json::object{{"text", plan[i].second}, {"consent", desks}};
    }

    // Messages both ways (care opens the report first, as the inbox does), and statuses.
    const auto opened = testing::with_token(c, "GET", "/api/v1/reports/" + ids[0], token);
    require(opened.status == 200, "care opens report one", opened.body);
    const auto replied = testing::with_token(
        c, "POST", "/api/v1/reports/" + ids[0] + "/messages", token,
        json::serialize(testing::desk_reply(ids[0], "care", care_key, her.keys().box.public_key,
                                            "Where did it happen?", 1)));
    require(replied.status == 201, "care replies", replied.body);
    require(her.sign_in(c, demo.url()).status == 200, "her sign-in");
    const auto sent =
        her.send(c, her.message_to(ids[0], {{"care", &keys.at("care")}}, "At the station.", 1));
    require(sent.status == 201, "her message", sent.body);
    const std::vector<std::pair<std::size_t, std::string>> statuses{
        {0, "acknowledged"}, {1, "closed"}, {2, "in_progress"}};
    for (const auto& [i, status] : statuses) {
        const auto changed = testing::with_token(
            c, "POST", "/api/v1/reports/" + ids[i] + "/status", token,
            json::serialize(json::object{{"desk", "care"}, {"status", status}}));
        require(changed.status == 200, "status " + status, changed.body);
    }

    // A frozen quarter: three reports moved into 2025-Q1 (received_day is not in
    // the AD, so they still open), which the operator's stats command freezes.
    demo.sql("UPDATE reports SET received_day = 20103 WHERE no IN (3, 4, 5)"); // 2025-01-15
    require_ok(demo.operator_runs({"stats", "--from", "2025-Q1", "--to", "2025-Q1"}), "stats");
    demo.stop();

    std::filesystem::create_directories(out / "keys");
    vacuum_into(source / "signaal.db", out / "signaal.db");
    for (const auto& entry : std::filesystem::directory_iterator(source / "keys")) {
        const auto name = entry.path().filename().string();
        if (name.rfind("desk-", 0) == 0) {
            std::filesystem::copy_file(entry.path(), out / "keys" / name);
        }
    }
    const auto db = out / "signaal.db";
    json::object counts;
    for (const char* table : {"reports", "envelopes", "report_desks", "events", "messages",
                              "message_envelopes", "staff", "staff_desks", "desks", "desk_keys",
                              "desk_key_grants", "audit", "stats_quarters", "stats_cells"}) {
        counts[table] = scalar(db, std::string("SELECT count(*) FROM ") + table);
    }
    const json::object expected{
        {"schema", scalar(db, "PRAGMA user_version")}, {"reports", reports}, {"counts", counts}};
    std::ofstream(out / "expected.json") << json::serialize(expected) << "\n";
    std::cout << "wrote " << out.string() << " (schema " << scalar(db, "PRAGMA user_version")
              << ", " << ids.size() << " reports)\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "make_migration_fixture: " << e.what() << "\n";
    return 1;
}
