#define BOOST_TEST_MODULE migration_fixture_test
// A database made by the previous schema's own programs (tests/data/migration/
// schema-N, scripts/make-migration-fixture.sh) migrates to this binary's
// schema, whatever that is now: every report still opens with its desks' keys
// to exactly the text that was sent, and every count is what it was.
#include "server/json/json.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"
#include "server/store/statement.hpp"
#include "tests/store/temp_dir.hpp"
#include "tests/support/report_builder.hpp"
#include "tests/support/report_reader.hpp"
#include "tools/common/key_files.hpp"

#include "crypto/base64url.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace signaal;

namespace {

const fs::path fixtures = fs::path(SIGNAAL_TEST_DATA_DIR) / "migration";

json::value read_json(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = json::parse(text.str());
    BOOST_REQUIRE_MESSAGE(doc.has_value(), file.string() + " is not JSON");
    return *doc;
}

std::int64_t scalar(store::database& db, const std::string& sql) {
    auto st = store::statement::prepare(db, sql);
    BOOST_REQUIRE_MESSAGE(st.has_value(), sql);
    auto row = st->step();
    BOOST_REQUIRE(row.has_value() && *row);
    return st->column_int64(0);
}

/// The fixture folders, oldest schema first.
std::vector<fs::path> fixture_dirs() {
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(fixtures)) {
        if (entry.is_directory()) {
            dirs.push_back(entry.path());
        }
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

} // namespace

BOOST_AUTO_TEST_CASE(the_previous_schemas_database_migrates_and_every_report_still_opens) {
    const auto dirs = fixture_dirs();
    BOOST_REQUIRE(!dirs.empty());
    for (const auto& fixture : dirs) {
        BOOST_TEST_CONTEXT(fixture.filename().string()) {
            const auto expected = read_json(fixture / "expected.json");
            store::test::temp_dir tmp;
            const auto data = tmp.path() / "data";
            fs::create_directories(data);
            fs::copy_file(fixture / "signaal.db", store::database_file(data));
            {
                auto db =
                    store::database::open(store::database_file(data), store::open_mode::read_only)
                        .value();
                BOOST_TEST(scalar(db, "PRAGMA user_version") == expected.at("schema").as_int64());
                BOOST_TEST(expected.at("schema").as_int64() <= store::latest_schema_version());
            }

            // As the server and signaal-admin do on start.
            const auto path = store::migrated_database(data);
            auto db = store::database::open(path, store::open_mode::read_only).value();
            BOOST_TEST(scalar(db, "PRAGMA user_version") == store::latest_schema_version());
            BOOST_TEST(scalar(db, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                  "integrity_check <> 'ok'") == 0);
            BOOST_TEST(scalar(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
            for (const auto& [table, count] : expected.at("counts").as_object()) {
                BOOST_TEST_CONTEXT(std::string(table)) {
                    BOOST_TEST(scalar(db, "SELECT count(*) FROM " + std::string(table)) ==
                               count.as_int64());
                }
            }

            // Every report opens for every desk it was sent to, to exactly its text.
            std::map<std::string, testing::desk_keypair> keys;
            for (const auto& entry : fs::directory_iterator(fixture / "keys")) {
                auto loaded = key_files::read_desk_key(entry.path());
                BOOST_REQUIRE_MESSAGE(loaded.has_value(), entry.path().string());
                testing::desk_keypair k;
                k.public_key = loaded->key.public_key;
                k.secret_key = std::move(loaded->key.secret_key);
                keys.emplace(loaded->key.desk, std::move(k));
            }
            auto reader = testing::report_reader::open(path).value();
            const auto& reports = expected.at("reports").as_object();
            BOOST_TEST(reader.count().value() == static_cast<std::int64_t>(reports.size()));
            std::size_t opened = 0;
            for (const auto& [id, report] : reports) {
                BOOST_TEST_CONTEXT(std::string(id)) {
                    const auto stored =
                        reader.find(crypto::base64url_decode(std::string(id)).value()).value();
                    BOOST_REQUIRE(stored.has_value());
                    for (const auto& desk : report.at("consent").as_array()) {
                        const std::string d(desk.as_string());
                        const auto plain = testing::open_report(*stored, d, keys.at(d));
                        BOOST_REQUIRE_MESSAGE(plain.has_value(), "opens for " + d);
                        const auto doc = json::parse(*plain).value();
                        BOOST_TEST(doc.at("text").as_string() == report.at("text").as_string());
                        ++opened;
                    }
                }
            }
            BOOST_TEST(opened >= reports.size());
        }
    }
}
