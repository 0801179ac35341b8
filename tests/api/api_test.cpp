#define BOOST_TEST_MODULE api_test
// The request handlers without sockets: report checks in protocol order,
// proof-of-work tokens against a moving clock, headers and static files.
#include "crypto/base64url.hpp"
#include "crypto/key_id.hpp"
#include "crypto/pow.hpp"
#include "crypto/random.hpp"
#include "server/api/config_document.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/message.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_intake.hpp"
#include "server/api/report_submission.hpp"
#include "server/api/static_files.hpp"
#include "server/common/clock.hpp"
#include "server/server_options.hpp"
#include "tests/api/demo_desks.hpp"
#include "tests/support/report_builder.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <random>

using namespace signaal;

namespace {

constexpr std::int64_t start_time = 1'790'000'000;

struct desks_fixture {
    desks_fixture() : view(testing::demo_desks(keys)) {}

    json::value report(std::vector<std::string> consent, std::vector<std::string> desks,
                       const std::string& category = "physical_violence") const {
        testing::report_input in;
        in.category = category;
        in.consent = std::move(consent);
        in.desks = std::move(desks);
        in.plaintext = R"({"v":1,"lang":"en","text":"unit"})";
        for (const auto& d : in.desks) {
            in.keys[d] = &keys.at(d);
        }
        return testing::build_report(in);
    }

    std::string code_of(const json::value& body) const {
        auto checked = api::check_submission(body, settings, view, now);
        if (checked) {
            return "ok";
        }
        const auto doc = json::parse(checked.error().body);
        return std::string(doc->at("error").at("code").as_string());
    }

    config::settings settings = *config::load_defaults(".");
    std::int64_t now = start_time;
    std::map<std::string, testing::desk_keypair> keys; // before view: demo_desks fills it
    api::desk_keys_view view;
};

} // namespace

BOOST_AUTO_TEST_CASE(utc_day_has_no_time_of_day) {
    BOOST_TEST(signaal::utc_day(0) == "1970-01-01");
    BOOST_TEST(signaal::utc_day(1'795'910'399) == "2026-11-28");
    BOOST_TEST(signaal::utc_day(1'795'910'400) == "2026-11-29");
}

BOOST_AUTO_TEST_CASE(content_types_and_encodings) {
    BOOST_TEST(api::is_json_content_type("application/json"));
    BOOST_TEST(api::is_json_content_type("Application/JSON; charset=utf-8"));
    BOOST_TEST(!api::is_json_content_type("application/jsonx"));
    BOOST_TEST(!api::is_json_content_type("text/plain"));
    BOOST_TEST(!api::is_json_content_type(""));
    BOOST_TEST(api::accepts_encoding("gzip, deflate, br", "br"));
    BOOST_TEST(api::accepts_encoding("GZIP;q=0.5", "gzip"));
    BOOST_TEST(!api::accepts_encoding("br;q=0, gzip", "br"));
    BOOST_TEST(!api::accepts_encoding("br;q=0.000", "br"));
    BOOST_TEST(!api::accepts_encoding("gzip", "br"));
    BOOST_TEST(!api::accepts_encoding("", "gzip"));
    BOOST_TEST(api::query_param("after=5&limit=10", "limit") == "10");
    BOOST_TEST(api::query_param("after=5&limit=10", "before").empty());
}

BOOST_FIXTURE_TEST_CASE(a_valid_report_passes_and_consent_is_sorted, desks_fixture) {
    auto checked =
        api::check_submission(report({"police", "care"}, {"care", "police"}), settings, view, now);
    BOOST_REQUIRE(checked);
    BOOST_TEST((checked->report.consent == std::vector<std::string>{"care", "police"}));
    BOOST_TEST(!checked->has_pow);
    BOOST_TEST(checked->report.envelopes.size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(checks_come_in_protocol_order, desks_fixture) {
    // A shape error wins over an unknown id; an unknown id over consent; consent over keys.
    auto body = report({"care"}, {"care"});
    auto& object = body.as_object();
    testing::member(object, "category") = "weather";
    BOOST_TEST(code_of(body) == "unknown_category");
    testing::member(object, "v") = 2;
    BOOST_TEST(code_of(body) == "bad_request");

    auto consent = report({"care"}, {"care"});
    testing::member(consent.as_object(), "desks") = json::array{"care", "police"};
    BOOST_TEST(code_of(consent) == "consent_violation");

    auto stale = report({"care"}, {"care"});
    view.accepted["care"].clear();
    BOOST_TEST(code_of(stale) == "stale_key");
}

// docs/protocol-notes.md "previous_keys": a rotated-out key still accepted is
// listed under its desk, so a reporter's page can check a reply boxed under it.
BOOST_FIXTURE_TEST_CASE(config_lists_previous_keys_still_accepted, desks_fixture) {
    const auto old_key = crypto::random_bytes(32);
    const auto old_id = crypto::key_id_of(old_key);
    view.accepted["care"].push_back(
        {std::vector<std::uint8_t>(old_id.begin(), old_id.end()), start_time + 60, old_key});
    const auto doc = json::parse(api::config_document(settings, view)).value();
    for (const auto& desk : doc.at("desks").as_array()) {
        const auto& previous = desk.at("previous_keys").as_array();
        if (desk.at("id").as_string() != "care") {
            BOOST_TEST(previous.empty());
            continue;
        }
        BOOST_REQUIRE_EQUAL(previous.size(), 1u);
        BOOST_TEST(previous.at(0).at("public_key").as_string() ==
                   crypto::base64url_encode(old_key));
        BOOST_TEST(previous.at(0).at("key_id").as_string() == crypto::base64url_encode(old_id));
        // The current key is not listed again.
        BOOST_TEST(desk.at("key_id") != previous.at(0).at("key_id"));
    }
}

BOOST_FIXTURE_TEST_CASE(a_desk_without_a_key_is_unknown, desks_fixture) {
    view.current.erase("police");
    view.accepted.erase("police");
    BOOST_TEST(code_of(report({"care", "police"}, {"care", "police"})) == "unknown_desk");
}

BOOST_FIXTURE_TEST_CASE(routing_limits_desks, desks_fixture) {
    BOOST_TEST(code_of(report({"care", "police"}, {"care"}, "health")) == "ok");
    BOOST_TEST(code_of(report({"care", "police"}, {"care", "police"}, "health")) ==
               "consent_violation");
    BOOST_TEST(code_of(report({}, {})) == "ok"); // count only
}

BOOST_AUTO_TEST_CASE(pow_tokens_expire_and_must_meet_the_difficulty) {
    manual_clock clock(start_time);
    api::pow_service pow(crypto::pow_tokens(crypto::random_secret(32)), clock, 8, 600);
    const auto issued = json::parse(pow.issue().body);
    const auto token = crypto::base64url_decode(issued->at("token").as_string()).value();
    BOOST_TEST(issued->at("difficulty").as_int64() == 8);
    const auto nonce = crypto::pow_solve(token, 8);
    const auto accepted = pow.check(token, nonce);
    BOOST_REQUIRE(accepted);
    BOOST_TEST(accepted->expires == start_time + 600);
    BOOST_TEST(accepted->token_hash.size() == 32u);
    std::vector<std::uint8_t> weak(8, 0);
    while (crypto::pow_satisfied(token, weak, 8)) {
        ++weak[7];
    }
    BOOST_TEST(!pow.check(token, weak));
    clock.advance(600);
    BOOST_TEST(!pow.check(token, nonce)); // expired at exactly its expiry
    // A token minted under another key is not ours.
    api::pow_service other(crypto::pow_tokens(crypto::random_secret(32)), clock, 8, 600);
    const auto foreign =
        crypto::base64url_decode(json::parse(other.issue().body)->at("token").as_string()).value();
    BOOST_TEST(!pow.check(foreign, crypto::pow_solve(foreign, 8)));
}

BOOST_AUTO_TEST_CASE(static_files_serve_only_what_is_there) {
    const auto root = std::filesystem::temp_directory_path() /
                      ("signaal-static-" + crypto::base64url_encode(crypto::random_bytes(6)));
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<p>hi</p>";
    std::ofstream(root / "index.html.br") << "brotli";
    std::ofstream(root / "assets" / "app.js") << "console.log(1)";
    std::filesystem::create_directories(root / "desk");
    std::ofstream(root / "desk" / "index.html") << "<p>inbox</p>";
    api::static_files files(root);
    BOOST_TEST(files.size() == 3u);
    // A folder's page is its index.html: the web inbox at /desk/.
    const auto inbox = files.serve("/desk/", "");
    BOOST_REQUIRE(inbox);
    BOOST_TEST(inbox->body == "<p>inbox</p>");
    BOOST_TEST(inbox->content_type.starts_with("text/html"));
    BOOST_TEST(!files.serve("/assets/", ""));
    const auto index = files.serve("/", "gzip, br");
    BOOST_REQUIRE(index);
    BOOST_TEST(index->content_encoding == "br");
    BOOST_TEST(index->body == "brotli");
    const auto js = files.serve("/assets/app.js", "br");
    BOOST_REQUIRE(js);
    BOOST_TEST(js->content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(js->content_encoding.empty());
    BOOST_TEST(!files.serve("/assets", ""));
    BOOST_TEST(!files.serve("/../etc/passwd", ""));
    BOOST_TEST(!files.serve("/index.html.br", ""));
    std::filesystem::remove_all(root);
    BOOST_TEST(api::static_files(root / "missing").size() == 0u);
}

BOOST_AUTO_TEST_CASE(server_command_line) {
    const auto ok =
        parse_server_options({"--config", "x.toml", "--listen", "127.0.0.1:0", "--data-dir", "d"});
    BOOST_REQUIRE(ok);
    BOOST_TEST(ok->config_file->string() == "x.toml");
    BOOST_TEST(*ok->listen == "127.0.0.1:0");
    BOOST_TEST(parse_server_options({"--help"})->help);
    BOOST_TEST(
        parse_server_options({"--verbose"}).error().message.find("unknown option '--verbose'") ==
        0u);
    BOOST_TEST(parse_server_options({"--config"}).error().message == "--config needs a value");
    BOOST_TEST(parse_server_options({"--listen", ""}).error().message == "--listen needs a value");

    server_options bad_listen;
    bad_listen.listen = "localhost:8443";
    const auto refused = load_server_settings(bad_listen);
    BOOST_TEST(!refused);
    BOOST_TEST(refused.error().message.find("--listen: ") == 0u);
    server_options missing;
    missing.config_file = "/nonexistent/signaal.toml";
    BOOST_TEST(!load_server_settings(missing));
}

// A bounded, seeded mutation run (under ASan in CI): no input crashes the parser or
// the report checks, and whatever passes the checks is a well-formed submission.
BOOST_FIXTURE_TEST_CASE(mutated_bodies_never_crash_the_checks, desks_fixture) {
    const auto valid = json::serialize(report({"care", "police"}, {"care", "police"}));
    std::mt19937 random(20261128);
    std::size_t accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        auto text = valid;
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits; ++e) {
            const auto at = random() % text.size();
            switch (random() % 3) {
            case 0:
                text[at] = static_cast<char>(random() % 256);
                break;
            case 1:
                text.erase(at, 1 + random() % 8);
                break;
            default:
                text.insert(at, text.substr(random() % text.size(), 1 + random() % 8));
            }
            if (text.empty()) {
                text = "{";
            }
        }
        const auto parsed = json::parse(text);
        if (!parsed) {
            continue;
        }
        const auto checked = api::check_submission(*parsed, settings, view, now);
        if (!checked) {
            BOOST_TEST(checked.error().status >= 400u);
            continue;
        }
        ++accepted;
        const auto& r = checked->report;
        BOOST_TEST(r.desks.size() == r.envelopes.size());
        BOOST_TEST(std::is_sorted(r.consent.begin(), r.consent.end()));
    }
    BOOST_TEST_MESSAGE(accepted << " of 20000 mutated bodies still passed the checks");
}
