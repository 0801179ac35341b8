// Bearer tokens: memory only, hashed, scoped, expiring, ended by logout and
// by disabling; and the request check every signed-in route starts with.
#include "server/api/authenticate.hpp"
#include "server/auth/token_registry.hpp"
#include "server/json/json.hpp"

#include <boost/test/unit_test.hpp>

using namespace signaal;

namespace {

auth::principal caseworker(std::string id, std::vector<std::string> desks) {
    auth::principal p;
    p.scope = auth::scope::staff;
    p.staff_id = std::move(id);
    p.role = auth::role::caseworker;
    p.desks = std::move(desks);
    return p;
}

auth::principal coordinator(std::string id) {
    auth::principal p;
    p.staff_id = std::move(id);
    p.role = auth::role::coordinator;
    return p;
}

auth::principal mailbox(std::uint8_t seed) {
    auth::principal p;
    p.scope = auth::scope::mailbox;
    p.mailbox_pk = std::vector<std::uint8_t>(32, seed);
    return p;
}

api::request with_bearer(const std::string& authorization) {
    api::request r;
    r.method = "GET";
    r.path = "/api/v1/inbox";
    r.authorization = authorization;
    return r;
}

std::string code_of(const api::response& r) {
    return std::string(json::parse(r.body)->at("error").at("code").as_string());
}

struct fixture {
    manual_clock clock{1'800'000'000};
    auth::token_registry tokens{clock, 4};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(token_registry_suite, fixture)

BOOST_AUTO_TEST_CASE(a_token_finds_its_principal_until_it_expires) {
    const auto t = tokens.issue(caseworker("ann", {"care"}), 60);
    BOOST_REQUIRE(t.has_value());
    BOOST_TEST(t->token.size() == 43u); // base64url of 32 bytes
    BOOST_TEST(t->expires_in == 60);
    auto who = tokens.find(t->token, auth::scope::staff);
    BOOST_REQUIRE(who.has_value());
    BOOST_TEST(who->staff_id == "ann");
    BOOST_TEST(who->holds_desk("care"));
    BOOST_TEST(!who->holds_desk("police"));
    clock.advance(59);
    BOOST_TEST(tokens.find(t->token, auth::scope::staff).has_value());
    clock.advance(1);
    BOOST_TEST(!tokens.find(t->token, auth::scope::staff).has_value());
}

BOOST_AUTO_TEST_CASE(scopes_do_not_mix) {
    const auto staff = tokens.issue(caseworker("ann", {"care"}), 60);
    const auto box = tokens.issue(mailbox(1), 60);
    BOOST_TEST(!tokens.find(staff->token, auth::scope::mailbox).has_value());
    BOOST_TEST(!tokens.find(box->token, auth::scope::staff).has_value());
    BOOST_TEST(tokens.find(box->token, auth::scope::mailbox).has_value());
}

BOOST_AUTO_TEST_CASE(unknown_malformed_and_ended_tokens_find_nothing) {
    const auto t = tokens.issue(caseworker("ann", {"care"}), 60);
    BOOST_TEST(!tokens.find("", auth::scope::staff).has_value());
    BOOST_TEST(!tokens.find("not base64url!", auth::scope::staff).has_value());
    BOOST_TEST(!tokens.find(std::string(43, 'A'), auth::scope::staff).has_value());
    BOOST_TEST(!tokens.find(t->token + "A", auth::scope::staff).has_value());
    BOOST_TEST(tokens.end(t->token));
    BOOST_TEST(!tokens.find(t->token, auth::scope::staff).has_value());
    BOOST_TEST(!tokens.end(t->token));
}

BOOST_AUTO_TEST_CASE(ending_a_staff_member_ends_all_their_tokens_and_tells_listeners) {
    const auto a1 = tokens.issue(caseworker("ann", {"care"}), 60);
    const auto a2 = tokens.issue(caseworker("ann", {"care"}), 60);
    const auto b = tokens.issue(caseworker("bob", {"police"}), 60);
    std::vector<std::string> told;
    tokens.on_staff_ended([&](const std::string& id) { told.push_back(id); });
    tokens.end_staff("ann");
    BOOST_TEST(!tokens.find(a1->token, auth::scope::staff).has_value());
    BOOST_TEST(!tokens.find(a2->token, auth::scope::staff).has_value());
    BOOST_TEST(tokens.find(b->token, auth::scope::staff).has_value());
    BOOST_TEST((told == std::vector<std::string>{"ann"}));
}

BOOST_AUTO_TEST_CASE(ending_a_mailbox_ends_only_that_reports_tokens) {
    const auto one = tokens.issue(mailbox(1), 60);
    const auto two = tokens.issue(mailbox(2), 60);
    tokens.end_mailbox(std::vector<std::uint8_t>(32, 1));
    BOOST_TEST(!tokens.find(one->token, auth::scope::mailbox).has_value());
    BOOST_TEST(tokens.find(two->token, auth::scope::mailbox).has_value());
}

BOOST_AUTO_TEST_CASE(a_full_registry_sweeps_expired_tokens_then_refuses) {
    for (int i = 0; i < 4; ++i) {
        BOOST_REQUIRE(tokens.issue(mailbox(static_cast<std::uint8_t>(i)), 10).has_value());
    }
    BOOST_TEST(!tokens.issue(mailbox(9), 10).has_value());
    clock.advance(10);
    BOOST_TEST(tokens.issue(mailbox(9), 10).has_value());
    BOOST_TEST(tokens.size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_request_check_answers_401_and_403) {
    const auto ann = tokens.issue(caseworker("ann", {"care"}), 60);
    const auto cora = tokens.issue(coordinator("cora"), 60);

    BOOST_TEST(api::bearer_token("Bearer abc") == "abc");
    BOOST_TEST(api::bearer_token("bearer abc") == "abc");
    BOOST_TEST(api::bearer_token("Basic abc").empty());
    BOOST_TEST(api::bearer_token("Bearer").empty());
    BOOST_TEST(api::bearer_token("BearerXabc").empty());

    auto none = api::authenticate(tokens, with_bearer(""), auth::scope::staff);
    BOOST_REQUIRE(!none.has_value());
    BOOST_TEST(none.error().status == 401u);
    BOOST_TEST(code_of(none.error()) == "unauthorized");

    auto ok = api::authenticate_caseworker(tokens, with_bearer("Bearer " + ann->token));
    BOOST_REQUIRE(ok.has_value());
    BOOST_TEST(ok->staff_id == "ann");

    auto wrong_role = api::authenticate_caseworker(tokens, with_bearer("Bearer " + cora->token));
    BOOST_REQUIRE(!wrong_role.has_value());
    BOOST_TEST(wrong_role.error().status == 403u);
    BOOST_TEST(code_of(wrong_role.error()) == "forbidden");

    auto coord = api::authenticate_coordinator(tokens, with_bearer("Bearer " + cora->token));
    BOOST_TEST(coord.has_value());
    auto not_coord = api::authenticate_coordinator(tokens, with_bearer("Bearer " + ann->token));
    BOOST_TEST(not_coord.error().status == 403u);

    clock.advance(60);
    auto expired = api::authenticate_caseworker(tokens, with_bearer("Bearer " + ann->token));
    BOOST_TEST(expired.error().status == 401u);
}

BOOST_AUTO_TEST_SUITE_END()
