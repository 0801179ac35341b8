// keygen and reading a locked staff key file, through the real binary: on a
// pseudo-terminal (passphrase asked twice, no echo) and without one (from the
// environment or a file). Refused files stop a command before anything is sent.
#include "server/json/json.hpp"
#include "tests/inbox/child_process.hpp"
#include "tools/common/key_files.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

namespace signaal::inbox_test {
namespace {

namespace fs = std::filesystem;

// "café" typed with a combining accent (NFD) and as one code point (NFC).
const std::string nfd = "cafe\xcc\x81 au lait";
const std::string nfc = "caf\xc3\xa9 au lait";

// A closed port: a command that got past its key file fails to connect (exit 1).
const std::vector<std::string> nowhere{"--server", "https://127.0.0.1:1"};

std::vector<std::string> login_with(const fs::path& key) {
    auto args = nowhere;
    args.insert(args.end(), {"--key", key.string(), "login"});
    return args;
}

unsigned mode_of(const fs::path& file) {
    struct stat st {};
    BOOST_REQUIRE(::stat(file.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

json::value json_of(const fs::path& file) {
    auto doc = json::parse(read_file(file));
    BOOST_REQUIRE(doc);
    return *doc;
}

/// A locked key file for `staff`, made by keygen from the environment.
fs::path locked_key(const temp_dir& dir, const std::string& staff = "care-alice") {
    const auto file = dir.path() / (staff + ".json");
    const auto r =
        inbox({"keygen", "--out", file.string(), "--staff", staff}, {"SIGNAAL_PASSPHRASE=" + nfd});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return file;
}

/// Rewrites one member of a key file's JSON.
void edit(const fs::path& file, const std::function<void(json::object&)>& change) {
    auto doc = json_of(file);
    change(doc.as_object());
    write_file(file, json::serialize(doc));
}

bool one_line_error(const std::string& err) {
    return err.starts_with("signaal-inbox: ") && err.find('\n') == err.size() - 1;
}

} // namespace

BOOST_AUTO_TEST_SUITE(keygen_and_locked_files)

BOOST_AUTO_TEST_CASE(keygen_locks_by_default_and_the_nfc_form_opens_an_nfd_passphrase) {
    temp_dir dir;
    const auto file = locked_key(dir);
    BOOST_TEST(mode_of(file) == 0600u);
    const auto doc = json_of(file);
    BOOST_TEST(doc.at("v").as_int64() == 2);
    BOOST_TEST(json::find(doc, "sign_sk") == nullptr);
    BOOST_TEST(json::find(doc, "box_sk") == nullptr);
    const auto opened = key_files::read_staff_key(file, std::string_view(nfc));
    BOOST_REQUIRE_MESSAGE(opened.has_value(), (opened ? std::string() : opened.error().message));
    BOOST_TEST(opened->key.staff == "care-alice");
    BOOST_TEST(!opened->unlocked_file);
    // The binary opens it too, typed either way, and then goes on to connect.
    for (const auto& typed : {nfc, nfd}) {
        const auto r = inbox(login_with(file), {"SIGNAAL_PASSPHRASE=" + typed});
        BOOST_TEST(r.exit_code == 1, r.err);
        BOOST_TEST(r.err.find("cannot connect") != std::string::npos, r.err);
    }
    const auto passphrase_file = dir.path() / "pass.txt";
    write_file(passphrase_file, nfc + "\n");
    auto args = login_with(file);
    args.insert(args.end(), {"--passphrase-file", passphrase_file.string()});
    const auto from_file = inbox(args);
    BOOST_TEST(from_file.err.find("cannot connect") != std::string::npos, from_file.err);
}

BOOST_AUTO_TEST_CASE(keygen_prints_the_operators_staff_add_line) {
    temp_dir dir;
    const auto file = dir.path() / "k.json";
    const auto r = inbox({"keygen", "--out", file.string(), "--staff", "care-bob"},
                         {"SIGNAAL_PASSPHRASE=long enough"});
    BOOST_REQUIRE(r.exit_code == 0);
    const auto doc = json_of(file);
    const std::string line = "staff add care-bob --role caseworker --desk DESK --sign-pk " +
                             std::string(doc.at("sign_pk").as_string()) + " --box-pk " +
                             std::string(doc.at("box_pk").as_string());
    BOOST_TEST(r.out.find(line) != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(on_a_terminal_keygen_asks_twice_without_echo) {
    temp_dir dir;
    const auto file = dir.path() / "k.json";
    const std::string secret = "s\xc3\xa9same ouvre-toi";
    const auto r = inbox_on_terminal({"keygen", "--out", file.string(), "--staff", "care-carol"},
                                     {{"New passphrase", secret}, {"again", secret}});
    BOOST_TEST(r.exit_code == 0, r.out);
    BOOST_TEST(r.out.find(secret) == std::string::npos, "the passphrase was echoed: " + r.out);
    BOOST_TEST(json_of(file).at("v").as_int64() == 2);
    BOOST_TEST(key_files::read_staff_key(file, std::string_view(secret)).has_value());
    // And a command asks for it on the terminal when the file is locked.
    auto args = login_with(file);
    const auto opened = inbox_on_terminal(args, {{"Passphrase for", secret}});
    BOOST_TEST(opened.exit_code == 1, opened.out);
    BOOST_TEST(opened.out.find("cannot connect") != std::string::npos, opened.out);
}

BOOST_AUTO_TEST_CASE(on_a_terminal_a_mismatch_or_an_empty_passphrase_writes_nothing) {
    temp_dir dir;
    const auto file = dir.path() / "k.json";
    const auto mismatch =
        inbox_on_terminal({"keygen", "--out", file.string(), "--staff", "care-dan"},
                          {{"New passphrase", "one thing"}, {"again", "another"}});
    BOOST_TEST(mismatch.exit_code == 2, mismatch.out);
    BOOST_TEST(mismatch.out.find("differ") != std::string::npos, mismatch.out);
    BOOST_TEST(!fs::exists(file));
    const auto empty = inbox_on_terminal({"keygen", "--out", file.string(), "--staff", "care-dan"},
                                         {{"New passphrase", ""}});
    BOOST_TEST(empty.exit_code == 2, empty.out);
    BOOST_TEST(empty.out.find("empty") != std::string::npos, empty.out);
    BOOST_TEST(!fs::exists(file));
}

BOOST_AUTO_TEST_CASE(without_a_terminal_keygen_refuses_to_guess_a_passphrase) {
    temp_dir dir;
    const auto file = dir.path() / "k.json";
    const auto r = inbox({"keygen", "--out", file.string(), "--staff", "care-erin"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(one_line_error(r.err), r.err);
    BOOST_TEST(!fs::exists(file));
    const auto empty =
        inbox({"keygen", "--out", file.string(), "--staff", "care-erin"}, {"SIGNAAL_PASSPHRASE="});
    BOOST_TEST(empty.exit_code == 2);
    BOOST_TEST(!fs::exists(file));
}

BOOST_AUTO_TEST_CASE(no_passphrase_writes_v1_and_says_what_it_costs_and_readers_warn) {
    temp_dir dir;
    const auto file = dir.path() / "k.json";
    const auto r =
        inbox({"keygen", "--out", file.string(), "--staff", "care-fay", "--no-passphrase"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(json_of(file).at("v").as_int64() == 1);
    BOOST_TEST(r.err.find("lost laptop") != std::string::npos, r.err);
    const auto read = inbox(login_with(file));
    BOOST_TEST(read.exit_code == 1);
    BOOST_TEST(read.err.find("warning: " + file.string() + " is a v1 key file") !=
                   std::string::npos,
               read.err);
}

BOOST_AUTO_TEST_CASE(keygen_never_overwrites_a_file) {
    temp_dir dir;
    const auto file = locked_key(dir);
    const auto before = read_file(file);
    const auto r = inbox({"keygen", "--out", file.string(), "--staff", "care-alice"},
                         {"SIGNAAL_PASSPHRASE=x"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(read_file(file) == before);
}

BOOST_AUTO_TEST_CASE(wrong_passphrase_and_damaged_file_get_the_same_refusal) {
    temp_dir dir;
    const auto file = locked_key(dir);
    const auto wrong = inbox(login_with(file), {"SIGNAAL_PASSPHRASE=cafe au lait"});
    BOOST_TEST(wrong.exit_code == 2);
    BOOST_TEST(one_line_error(wrong.err), wrong.err);
    BOOST_TEST(wrong.err.find("wrong passphrase, or the file is damaged") != std::string::npos);

    edit(file, [](json::object& doc) {
        std::string sealed(doc.at("sealed").as_string());
        sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
        doc["sealed"] = sealed;
    });
    const auto damaged = inbox(login_with(file), {"SIGNAAL_PASSPHRASE=" + nfc});
    BOOST_TEST(damaged.exit_code == 2);
    BOOST_TEST(damaged.err == wrong.err);
}

BOOST_AUTO_TEST_CASE(a_staff_id_outside_that_differs_from_the_one_inside_is_refused) {
    temp_dir dir;
    const auto file = locked_key(dir);
    edit(file, [](json::object& doc) { doc["staff"] = "police-mallory"; });
    const auto r = inbox(login_with(file), {"SIGNAAL_PASSPHRASE=" + nfc});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(one_line_error(r.err), r.err);
    BOOST_TEST(r.err.find("\"staff\" inside the sealed part differs") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(lock_parameters_out_of_bounds_are_refused_before_argon2_runs) {
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::int64_t>>{
             {"opslimit", 11}, {"opslimit", 0}, {"memlimit", 1LL << 30}, {"memlimit", 4LL << 20}}) {
        temp_dir dir;
        const auto file = locked_key(dir);
        edit(file, [&](json::object& doc) { doc["lock"].as_object()[name] = value; });
        const auto r = inbox(login_with(file), {"SIGNAAL_PASSPHRASE=" + nfc});
        BOOST_TEST(r.exit_code == 2, name);
        BOOST_TEST(r.err.find("out of bounds") != std::string::npos, r.err);
    }
}

BOOST_AUTO_TEST_CASE(a_locked_file_without_a_passphrase_source_is_refused_not_waited_on) {
    temp_dir dir;
    const auto file = locked_key(dir);
    const auto r = inbox(login_with(file));
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("no terminal") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox_test
