// signaal-admin desk add | list | rotate against a config in a temp dir.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/key_id.hpp"
#include "tools/common/key_files.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

/// An instance with the default desks (care, municipality, police), data in ./data.
struct instance {
    temp_dir tmp;
    fs::path config = tmp.path() / "signaal.toml";
    fs::path db = tmp.path() / "data" / "signaal.db";

    instance() { write_file(config, "[server]\ndata_dir = \"data\"\n"); }

    [[nodiscard]] run_result admin(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string()});
        return run_admin(args);
    }
    [[nodiscard]] fs::path file(const std::string& name) const { return tmp.path() / name; }
};

std::string id_text(const store::desk_key& k) {
    return crypto::base64url_encode(k.key_id);
}

/// The key file's public key is the row's, under key_id_of(pk).
void check_matches(const fs::path& key_file, const store::desk_key& row) {
    BOOST_CHECK_EQUAL(mode_of(key_file), 0600u);
    const auto read = key_files::read_desk_key(key_file);
    BOOST_REQUIRE_MESSAGE(read, read.error().message);
    BOOST_CHECK(!read->too_open);
    BOOST_CHECK_EQUAL(read->key.desk, row.desk);
    BOOST_CHECK(read->key.public_key == row.public_key);
    const auto id = crypto::key_id_of(read->key.public_key);
    BOOST_CHECK(std::equal(id.begin(), id.end(), row.key_id.begin(), row.key_id.end()));
}

} // namespace

BOOST_AUTO_TEST_SUITE(desk_commands)

BOOST_AUTO_TEST_CASE(add_creates_the_database_and_the_key_file) {
    instance in;
    const auto r = in.admin({"desk", "add", "care", "--out", in.file("care.json").string()});
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    const auto rows = desk_keys_in(in.db);
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_CHECK_EQUAL(rows[0].desk, "care");
    BOOST_CHECK(!rows[0].accept_until);
    check_matches(in.file("care.json"), rows[0]);
    BOOST_CHECK(r.out.find(id_text(rows[0])) != std::string::npos); // prints the key id
    BOOST_CHECK(read_file(in.file("care.json")).find("\"kind\": \"signaal-desk-key\"") !=
                std::string::npos);

    const auto list = in.admin({"desk", "list"});
    BOOST_CHECK_EQUAL(list.exit_code, 0);
    BOOST_CHECK_EQUAL(list.out, "care  " + id_text(rows[0]) + "  current\n");
}

BOOST_AUTO_TEST_CASE(bad_input_changes_nothing) {
    instance in;
    BOOST_REQUIRE_EQUAL(
        in.admin({"desk", "add", "care", "--out", in.file("care.json").string()}).exit_code, 0);
    write_file(in.file("taken.json"), "do not touch");
    const auto rows = desk_keys_in(in.db);
    const auto files = snapshot(in.tmp.path());

    struct bad_case {
        std::vector<std::string> args;
        std::string named; // the error names this
    };
    const std::vector<bad_case> cases{
        {{"desk", "add", "nowhere", "--out", in.file("k.json").string()},
         "nowhere"},                                                            // not in config
        {{"desk", "add", "Bad!", "--out", in.file("k.json").string()}, "Bad!"}, // bad id
        {{"desk", "add", "reporter", "--out", in.file("k.json").string()}, "reporter"}, // reserved
        {{"desk", "add", "police", "--out", in.file("taken.json").string()},
         "taken.json"},                                                            // out exists
        {{"desk", "add", "police", "--out", in.file("no/k.json").string()}, "no"}, // no such folder
        {{"desk", "add", "care", "--out", in.file("k.json").string()}, "desk rotate"}, // has a key
        {{"desk", "add", "police"}, "--out"},                                          // no --out
        {{"desk", "add", "--out", in.file("k.json").string()}, "desk id"},             // no id
        {{"desk", "add", "police", "--out", in.file("k.json").string(), "--grace-days", "1"},
         "--grace-days"},
        {{"desk", "rotate", "police", "--out", in.file("k.json").string()},
         "desk add"}, // no key yet
        {{"desk", "rotate", "nowhere", "--out", in.file("k.json").string()}, "nowhere"},
        {{"desk", "rotate", "care", "--out", in.file("k.json").string(), "--grace-days", "-1"},
         "--grace-days"},
        {{"desk", "rotate", "care", "--out", in.file("k.json").string(), "--grace-days", "ten"},
         "--grace-days"},
        {{"desk", "rotate", "care", "--out", in.file("taken.json").string()}, "taken.json"},
        {{"desk", "frobnicate"}, "frobnicate"},
        {{"desk", "list", "extra"}, "desk list"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.named) {
            const auto r = in.admin(c.args);
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
            BOOST_CHECK_MESSAGE(r.err.find(c.named) != std::string::npos, r.err);
            BOOST_CHECK(r.out.empty());
            BOOST_CHECK(desk_keys_in(in.db) == rows);
            BOOST_CHECK(snapshot(in.tmp.path()) == files);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_bad_config_path_is_bad_input) {
    temp_dir tmp;
    const auto missing = (tmp.path() / "missing.toml").string();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--config", missing, "desk", "list"},
             {"--config", missing, "desk", "add", "care", "--out",
              (tmp.path() / "k.json").string()},
             {"--config", missing, "config", "check"},
             {"--config", tmp.path().string(), "desk", "list"}}) { // a folder, not a file
        const auto r = run_admin(args);
        BOOST_CHECK_EQUAL(r.exit_code, 2);
        BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
        BOOST_CHECK(names_in(tmp.path()).empty());
    }
    const auto r = run_admin({"--config", missing, "desk", "list"});
    BOOST_CHECK(r.err.find("missing.toml") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failing_database_step_removes_the_key_file) {
    temp_dir tmp;
    // data_dir is a plain file, so the database cannot be made.
    write_file(tmp.path() / "blocker", "not a folder");
    write_file(tmp.path() / "signaal.toml", "[server]\ndata_dir = \"blocker\"\n");
    const auto out = tmp.path() / "care.json";
    const auto r = run_admin({"--config", (tmp.path() / "signaal.toml").string(), "desk", "add",
                              "care", "--out", out.string()});
    BOOST_CHECK_EQUAL(r.exit_code, 1);
    BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
    BOOST_CHECK(!fs::exists(out));
    BOOST_CHECK_EQUAL(read_file(tmp.path() / "blocker"), "not a folder");
}

BOOST_AUTO_TEST_CASE(rotate_with_no_grace_retires_the_old_key_at_once) {
    instance in;
    BOOST_REQUIRE_EQUAL(
        in.admin({"desk", "add", "police", "--out", in.file("p1.json").string()}).exit_code, 0);
    BOOST_REQUIRE_EQUAL(
        in.admin({"desk", "add", "care", "--out", in.file("c1.json").string()}).exit_code, 0);
    const auto old_rows = desk_keys_in(in.db);
    const auto old_police =
        *std::find_if(old_rows.begin(), old_rows.end(), [](auto& k) { return k.desk == "police"; });

    const auto r = in.admin(
        {"desk", "rotate", "police", "--out", in.file("p2.json").string(), "--grace-days", "0"});
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    const auto rows = desk_keys_in(in.db);
    BOOST_REQUIRE_EQUAL(rows.size(), 3u);
    std::vector<store::desk_key> police;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(police),
                 [](auto& k) { return k.desk == "police"; });
    BOOST_REQUIRE_EQUAL(police.size(), 2u);
    const auto& old_key = police[0].key_id == old_police.key_id ? police[0] : police[1];
    const auto& new_key = police[0].key_id == old_police.key_id ? police[1] : police[0];
    BOOST_CHECK(old_key.accept_until && *old_key.accept_until <= now_unix());
    BOOST_CHECK(!new_key.accept_until);
    check_matches(in.file("p2.json"), new_key);
    BOOST_CHECK(r.out.find(id_text(new_key)) != std::string::npos);

    // The old key is no longer accepted; the new one and care's are.
    const auto accepted = accepted_keys_in(in.db, now_unix());
    BOOST_CHECK_EQUAL(accepted.size(), 2u);
    BOOST_CHECK(std::none_of(accepted.begin(), accepted.end(),
                             [&](auto& k) { return k.key_id == old_police.key_id; }));
    BOOST_CHECK(std::any_of(accepted.begin(), accepted.end(),
                            [&](auto& k) { return k.key_id == new_key.key_id; }));

    const auto list = in.admin({"desk", "list"});
    BOOST_CHECK_EQUAL(list.exit_code, 0);
    BOOST_CHECK(list.out.find("police  " + id_text(old_key) + "  retired\n") != std::string::npos);
    BOOST_CHECK(list.out.find("police  " + id_text(new_key) + "  current\n") != std::string::npos);
    BOOST_CHECK(list.out.find("care    ") != std::string::npos); // columns line up
}

BOOST_AUTO_TEST_CASE(rotate_keeps_the_old_key_for_the_grace_days) {
    instance in;
    // The config's grace days are the default for --grace-days.
    write_file(in.config, "[server]\ndata_dir = \"data\"\n[reports]\ndesk_key_grace_days = 7\n");
    BOOST_REQUIRE_EQUAL(
        in.admin({"desk", "add", "care", "--out", in.file("c1.json").string()}).exit_code, 0);
    const auto before = now_unix();
    const auto r = in.admin({"desk", "rotate", "care", "--out", in.file("c2.json").string()});
    const auto after = now_unix();
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    const auto rows = desk_keys_in(in.db);
    BOOST_REQUIRE_EQUAL(rows.size(), 2u);
    const auto old_key =
        std::find_if(rows.begin(), rows.end(), [](auto& k) { return k.accept_until.has_value(); });
    BOOST_REQUIRE(old_key != rows.end());
    BOOST_CHECK_GE(*old_key->accept_until, before + 7 * 86400);
    BOOST_CHECK_LE(*old_key->accept_until, after + 7 * 86400);
    BOOST_CHECK_EQUAL(accepted_keys_in(in.db, now_unix()).size(), 2u);
    BOOST_CHECK_EQUAL(accepted_keys_in(in.db, after + 7 * 86400 + 1).size(), 1u);

    const auto list = in.admin({"desk", "list"});
    BOOST_CHECK(list.out.find("care  " + id_text(*old_key) + "  accepted until ") !=
                std::string::npos);
    BOOST_CHECK(list.out.find(" UTC\n") != std::string::npos);
    // Both key files stay; each belongs to its row.
    check_matches(in.file("c1.json"), *old_key);
}

BOOST_AUTO_TEST_CASE(list_without_a_database_is_empty) {
    instance in;
    const auto r = in.admin({"desk", "list"});
    BOOST_CHECK_EQUAL(r.exit_code, 0);
    BOOST_CHECK(r.out.empty());
    BOOST_CHECK(!fs::exists(in.db)); // listing creates nothing
}

BOOST_AUTO_TEST_SUITE_END()
