// Bad input on every command: one plain sentence, exit 2, nothing sent (the
// server named here does not exist, so a command that got as far as the
// network would fail differently).
#include "tests/inbox/child_process.hpp"

#include <boost/test/unit_test.hpp>

namespace signaal::inbox_test {

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(every_command_refuses_bad_input_with_a_sentence_and_exit_2) {
    temp_dir dir;
    const auto key = (dir.path() / "k.json").string();
    BOOST_REQUIRE(
        inbox({"keygen", "--out", key, "--staff", "care-x", "--no-passphrase"}).exit_code == 0);
    const std::vector<std::string> at{"--server", "https://127.0.0.1:1", "--key", key};
    auto with = [&](std::vector<std::string> tail) {
        auto args = at;
        args.insert(args.end(), tail.begin(), tail.end());
        return args;
    };
    const std::vector<std::vector<std::string>> cases{
        {"frobnicate"},
        {"--bogus", "login"},
        {"--server"},
        {"--server", "https://a", "--server", "https://b", "login"},
        {"keygen"},
        {"keygen", "--out", (dir.path() / "n.json").string()},
        {"keygen", "--out", (dir.path() / "n.json").string(), "--staff", "Not An Id"},
        {"keygen", "--out", (dir.path() / "n.json").string(), "--staff", "a", "--passphrase", "x"},
        {"keygen", "--out", (dir.path() / "n.json").string(), "--staff", "a", "--csv"},
        {"--key", key, "login"},
        {"--server", "https://127.0.0.1:1", "login"},
        {"--server", "http://127.0.0.1:1", "--key", key, "login"},
        {"--server", "https://127.0.0.1:1/api", "--key", key, "login"},
        {"--server", "https://127.0.0.1:1", "--key", (dir.path() / "missing.json").string(),
         "login"},
        with({"login", "extra"}),
        with({"login", "--desk", "care"}),
        with({"list", "--limit", "0"}),
        with({"list", "--limit", "many"}),
        with({"show"}),
        with({"show", "not-a-report-id"}),
        with({"show", "AAAAAAAAAAAAAAAAAAAAAA", "more"}),
        with({"status", "AAAAAAAAAAAAAAAAAAAAAA"}),
        with({"status", "AAAAAAAAAAAAAAAAAAAAAA", "done"}),
        with({"status", "short", "closed"}),
        with({"follow", "now"}),
        with({"forward"}),
        with({"forward", "not-a-report-id"}),
        with({"forward", "AAAAAAAAAAAAAAAAAAAAAA", "more"}),
        with({"forward", "AAAAAAAAAAAAAAAAAAAAAA", "--desk", "Police Desk"}),
        with({"forward", "AAAAAAAAAAAAAAAAAAAAAA", "--desk"}),
        with({"forward", "AAAAAAAAAAAAAAAAAAAAAA", "--to", "police"}),
        with({"forward", "AAAAAAAAAAAAAAAAAAAAAA", "--text", "hello"}),
        with({"reply"}),
        with({"reply", "not-a-report-id", "--text", "hello"}),
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA", "--text", ""}),
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA", "--text", " \n\t "}),
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA"}), // stdin is empty
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA", "--text", "bad \xff byte"}),
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA", "--desk", "Care Desk", "--text", "hello"}),
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA", "--to", "care", "--text", "hello"}),
        with({"reply", "AAAAAAAAAAAAAAAAAAAAAA", "more", "--text", "hello"}),
        with({"stats", "--from", "2026-Q5", "--to", "2026-Q4"}),
        with({"stats", "--from", "2026-Q3", "--to", "2026-Q1"}),
        with({"stats", "--to", "2026-Q1"}),
        with({"desk"}),
        with({"desk", "burn", "--desk", "care"}),
        with({"desk", "init", "--desk", "Care Desk"}),
        with({"desk", "init", "--desk", "care", "--backup", key}),
        with({"desk", "rotate", "--to", "someone"}),
        with({"grant", "--desk", "care"}),
        with({"grant", "--desk", "care", "--to", "Bad Id"}),
    };
    for (const auto& args : cases) {
        std::string shown;
        for (const auto& a : args) {
            shown += a + " ";
        }
        const auto r = inbox(args);
        BOOST_TEST(r.exit_code == 2, shown + "-> " + std::to_string(r.exit_code) + " " + r.err);
        BOOST_TEST(r.err.starts_with("signaal-inbox: "), shown + "-> " + r.err);
        BOOST_TEST(r.err.find("cannot connect") == std::string::npos, shown + "-> " + r.err);
        BOOST_TEST(r.out.empty(), shown + "-> " + r.out);
    }
}

BOOST_AUTO_TEST_CASE(a_report_id_that_begins_with_dashes_is_an_id_not_an_option) {
    temp_dir dir;
    const auto key = (dir.path() / "k.json").string();
    BOOST_REQUIRE(
        inbox({"keygen", "--out", key, "--staff", "care-x", "--no-passphrase"}).exit_code == 0);
    // 1 in 64 report ids begins with '-': the command must take it as the id and go on
    // to the network (here a port where nobody listens), not call it an unknown option.
    for (const std::string id : {"-AAAAAAAAAAAAAAAAAAAAA", "--AAAAAAAAAAAAAAAAAAAA"}) {
        const auto r = inbox({"--server", "https://127.0.0.1:1", "--key", key, "show", id});
        BOOST_TEST(r.err.find("option") == std::string::npos, id + " -> " + r.err);
        BOOST_TEST(r.err.find("cannot connect") != std::string::npos, id + " -> " + r.err);
    }
}

BOOST_AUTO_TEST_CASE(help_works_on_every_command) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                                 {"keygen", "--help"},
                                                 {"show", "--help"},
                                                 {"reply", "--help"},
                                                 {"forward", "--help"},
                                                 {"desk", "init", "--help"},
                                                 {"follow", "-h"}}) {
        const auto r = inbox(args);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.out.find("signaal-inbox keygen --out FILE --staff ID") != std::string::npos);
        BOOST_TEST(r.out.find("SIGNAAL_PASSPHRASE") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox_test
