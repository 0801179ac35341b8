// [notifications], [[desks]] notify and [metrics]: every key checked, with a
// clear error naming it; the metrics listener only on a loopback address.
#include <boost/test/unit_test.hpp>

#include "server/config/settings.hpp"

#include <filesystem>
#include <string>

namespace cfg = signaal::config;

namespace {

std::string error_of(const std::string& toml) {
    auto r = cfg::load_string(toml, "/srv/signaal", "signaal.toml");
    return r ? std::string("(loaded)") : r.error().message;
}

const std::string ready = "[notifications]\nfrom = \"signaal@example.org\"\n"
                          "inbox_url = \"https://signaal.example.org/desk/\"\n";

} // namespace

BOOST_AUTO_TEST_SUITE(operations_config)

BOOST_AUTO_TEST_CASE(notifications_are_off_and_metrics_absent_by_default) {
    auto s = cfg::load_string("", "/srv/signaal");
    BOOST_REQUIRE(s);
    BOOST_TEST(s->notify_transport == "off");
    BOOST_TEST(s->notify_interval_minutes == 15u);
    BOOST_TEST(s->notify_require_starttls);
    BOOST_TEST(!s->metrics_listen.has_value());
    for (const auto& d : s->desks) {
        BOOST_TEST(d.notify.empty());
    }
}

BOOST_AUTO_TEST_CASE(the_example_file_shows_the_notification_and_metrics_defaults) {
    const std::filesystem::path example =
        std::filesystem::path(SIGNAAL_SOURCE_DIR) / "config" / "signaal.example.toml";
    auto e = cfg::load_file(example);
    BOOST_REQUIRE_MESSAGE(e.has_value(), (e ? std::string() : e.error().message));
    auto d = cfg::load_defaults(std::filesystem::absolute(example).parent_path());
    BOOST_REQUIRE(d.has_value());
    BOOST_TEST(e->notify_transport == d->notify_transport);
    BOOST_TEST(e->notify_interval_minutes == d->notify_interval_minutes);
    BOOST_TEST(e->notify_require_starttls == d->notify_require_starttls);
    BOOST_TEST(e->notify_smtp_url == d->notify_smtp_url);
    BOOST_TEST(e->notify_sendmail == d->notify_sendmail);
    BOOST_TEST(e->notify_from == d->notify_from);
    BOOST_TEST(e->notify_inbox_url == d->notify_inbox_url);
    BOOST_TEST(e->notify_ca_file.has_value() == d->notify_ca_file.has_value());
    BOOST_TEST(e->metrics_listen.has_value() == d->metrics_listen.has_value());
}

BOOST_AUTO_TEST_CASE(every_notification_key_is_checked) {
    BOOST_TEST(error_of("[notifications]\ntransport = \"pigeon\"\n") ==
               "signaal.toml: notifications.transport: must be \"off\", \"smtp\" or \"sendmail\"");
    BOOST_TEST(error_of("[notifications]\ninterval_minutes = 0\n") ==
               "signaal.toml: notifications.interval_minutes: must be between 1 and 1440");
    BOOST_TEST(error_of("[notifications]\nsmtp_url = \"smtp://user:pw@relay:587\"\n")
                   .starts_with("signaal.toml: notifications.smtp_url: must be smtp://"));
    BOOST_TEST(error_of("[notifications]\nsmtp_url = \"http://relay\"\n")
                   .starts_with("signaal.toml: notifications.smtp_url: "));
    BOOST_TEST(error_of("[notifications]\nrequire_starttls = \"yes\"\n") ==
               "signaal.toml: notifications.require_starttls: must be true or false");
    BOOST_TEST(error_of("[notifications]\nfrom = \"Signaal <s@example.org>\"\n")
                   .starts_with("signaal.toml: notifications.from: must be a plain address"));
    BOOST_TEST(error_of("[notifications]\ninbox_url = \"ftp://x\"\n")
                   .starts_with("signaal.toml: notifications.inbox_url: "));
    BOOST_TEST(error_of("[notifications]\nbell = 1\n") ==
               "signaal.toml: notifications.bell: unknown key");
    BOOST_TEST(error_of("[notifications]\ntransport = \"sendmail\"\n")
                   .starts_with("signaal.toml: notifications.from: missing"));
    BOOST_TEST(error_of("[notifications]\ntransport = \"sendmail\"\nfrom = \"s@example.org\"\n")
                   .starts_with("signaal.toml: notifications.inbox_url: missing"));
    BOOST_TEST(error_of(ready + "transport = \"smtp\"\n")
                   .starts_with("signaal.toml: notifications.smtp_url: missing"));
    auto s = cfg::load_string(
        ready + "transport = \"smtp\"\nsmtp_url = \"smtp://relay.example.org:587\"\n"
                "ca_file = \"relay-ca.pem\"\ninterval_minutes = 5\n",
        "/srv/signaal");
    BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? std::string() : s.error().message));
    BOOST_TEST(s->notify_smtp_url == "smtp://relay.example.org:587");
    BOOST_TEST(s->notify_ca_file->string() == "/srv/signaal/relay-ca.pem");
    BOOST_TEST(s->notify_interval_minutes == 5u);
}

BOOST_AUTO_TEST_CASE(desk_addresses_are_plain_addresses_listed_once) {
    const std::string desk = "[[desks]]\nid = \"care\"\nname = { en = \"Care\" }\nabout = { en = "
                             "\"Helps.\" }\n[routing]\nphysical_violence = [\"care\"]\n";
    const std::string bad[] = {
        "x",         "a@",       "@b.org",  "a b@c.org", "a@b.org\\r\\nBcc: c@d.org",
        "<a@b.org>", "a@b..org", "a@-b.org"};
    for (const auto& address : bad) {
        const auto e = error_of(desk +
                                "[[desks]]\nid = \"police\"\nname = { en = \"P\" }\n"
                                "about = { en = \"P.\" }\nnotify = [\"" +
                                address + "\"]\n");
        BOOST_TEST(e.starts_with("signaal.toml: desks[1].notify: "), address << ": " << e);
    }
    const auto twice =
        error_of("[[desks]]\nid = \"care\"\nname = { en = \"Care\" }\nabout = { en = \"H.\" }\n"
                 "notify = [\"a@b.org\", \"a@b.org\"]\n");
    BOOST_TEST(twice.starts_with("signaal.toml: desks[0].notify: lists \"a@b.org\" twice"), twice);
}

BOOST_AUTO_TEST_CASE(the_metrics_listener_must_be_loopback) {
    for (const char* address :
         {"0.0.0.0:9464", "192.168.1.5:9464", "[::]:9464", "[fe80::1]:9464"}) {
        BOOST_TEST(error_of(std::string("[metrics]\nlisten = \"") + address + "\"\n") ==
                       "signaal.toml: metrics.listen: must be a loopback address (127.0.0.1 or "
                       "[::1]): this listener has no TLS and no sign-in",
                   address);
    }
    BOOST_TEST(error_of("[metrics]\nlisten = \"localhost:9464\"\n")
                   .starts_with("signaal.toml: metrics.listen: the host must be"));
    for (const char* address : {"127.0.0.1:9464", "127.0.0.2:0", "[::1]:9464"}) {
        auto s = cfg::load_string(std::string("[metrics]\nlisten = \"") + address + "\"\n", "/");
        BOOST_REQUIRE_MESSAGE(s.has_value(), address);
        BOOST_TEST(s->metrics_listen.has_value());
    }
}

BOOST_AUTO_TEST_SUITE_END()
