// signaal-admin backup PATH | restore PATH against instances in temp dirs: a round
// trip keeps everything, and every refusal changes nothing. The backup under a
// running server's load is in tests/e2e/backup_test.cpp.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "server/store/database.hpp"
#include "server/store/instance_lock.hpp"
#include "server/store/migrations.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

/// An instance with the default desks, data in ./data.
struct instance {
    temp_dir tmp;
    fs::path config = tmp.path() / "signaal.toml";
    fs::path data = tmp.path() / "data";

    instance() { write_file(config, "[server]\ndata_dir = \"data\"\n"); }

    [[nodiscard]] run_result admin(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string()});
        return run_admin(args);
    }
    void add_staff(const std::string& id) const {
        const auto key = [] { return crypto::base64url_encode(crypto::random_bytes(32)); };
        const auto added = admin({"staff", "add", id, "--role", "caseworker", "--desk", "care",
                                  "--sign-pk", key(), "--box-pk", key()});
        BOOST_REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    }
};

/// Runs constant SQL on a database file.
void sql(const fs::path& file, const char* text) {
    auto db = store::database::open(file, store::open_mode::read_write_create);
    BOOST_REQUIRE_MESSAGE(db, db.error().message);
    BOOST_REQUIRE(db->exec(text));
}

} // namespace

BOOST_AUTO_TEST_SUITE(backup_commands)

BOOST_AUTO_TEST_CASE(backup_then_restore_into_another_instance_keeps_everything) {
    instance from;
    from.add_staff("ann");
    from.add_staff("bob");
    const fs::path file = from.tmp.path() / "signaal-backup.db";
    const auto written = from.admin({"backup", file.string()});
    BOOST_TEST_INFO(written.err);
    BOOST_REQUIRE_EQUAL(written.exit_code, 0);
    BOOST_TEST(written.out.find("backup written to " + file.string() + ": 0 reports, schema " +
                                std::to_string(store::latest_schema_version())) == 0);
    BOOST_TEST(mode_of(file) == 0600u);
    BOOST_TEST(!fs::exists(file.string() + "-wal")); // one self-contained file

    instance into;
    into.add_staff("someone-else"); // replaced by the restore
    const auto restored = into.admin({"restore", file.string()});
    BOOST_TEST_INFO(restored.err);
    BOOST_REQUIRE_EQUAL(restored.exit_code, 0);
    BOOST_TEST(into.admin({"staff", "list"}).out == from.admin({"staff", "list"}).out);
    // The restored database is the instance's again: the next command works on it.
    into.add_staff("carol");
    BOOST_TEST(into.admin({"staff", "list"}).out.find("carol") != std::string::npos);
    BOOST_TEST(into.admin({"staff", "list"}).out.find("someone-else") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(backup_never_overwrites_and_needs_a_database) {
    instance in;
    in.add_staff("ann");
    const fs::path file = in.tmp.path() / "exists.db";
    write_file(file, "keep me");
    const auto refused = in.admin({"backup", file.string()});
    BOOST_TEST(refused.exit_code == 1);
    BOOST_TEST(one_line_error(refused.err));
    BOOST_TEST(refused.err.find("never overwrites") != std::string::npos);
    BOOST_TEST(read_file(file) == "keep me");

    instance empty; // no database made yet
    const fs::path none = empty.tmp.path() / "none.db";
    const auto missing = empty.admin({"backup", none.string()});
    BOOST_TEST(missing.exit_code == 1);
    BOOST_TEST(one_line_error(missing.err));
    BOOST_TEST(!fs::exists(none));
    BOOST_TEST(!fs::exists(empty.data / "signaal.db")); // nor did it make one
}

BOOST_AUTO_TEST_CASE(restore_refuses_what_is_not_an_intact_signaal_database) {
    instance source;
    source.add_staff("ann");
    const fs::path good = source.tmp.path() / "good.db";
    BOOST_REQUIRE_EQUAL(source.admin({"backup", good.string()}).exit_code, 0);

    const fs::path text = source.tmp.path() / "notes.txt";
    write_file(text, "SQLite format 2 but not really\n");
    const fs::path other = source.tmp.path() / "other.db";
    sql(other, "CREATE TABLE t (x); PRAGMA user_version = 3;");
    const fs::path newer = source.tmp.path() / "newer.db";
    fs::copy_file(good, newer);
    const std::string bump =
        "PRAGMA user_version = " + std::to_string(store::latest_schema_version() + 1);
    sql(newer, bump.c_str());
    const fs::path cut = source.tmp.path() / "cut.db";
    {
        const auto whole = read_file(good);
        write_file(cut, whole.substr(0, whole.size() / 2));
    }

    instance in;
    in.add_staff("zoe");
    const auto before = snapshot(in.data);
    const std::vector<std::pair<fs::path, std::string>> cases = {
        {text, "is not a Signaal database"},
        {other, "is not a Signaal database"},
        {newer, "was made by a newer Signaal"},
        {cut, ""},
        {in.tmp.path() / "absent.db", "is not a file"},
        {in.tmp.path(), "is not a file"},
    };
    for (const auto& [file, words] : cases) {
        BOOST_TEST_CONTEXT(file) {
            const auto refused = in.admin({"restore", file.string()});
            BOOST_TEST(refused.exit_code == 2);
            BOOST_TEST(one_line_error(refused.err), refused.err);
            BOOST_TEST(refused.err.find(words) != std::string::npos, refused.err);
            BOOST_TEST(snapshot(in.data) == before);
        }
    }
}

BOOST_AUTO_TEST_CASE(restore_refuses_while_a_server_holds_the_data_dir) {
    instance source;
    source.add_staff("ann");
    const fs::path file = source.tmp.path() / "b.db";
    BOOST_REQUIRE_EQUAL(source.admin({"backup", file.string()}).exit_code, 0);
    instance in;
    in.add_staff("zoe");
    {
        auto held = store::instance_lock::acquire(in.data); // what a running server holds
        BOOST_REQUIRE(held);
        const auto before = snapshot(in.data);
        const auto refused = in.admin({"restore", file.string()});
        BOOST_TEST(refused.exit_code == 1);
        BOOST_TEST(refused.err.find("a signaal-server is running") != std::string::npos);
        BOOST_TEST(snapshot(in.data) == before);
    }
    BOOST_TEST(in.admin({"restore", file.string()}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(bad_arguments_change_nothing) {
    instance in;
    for (const std::vector<std::string>& args : {std::vector<std::string>{"backup"},
                                                 {"backup", "a", "b"},
                                                 {"restore"},
                                                 {"restore", "x", "--csv"}}) {
        const auto r = in.admin(args);
        BOOST_TEST(r.exit_code == 2);
        BOOST_TEST(one_line_error(r.err));
    }
    const auto no_config = run_admin({"backup", (in.tmp.path() / "x.db").string()});
    BOOST_TEST(no_config.exit_code == 2);
    BOOST_TEST(!fs::exists(in.tmp.path() / "x.db"));
    BOOST_TEST(!fs::exists(in.data));
}

BOOST_AUTO_TEST_SUITE_END()
