#define BOOST_TEST_MODULE notify_test
// Notifications without content (issue 11): the schedule with a manual clock,
// the mail's text, and real mails to a real SMTP server on loopback
// (smtp_sink.py, Debian's python3-aiosmtpd), plain and with STARTTLS.
#include <boost/test/unit_test.hpp>

#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/notify/notice.hpp"
#include "server/notify/notice_schedule.hpp"
#include "server/notify/notifier.hpp"
#include "server/notify/sendmail_transport.hpp"
#include "server/tls/self_signed.hpp"
#include "tests/notify/smtp_sink.hpp"
#include "tests/store/temp_dir.hpp"

#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace signaal::notify {
namespace {

using testing::smtp_sink;

constexpr std::int64_t interval = 15 * 60;
constexpr std::int64_t t0 = 1'790'000'000;

std::string desks_toml() {
    return R"(
[[desks]]
id = "care"
name = { en = "Care services", nl = "Zorg" }
about = { en = "Care." }
notify = ["a.worker@care.example.org", "b.worker@care.example.org"]
[[desks]]
id = "municipality"
name = { en = "Municipality" }
about = { en = "Policy." }
notify = ["c.worker@city.example.org"]
[[desks]]
id = "police"
name = { en = "Police" }
about = { en = "Police." }
)";
}

config::settings settings_for(const std::string& notifications) {
    const std::string text = "[notifications]\n"
                             "interval_minutes = 15\n"
                             "from = \"signaal@example.org\"\n"
                             "inbox_url = \"https://signaal.example.org/desk/\"\n" +
                             notifications + desks_toml();
    auto s = config::load_string(text, "/tmp");
    BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? std::string() : s.error().message));
    return *s;
}

config::settings smtp_settings(std::uint16_t port, const std::string& more = {}) {
    return settings_for("transport = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:" +
                        std::to_string(port) + "\"\n" + more);
}

store::event_record event(const std::string& desk, std::uint8_t id, const std::string& kind) {
    return {desk, id, std::vector<std::uint8_t>(16, id), kind};
}

struct log_lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::function<void(std::string_view)> sink() {
        return [this](std::string_view line) {
            std::lock_guard lock(mutex);
            lines.emplace_back(line);
        };
    }
    std::string all() {
        std::lock_guard lock(mutex);
        std::string s;
        for (const auto& l : lines) {
            s += l + "\n";
        }
        return s;
    }
};

std::string body_of(const std::string& raw) {
    const auto split = raw.find("\r\n\r\n");
    return split == std::string::npos ? std::string() : raw.substr(split + 4);
}

std::set<std::string> header_names(const std::string& raw) {
    std::set<std::string> names;
    std::istringstream in(raw.substr(0, raw.find("\r\n\r\n")));
    for (std::string line; std::getline(in, line);) {
        names.insert(line.substr(0, line.find(':')));
    }
    return names;
}

} // namespace

BOOST_AUTO_TEST_SUITE(schedule)

BOOST_AUTO_TEST_CASE(a_burst_gives_one_notice_at_once_and_the_rest_waits_for_the_interval) {
    notice_schedule s(interval);
    BOOST_TEST(!s.next_due().has_value());
    for (int i = 0; i < 20; ++i) {
        s.note("care");
    }
    BOOST_TEST((s.take_due(t0) == std::vector<std::string>{"care"}));
    BOOST_TEST(!s.next_due().has_value()); // the burst is told
    for (int i = 0; i < 20; ++i) {
        s.note("care");
    }
    BOOST_TEST(s.take_due(t0 + 1).empty());
    BOOST_TEST(s.take_due(t0 + interval - 1).empty());
    BOOST_TEST(*s.next_due() == t0 + interval);
    BOOST_TEST((s.take_due(t0 + interval) == std::vector<std::string>{"care"}));
    BOOST_TEST(s.take_due(t0 + 10 * interval).empty()); // nothing new: nothing sent
    s.note("care");
    BOOST_TEST((s.take_due(t0 + 10 * interval) == std::vector<std::string>{"care"}));
}

BOOST_AUTO_TEST_CASE(a_failed_send_is_tried_again_an_interval_later) {
    notice_schedule s(interval);
    s.note("care");
    BOOST_TEST(s.take_due(t0).size() == 1u);
    s.failed("care");
    BOOST_TEST(s.take_due(t0 + interval - 1).empty());
    BOOST_TEST((s.take_due(t0 + interval) == std::vector<std::string>{"care"}));
}

BOOST_AUTO_TEST_CASE(desks_are_scheduled_on_their_own) {
    notice_schedule s(interval);
    s.note("care");
    BOOST_TEST(s.take_due(t0).size() == 1u);
    s.note("police");
    s.note("care");
    BOOST_TEST((s.take_due(t0 + 5) == std::vector<std::string>{"police"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(the_notice_says_only_that_there_is_news_for_the_desk_and_where_to_look) {
    const auto m = compose_notice("signaal@example.org", "Care\r\nBcc: x@y.org",
                                  "https://s.example.org/desk/");
    BOOST_TEST(m == "From: signaal@example.org\r\n"
                    "To: undisclosed-recipients:;\r\n"
                    "Subject: New signals\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: 8bit\r\n"
                    "\r\n"
                    "There are new signals for CareBcc: x@y.org.\r\n"
                    "\r\n"
                    "https://s.example.org/desk/\r\n");
}

BOOST_AUTO_TEST_SUITE(smtp)

// A burst of reports and messages for two desks, then more within the
// interval: one mail per desk, holding the desk's name and the link and
// nothing else; after the interval one more, for the desk that had news.
BOOST_AUTO_TEST_CASE(a_burst_is_one_mail_per_desk_per_interval_with_only_the_desk_and_the_link) {
    store::test::temp_dir dir;
    smtp_sink sink(dir.path() / "mail");
    const auto settings = smtp_settings(sink.port(), "require_starttls = false\n");
    manual_clock clock(t0);
    log_lines log;
    notifier n(settings, make_transport(settings), clock, log.sink());

    std::vector<store::event_record> burst;
    for (std::uint8_t i = 1; i <= 20; ++i) {
        burst.push_back(event("care", i, "report"));
    }
    burst.push_back(event("municipality", 21, "message"));
    burst.push_back(event("police", 22, "report")); // police has no addresses
    n.note(burst);
    n.note({event("care", 23, "status")});
    BOOST_TEST(n.send_due() == 2u);
    BOOST_REQUIRE(sink.wait_for(2));

    n.note({event("care", 24, "report"), event("care", 25, "message")});
    BOOST_TEST(n.send_due() == 0u);
    clock.advance(interval - 1);
    BOOST_TEST(n.send_due() == 0u);
    clock.advance(1);
    BOOST_TEST(n.send_due() == 1u);
    BOOST_REQUIRE(sink.wait_for(3));
    clock.advance(interval);
    BOOST_TEST(n.send_due() == 0u); // status events and silence send nothing

    const auto mails = sink.mails();
    BOOST_REQUIRE(mails.size() == 3u);
    const std::set<std::string> headers{
        "From", "To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
    std::multiset<std::string> desks_told;
    for (const auto& m : mails) {
        BOOST_TEST((header_names(m.raw) == headers));
        const auto body = body_of(m.raw);
        const bool care = body.find("Care services") != std::string::npos;
        desks_told.insert(care ? "care" : "municipality");
        BOOST_TEST(body == "There are new signals for " +
                               std::string(care ? "Care services" : "Municipality") +
                               ".\r\n\r\nhttps://signaal.example.org/desk/\r\n");
        // The recipients travel in the envelope only.
        BOOST_TEST(m.raw.find("worker@") == std::string::npos);
        BOOST_TEST(m.meta.find(care ? "\"a.worker@care.example.org\", \"b.worker@care.example.org\""
                                    : "[\"c.worker@city.example.org\"]") != std::string::npos,
                   m.meta);
        BOOST_TEST(m.meta.find("\"from\": \"signaal@example.org\"") != std::string::npos);
    }
    BOOST_TEST(desks_told.count("care") == 2u);
    BOOST_TEST(desks_told.count("municipality") == 1u);
    BOOST_TEST(log.all().empty());
}

BOOST_AUTO_TEST_CASE(starttls_to_a_relay_trusted_through_the_ca_file) {
    store::test::temp_dir dir;
    auto pair = tls::ensure_self_signed(dir.path() / "tls");
    BOOST_REQUIRE(pair.has_value());
    smtp_sink sink(dir.path() / "mail", std::pair{pair->certificate, pair->private_key});
    const auto settings = smtp_settings(sink.port(), "ca_file = \"" + pair->certificate.string() +
                                                         "\"\n"); // starttls required
    BOOST_TEST(settings.notify_require_starttls);
    manual_clock clock(t0);
    log_lines log;
    notifier n(settings, make_transport(settings), clock, log.sink());
    n.note({event("care", 1, "report")});
    BOOST_TEST(n.send_due() == 1u);
    BOOST_REQUIRE_MESSAGE(sink.wait_for(1), log.all());
    const auto mails = sink.mails();
    BOOST_REQUIRE(mails.size() == 1u);
    BOOST_TEST(mails[0].meta.find("\"tls\": true") != std::string::npos, mails[0].meta);
}

// STARTTLS is required by default: a relay that does not offer it gets no
// mail; the failure is logged without an address and tried again an interval
// later, with no new event needed.
BOOST_AUTO_TEST_CASE(a_relay_without_starttls_gets_nothing_and_the_send_is_retried_next_interval) {
    store::test::temp_dir dir;
    smtp_sink sink(dir.path() / "mail");
    const auto settings = smtp_settings(sink.port());
    manual_clock clock(t0);
    log_lines log;
    notifier n(settings, make_transport(settings), clock, log.sink());
    std::vector<bool> attempts;
    n.on_attempt([&](const std::string&, bool sent) { attempts.push_back(sent); });
    n.note({event("care", 1, "report")});
    BOOST_TEST(n.send_due() == 1u);
    BOOST_TEST((attempts == std::vector<bool>{false}));
    BOOST_TEST(n.send_due() == 0u);
    clock.advance(interval);
    BOOST_TEST(n.send_due() == 1u);
    BOOST_TEST((attempts == std::vector<bool>{false, false}));
    BOOST_TEST(sink.mails().empty());
    const auto logged = log.all();
    BOOST_TEST(logged.find("desk care was not notified") != std::string::npos, logged);
    BOOST_TEST(logged.find('@') == std::string::npos, logged);
    BOOST_TEST(logged.find("example.org") == std::string::npos, logged);
}

BOOST_AUTO_TEST_CASE(a_relay_certificate_not_trusted_gets_nothing) {
    store::test::temp_dir dir;
    auto pair = tls::ensure_self_signed(dir.path() / "tls");
    BOOST_REQUIRE(pair.has_value());
    smtp_sink sink(dir.path() / "mail", std::pair{pair->certificate, pair->private_key});
    const auto settings = smtp_settings(sink.port()); // no ca_file: the system's CAs
    manual_clock clock(t0);
    notifier n(settings, make_transport(settings), clock, {});
    std::vector<bool> attempts;
    n.on_attempt([&](const std::string&, bool sent) { attempts.push_back(sent); });
    n.note({event("care", 1, "report")});
    BOOST_TEST(n.send_due() == 1u);
    BOOST_TEST((attempts == std::vector<bool>{false}));
    BOOST_TEST(sink.mails().empty());
}

// The thread: it sends on news (off the thread that noted it), then waits for
// the interval on the injected clock; poke() stands for time passing.
BOOST_AUTO_TEST_CASE(the_notifier_thread_sends_on_news_and_again_only_after_the_interval) {
    store::test::temp_dir dir;
    smtp_sink sink(dir.path() / "mail");
    const auto settings = smtp_settings(sink.port(), "require_starttls = false\n");
    manual_clock clock(t0);
    notifier n(settings, make_transport(settings), clock, {});
    std::mutex mutex;
    std::vector<std::thread::id> senders;
    n.on_attempt([&](const std::string&, bool) {
        std::lock_guard lock(mutex);
        senders.push_back(std::this_thread::get_id());
    });
    n.start();
    n.note({event("care", 1, "report")});
    BOOST_REQUIRE(sink.wait_for(1));
    n.note({event("care", 2, "report")});
    n.poke();
    clock.advance(interval);
    n.poke();
    BOOST_REQUIRE(sink.wait_for(2));
    n.stop();
    std::lock_guard lock(mutex);
    BOOST_REQUIRE(senders.size() == 2u);
    BOOST_TEST((senders[0] != std::this_thread::get_id()));
    BOOST_TEST(sink.mails().size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sendmail)

// A stand-in for the host's sendmail (none is installed here): it records its
// arguments and standard input. The addresses are arguments, never parsed by a shell.
BOOST_AUTO_TEST_CASE(addresses_are_arguments_and_the_mail_is_on_stdin_with_lf_line_ends) {
    store::test::temp_dir dir;
    const auto program = dir.path() / "sendmail";
    std::ofstream(program) << "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n"
                              "cat > \"$(dirname \"$0\")/mail\"\n";
    std::filesystem::permissions(program, std::filesystem::perms::owner_all);
    sendmail_transport t(program);
    const std::vector<std::string> to{"a@care.example.org", "b@care.example.org"};
    BOOST_REQUIRE(t.send("signaal@example.org", to,
                         compose_notice("signaal@example.org", "Care", "https://s.example.org/")));
    std::stringstream args;
    args << std::ifstream(dir.path() / "args").rdbuf();
    BOOST_TEST(args.str() ==
               "-i\n-f\nsignaal@example.org\n--\na@care.example.org\nb@care.example.org\n");
    std::stringstream mail;
    mail << std::ifstream(dir.path() / "mail").rdbuf();
    BOOST_TEST(mail.str().find('\r') == std::string::npos);
    BOOST_TEST(mail.str().find("There are new signals for Care.\n") != std::string::npos);

    std::ofstream(program) << "#!/bin/sh\ncat > /dev/null\nexit 75\n";
    const auto refused = t.send("signaal@example.org", to, "x");
    BOOST_REQUIRE(!refused);
    BOOST_TEST(refused.error().message.find("75") != std::string::npos);
    BOOST_TEST(refused.error().message.find('@') == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::notify
