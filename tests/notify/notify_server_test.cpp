// The real server mails a desk's addresses through a real SMTP server on
// loopback when reports arrive over HTTPS: one mail for a burst (the interval
// is a minute at least, far longer than this test), holding no report id,
// category or text.
#include <boost/test/unit_test.hpp>

#include "server/json/json.hpp"
#include "tests/notify/smtp_sink.hpp"
#include "tests/store/temp_dir.hpp"
#include "tests/support/in_process_server.hpp"
#include "tests/support/report_builder.hpp"
#include "tests/support/test_instance.hpp"

namespace signaal::notify {
namespace {

std::string plaintext(const std::string& text) {
    return json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
}

std::string instance_toml(std::uint16_t smtp_port) {
    return "[notifications]\ntransport = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:" +
           std::to_string(smtp_port) +
           "\"\nrequire_starttls = false\ninterval_minutes = 60\n"
           "from = \"signaal@example.org\"\ninbox_url = \"https://signaal.example.org/desk/\"\n"
           "[[desks]]\nid = \"care\"\nname = { en = \"Care services\" }\nabout = { en = \"Care.\" "
           "}\n"
           "notify = [\"a.worker@care.example.org\"]\n"
           "[[desks]]\nid = \"municipality\"\nname = { en = \"Municipality\" }\n"
           "about = { en = \"Policy.\" }\n"
           "[[desks]]\nid = \"police\"\nname = { en = \"Police\" }\nabout = { en = \"Police.\" }\n"
           "notify = [\"b.worker@police.example.org\"]\n";
}

} // namespace

BOOST_AUTO_TEST_SUITE(server)

BOOST_AUTO_TEST_CASE(reports_over_https_give_one_mail_per_desk_with_only_the_desk_and_the_link) {
    store::test::temp_dir scratch;
    testing::smtp_sink sink(scratch.path() / "mail");
    testing::test_instance instance({}, instance_toml(sink.port()), 1);
    testing::in_process_server server(instance);
    auto client = server.client();
    std::vector<std::string> ids;
    const auto send = [&](std::vector<std::string> desks, const std::string& text) {
        testing::report_input in;
        in.category = "stealthing";
        in.consent = in.desks = desks;
        in.plaintext = plaintext(text);
        for (const auto& d : desks) {
            in.keys[d] = &instance.key(d);
        }
        const auto reply = instance.submit(client, testing::build_report(in));
        BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
        ids.emplace_back(json::parse(reply.body)->at("id").as_string());
    };
    send({"care"}, "first report");
    BOOST_REQUIRE(sink.wait_for(1));
    for (int i = 0; i < 5; ++i) {
        send({"care"}, "burst " + std::to_string(i));
    }
    send({"municipality"}, "no addresses"); // municipality has none: no mail
    send({"care", "police"}, "both");
    BOOST_REQUIRE(sink.wait_for(2)); // police's first
    server.stop();

    const auto mails = sink.mails();
    BOOST_REQUIRE(mails.size() == 2u); // care once, police once: the burst waits an hour
    for (const auto& m : mails) {
        const bool care = m.meta.find("a.worker@care.example.org") != std::string::npos;
        BOOST_TEST(m.raw.ends_with("\r\n\r\nThere are new signals for " +
                                   std::string(care ? "Care services" : "Police") +
                                   ".\r\n\r\nhttps://signaal.example.org/desk/\r\n"));
        for (const auto& id : ids) {
            BOOST_TEST(m.raw.find(id) == std::string::npos);
        }
        for (const char* word : {"stealthing", "burst", "report", "Date:", "Message-ID"}) {
            BOOST_TEST(m.raw.find(word) == std::string::npos, word);
        }
    }
    BOOST_TEST(server.output().find("worker@") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::notify
