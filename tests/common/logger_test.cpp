#define BOOST_TEST_MODULE common_test
#include <boost/test/unit_test.hpp>

#include "server/common/log_line.hpp"
#include "server/common/logger.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using signaal::log_field;
using signaal::log_level;
using signaal::logger;

// Every call a sink got: each must be one whole line.
struct recorded {
    std::mutex mutex;
    std::vector<std::string> calls;
    signaal::log_sink sink() {
        return [this](std::string_view line) {
            std::lock_guard lock(mutex);
            calls.emplace_back(line);
        };
    }
};

std::string line_of(std::initializer_list<log_field> fields) {
    return signaal::format_log_line(log_level::info, "probe", {fields.begin(), fields.size()});
}

} // namespace

BOOST_AUTO_TEST_SUITE(levels)

BOOST_AUTO_TEST_CASE(the_four_words_parse_and_anything_else_is_a_clear_error) {
    for (const auto* word : {"error", "warn", "info", "debug"}) {
        const auto level = signaal::parse_log_level(word);
        BOOST_TEST_REQUIRE(level.has_value());
        BOOST_TEST(signaal::log_level_name(*level) == word);
    }
    for (const auto* word : {"", "INFO", "warning", "trace", "info "}) {
        const auto level = signaal::parse_log_level(word);
        BOOST_TEST_REQUIRE(!level.has_value());
        BOOST_TEST(level.error().message.find("\"error\", \"warn\", \"info\" or \"debug\"") !=
                   std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_logger_writes_its_level_and_those_above_it_only) {
    const std::vector<std::pair<log_level, std::size_t>> expected{
        {log_level::error, 1}, {log_level::warn, 2}, {log_level::info, 3}, {log_level::debug, 4}};
    for (const auto& [level, lines] : expected) {
        recorded out;
        logger log(level, {out.sink()});
        log.debug("d");
        log.info("i");
        log.warn("w");
        log.error("e");
        BOOST_TEST(out.calls.size() == lines);
        BOOST_TEST(out.calls.back() == "level=error event=e\n");
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lines)

BOOST_AUTO_TEST_CASE(fields_follow_level_and_event_in_the_order_given) {
    BOOST_TEST(line_of({log_field::count("count", 3), log_field::desk("care"),
                        log_field::word("route", "/api/v1/reports/{id}"),
                        log_field::listen("https", "0.0.0.0", 443)}) ==
               "level=info event=probe count=3 desk=care route=/api/v1/reports/{id} "
               "listen=https://0.0.0.0:443\n");
}

BOOST_AUTO_TEST_CASE(a_value_outside_the_plain_characters_is_quoted_and_escaped_onto_one_line) {
    const auto line = line_of({log_field::reason(
        signaal::fail("bad \"file\" C:\\x\nlevel=error event=forged\r\tend \x01 caf\xc3\xa9"))});
    BOOST_TEST(line == "level=info event=probe reason=\"bad \\\"file\\\" C:\\\\x\\nlevel=error "
                       "event=forged\\r\\tend \\x01 caf\\xc3\\xa9\"\n");
    // One line of printable ASCII, whatever the value held.
    BOOST_TEST(line.find('\n') == line.size() - 1);
    for (const char c : line.substr(0, line.size() - 1)) {
        BOOST_TEST((c >= 0x20 && c < 0x7f));
    }
}

BOOST_AUTO_TEST_CASE(an_empty_reason_is_quoted_and_a_long_one_is_cut) {
    BOOST_TEST(line_of({log_field::reason(signaal::fail(""))}) ==
               "level=info event=probe reason=\"\"\n");
    const auto line = line_of({log_field::reason(signaal::fail(std::string(5000, 'a')))});
    BOOST_TEST(line.size() < 400u);
    BOOST_TEST(line.find(std::string(log_field::max_reason_bytes, 'a') + "...\n") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_desk_field_takes_desk_ids_only) {
    BOOST_TEST(log_field::desk("municipality").value() == "municipality");
    BOOST_TEST(log_field::desk("peer-support_2").value() == "peer-support_2");
    for (const auto* not_a_desk :
         {"", "Care", "care desk", "127.0.0.1", "a/b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) {
        BOOST_TEST(log_field::desk(not_a_desk).value() == "invalid");
    }
}

BOOST_AUTO_TEST_CASE(a_startup_failure_carries_the_exceptions_sentence) {
    const std::runtime_error e("cannot write /var/lib/signaal/pow.key");
    BOOST_TEST(line_of({log_field::startup_failure(e)}) ==
               "level=info event=probe reason=\"cannot write /var/lib/signaal/pow.key\"\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(refused_fields)

// Keys are checked when the code compiles (log_key is consteval): these are the
// same checks, asked at compile time here and at run time below.
static_assert(signaal::log_rules::is_allowed_key("count"));
static_assert(!signaal::log_rules::is_allowed_key("peer_ip"));
static_assert(!signaal::log_rules::is_allowed_key("token"));

BOOST_AUTO_TEST_CASE(keys_that_name_an_address_a_port_a_token_a_key_or_a_payload_are_refused) {
    for (const auto* key :
         {"ip",     "peer",       "peer_ip",   "remote_addr",  "client_port", "port",
          "host",   "user_agent", "token",     "bearer_token", "key",         "desk_key",
          "secret", "passphrase", "cookie",    "body",         "payload",     "ciphertext",
          "nonce",  "sealed",     "envelopes", "receipt",      "text"}) {
        BOOST_TEST(!signaal::log_rules::is_allowed_key(key), key);
    }
    for (const auto* key : {"count", "schema", "desk", "route", "interval_seconds", "log_level",
                            "drain_seconds", "keyword_free"}) {
        BOOST_TEST(signaal::log_rules::is_allowed_key(key), key);
    }
    // Not names at all: upper case, spaces, '=' (which would forge a field), empty.
    for (const auto* key : {"Count", "a b", "a=b", "", "_x", "9lives"}) {
        BOOST_TEST(!signaal::log_rules::is_allowed_key(key), key);
    }
}

BOOST_AUTO_TEST_CASE(word_values_cannot_hold_an_address_with_a_port_or_spaces) {
    BOOST_TEST(signaal::log_rules::is_word("/api/v1/reports/{id}"));
    BOOST_TEST(signaal::log_rules::is_word("0.1.0"));
    BOOST_TEST(!signaal::log_rules::is_word("127.0.0.1:5555"));
    BOOST_TEST(!signaal::log_rules::is_word("a b"));
    BOOST_TEST(!signaal::log_rules::is_word("x@y"));
    BOOST_TEST(!signaal::log_rules::is_word(""));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(writes)

BOOST_AUTO_TEST_CASE(each_event_is_one_call_of_one_whole_line_from_many_threads) {
    recorded out;
    logger log(log_level::info, {out.sink()});
    constexpr int threads = 8;
    constexpr int per_thread = 500;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&log, t] {
            for (int i = 0; i < per_thread; ++i) {
                log.info("tick", {log_field::count("thread", static_cast<std::uint64_t>(t)),
                                  log_field::count("n", static_cast<std::uint64_t>(i))});
            }
        });
    }
    for (auto& t : pool) {
        t.join();
    }
    BOOST_TEST_REQUIRE(out.calls.size() == static_cast<std::size_t>(threads * per_thread));
    std::set<std::string> distinct;
    for (const auto& call : out.calls) {
        BOOST_TEST(call.starts_with("level=info event=tick thread="));
        BOOST_TEST(call.find('\n') == call.size() - 1);
        distinct.insert(call);
    }
    BOOST_TEST(distinct.size() == out.calls.size());
}

BOOST_AUTO_TEST_CASE(processes_appending_to_one_file_never_interleave_within_a_line) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("signaal-log-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(file);
    constexpr int children = 4;
    constexpr int per_child = 400;
    std::vector<pid_t> pids;
    for (int c = 0; c < children; ++c) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            auto sink = signaal::append_file_sink(file);
            if (!sink) {
                ::_exit(3);
            }
            logger log(log_level::info, {*sink});
            const std::string padding(200, static_cast<char>('a' + c));
            for (int i = 0; i < per_child; ++i) {
                log.info("tick", {log_field::reason(signaal::fail(padding))});
            }
            ::_exit(0);
        }
        pids.push_back(pid);
    }
    for (const pid_t pid : pids) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        BOOST_TEST(WIFEXITED(status));
        BOOST_TEST(WEXITSTATUS(status) == 0);
    }
    std::ifstream in(file);
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
        ++lines;
        const char c = line.back(); // a plain value: written bare
        BOOST_TEST(line == "level=info event=tick reason=" + std::string(200, c));
    }
    BOOST_TEST(lines == children * per_child);
    const auto mode = std::filesystem::status(file).permissions() & std::filesystem::perms::all;
    BOOST_TEST(
        (mode == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));
    std::filesystem::remove(file);
}

BOOST_AUTO_TEST_CASE(the_log_file_variable_adds_a_copy_of_every_line) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("signaal-log-copy-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(file);
    const char* before = std::getenv(signaal::log_file_variable);
    const std::string saved = before != nullptr ? before : "";
    ::setenv(signaal::log_file_variable, file.c_str(), 1);
    recorded out;
    {
        logger log(log_level::info, signaal::log_sinks(out.sink()));
        log.info("copied", {log_field::count("count", 1)});
    }
    if (before != nullptr) {
        ::setenv(signaal::log_file_variable, saved.c_str(), 1);
    } else {
        ::unsetenv(signaal::log_file_variable);
    }
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    BOOST_TEST(text.str() == "level=info event=copied count=1\n");
    BOOST_TEST(out.calls.size() == 1u);
    std::filesystem::remove(file);
}

BOOST_AUTO_TEST_SUITE_END()
