#define BOOST_TEST_MODULE log_scan_test
#include <boost/test/unit_test.hpp>

#include "tests/log_scan/log_scan.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

const std::vector<std::string> hosts{"127.0.0.1"};

bool passes(const std::string& line) {
    const auto problem = signaal::testing::find_forbidden(line, hosts);
    BOOST_TEST_MESSAGE(line << " -> " << problem.value_or("ok"));
    return !problem.has_value();
}

} // namespace

BOOST_AUTO_TEST_CASE(the_servers_own_lines_pass) {
    for (const auto* line : {
             "level=info event=started version=0.1.0 schema=6 log_level=info",
             "level=info event=migration_applied schema=3",
             "level=info event=listening listen=https://127.0.0.1:44321",
             "level=info event=stopping drain_seconds=10",
             "level=warn event=tls_handshake_failures count=3 interval_seconds=600",
             "level=error event=writer_batch_failed count=12",
             "level=info event=stats_quarters_frozen count=2",
             "level=error event=bad_config reason=\"signaal.toml: log.level: must be "
             "\\\"error\\\", "
             "\\\"warn\\\", \\\"info\\\" or \\\"debug\\\", not \\\"loud\\\"\"",
             "level=info event=stopped",
             // paths of temporary folders in error sentences (seen in e2e_test)
             "level=error event=bad_config reason=\"/tmp/signaal-e2e-OGoApQ/signaal.toml: "
             "limits.max_connections: must be a whole number\"",
             "level=error event=start_failed reason=\"a signaal-server is running on "
             "/tmp/signaal-browser-AbC1dEfGh2/ (it holds signaal.lock); stop it first\"",
             "level=info event=onion_listening listen=http://127.0.0.1:8080",
             "level=info event=retention_purged reports=3 before_day=20400",
         }) {
        BOOST_TEST(passes(line), line);
    }
}

BOOST_AUTO_TEST_CASE(a_logged_token_key_address_receipt_or_payload_fails) {
    for (const auto* line : {
             // a bearer token (base64url, 32 bytes), in a reason or as a header
             "level=error event=request_failed reason=\"token "
             "q3Xz0bT9w_Jc8Yk2LmN4pQrS6tUvW1xYz7A5bC3dE9f\"",
             "level=error event=request_failed reason=\"Bearer abc\"",
             // a report id (16 bytes, base64url)
             "level=info event=probe reason=\"report 0Yk2LmN4pQrS6tUvW1xYzA\"",
             // a desk key in hex
             "level=info event=probe reason=\"key "
             "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
             // a peer address, v4 and v6, and a client port
             "level=info event=probe reason=\"from 192.168.1.20\"",
             "level=info event=probe reason=\"from 127.0.0.1\"",
             "level=info event=probe reason=\"from fe80::1\"",
             "level=info event=probe reason=\"peer port :51234\"",
             // an address in the listen field that is not a configured one
             "level=info event=listening listen=https://10.0.0.7:443",
             // receipt codes, grouped and plain
             "level=info event=probe reason=\"K7QM-2XDA-9FRT-WB3N\"",
             "level=info event=probe reason=\"k7qm2xda9frtwb3n\"",
             // payload field names
             "level=info event=probe reason=\"no ciphertext\"",
             "level=info event=probe reason=\"bad nonce\"",
             "level=info event=probe reason=\"sealed box\"",
             "level=info event=probe reason=\"two envelopes\"",
             // a field whose key names what is never logged
             "level=info event=probe peer_ip=1",
             "level=info event=probe token=abc",
             // not a structured line at all (a stray print)
             "signaal-server: listening on https://127.0.0.1:8443",
             "level=info event=probe reason=\"unterminated",
             "",
         }) {
        BOOST_TEST(!passes(line), line);
    }
}

BOOST_AUTO_TEST_CASE(the_scan_program_fails_naming_the_line_of_a_logged_token) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("signaal-log-scan-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto good = dir / "good.log";
    const auto bad = dir / "bad.log";
    {
        std::ofstream(good) << "level=info event=listening listen=https://127.0.0.1:4000\n"
                               "level=info event=stopped\n";
        std::ofstream(bad) << "level=info event=listening listen=https://127.0.0.1:4000\n"
                              "level=info event=probe reason=\"Bearer "
                              "q3Xz0bT9w_Jc8Yk2LmN4pQrS6tUvW1xYz7A5bC3dE9f\"\n"
                              "level=info event=stopped\n";
    }
    const std::string scan = LOG_SCAN_BIN;
    const auto run = [&](const std::filesystem::path& file, const std::string& more) {
        const auto out = dir / "out.txt";
        const auto command = scan + " " + file.string() + " --listen-host 127.0.0.1 " + more +
                             " >" + out.string() + " 2>&1";
        const int status = std::system(command.c_str());
        std::ifstream in(out);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return std::make_pair(status, text);
    };
    const auto [good_status, good_text] = run(good, "--require-event listening");
    BOOST_TEST(good_status == 0, good_text);
    const auto [bad_status, bad_text] = run(bad, "");
    BOOST_TEST(bad_status != 0);
    BOOST_TEST(bad_text.find("bad.log:2:") != std::string::npos, bad_text);
    // A file without the required event, or without any line, fails too.
    BOOST_TEST(run(good, "--require-event started").first != 0);
    { std::ofstream(dir / "empty.log"); }
    BOOST_TEST(run(dir / "empty.log", "").first != 0);
    BOOST_TEST(run(dir / "missing.log", "").first != 0);
    std::filesystem::remove_all(dir);
}
