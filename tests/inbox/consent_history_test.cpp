// How signaal-inbox judges a report's consent changes, without a server: each
// must be signed with the mailbox key sealed in the report, numbered 1..n
// without a gap, and replay from the sealed consent to exactly what the
// server serves (PROTOCOL.md §7, stepped consent).
#include "crypto/base64url.hpp"
#include "crypto/consent_signature.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"
#include "tools/inbox/consent_history.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace signaal::inbox {
namespace {

using crypto::base64url_encode;
using strings = std::vector<std::string>;

struct fixture {
    std::string report_id = base64url_encode(crypto::random_bytes(16));
    crypto::sign_keypair mailbox = crypto::sign_keygen();
    std::string mailbox_pk = base64url_encode(mailbox.public_key);

    /// A served change, signed with `signer` (her mailbox key unless given).
    json::object change(std::int64_t number, const strings& add, const strings& remove,
                        const crypto::sign_keypair* signer = nullptr) const {
        const auto& key = signer != nullptr ? *signer : mailbox;
        const auto signed_bytes = crypto::consent_signed_bytes(
            report_id, static_cast<std::uint64_t>(number), add, remove);
        return json::object{
            {"change", number},
            {"day", "2026-11-29"},
            {"add", json::array(add.begin(), add.end())},
            {"remove", json::array(remove.begin(), remove.end())},
            {"signature", base64url_encode(crypto::sign_detached(signed_bytes, key.secret_key))}};
    }

    /// A report view sealed for care and municipality, with these changes and current fields.
    static json::object view(json::array changes, const strings& consent, const strings& desks,
                             const strings& pending) {
        return json::object{{"sealed_consent", json::array{"care", "municipality"}},
                            {"sealed_desks", json::array{"care", "municipality"}},
                            {"consent", json::array(consent.begin(), consent.end())},
                            {"desks", json::array(desks.begin(), desks.end())},
                            {"pending", json::array(pending.begin(), pending.end())},
                            {"consent_changes", std::move(changes)}};
    }

    consent_history check(const json::object& v, const std::string& key) const {
        auto served = read_served_consent(v);
        BOOST_REQUIRE_MESSAGE(served.has_value(), served.error().message);
        return check_consent_history(report_id, *served, key);
    }
    consent_history check(const json::object& v) const { return check(v, mailbox_pk); }
};

std::string problems_of(const consent_history& h) {
    std::string out;
    for (const auto& p : h.problems) {
        out += p + "\n";
    }
    return out;
}

std::string printed(const consent_history& h) {
    std::ostringstream out;
    print_consent_history(out, h);
    return out.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(consent_history_checks)

BOOST_AUTO_TEST_CASE(a_signed_history_replays_to_the_served_consent_desks_and_pending) {
    fixture f;
    const auto h = f.check(
        fixture::view(json::array{f.change(1, {"police"}, {}), f.change(2, {}, {"municipality"})},
                      {"care", "police"}, {"care"}, {"police"}));
    BOOST_TEST(h.holds(), problems_of(h));
    BOOST_REQUIRE_EQUAL(h.changes.size(), 2u);
    BOOST_TEST(h.changes[0].verified);
    BOOST_TEST(h.changes[1].verified);
    BOOST_TEST(h.replayed_consent == (strings{"care", "police"}));
    BOOST_TEST(h.replayed_desks == (strings{"care", "police"}));
    const auto out = printed(h);
    BOOST_TEST(
        out.find("change 1: 2026-11-29, add police, remove -: verified") != std::string::npos, out);
    BOOST_TEST(out.find("change 2: 2026-11-29, add -, remove municipality: verified") !=
                   std::string::npos,
               out);
    BOOST_TEST(out.find("consent history: verified (2 changes") != std::string::npos, out);
    BOOST_TEST(out.find("WARNING") == std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(a_report_without_changes_holds_and_prints_nothing) {
    fixture f;
    const auto h = f.check(
        fixture::view(json::array{}, {"care", "municipality"}, {"care", "municipality"}, {}), "");
    BOOST_TEST(h.holds(), problems_of(h));
    BOOST_TEST(printed(h).empty());
}

BOOST_AUTO_TEST_CASE(a_changed_signature_is_rejected) {
    fixture f;
    auto c = f.change(1, {"police"}, {});
    auto signature = crypto::base64url_decode(c.at("signature").as_string()).value();
    signature[10] ^= 1;
    c["signature"] = base64url_encode(signature);
    const auto h = f.check(fixture::view(json::array{c}, {"care", "municipality", "police"},
                                         {"care", "municipality"}, {"police"}));
    BOOST_TEST(!h.holds());
    BOOST_TEST(!h.changes.at(0).verified);
    BOOST_TEST(problems_of(h) == "change 1: its signature does not verify against the mailbox key "
                                 "sealed in the report\n");
    const auto out = printed(h);
    BOOST_TEST(out.find("change 1: 2026-11-29, add police, remove -: REJECTED: its signature") !=
                   std::string::npos,
               out);
    BOOST_TEST(out.find("WARNING:  the consent history does not hold; do not forward") !=
                   std::string::npos,
               out);
    // A signature that is not 64 bytes of base64url is the same refusal.
    c["signature"] = "not+base64";
    const auto garbled = f.check(fixture::view(json::array{c}, {"care", "municipality", "police"},
                                               {"care", "municipality"}, {"police"}));
    BOOST_TEST(!garbled.holds());
    BOOST_TEST(!garbled.changes.at(0).verified);
}

BOOST_AUTO_TEST_CASE(a_change_signed_with_a_foreign_key_is_rejected_whatever_the_server_serves) {
    fixture f;
    const auto forger = crypto::sign_keygen();
    const auto v =
        fixture::view(json::array{f.change(1, {"police"}, {}, &forger)},
                      {"care", "municipality", "police"}, {"care", "municipality"}, {"police"});
    // Against the key sealed in the report: refused.
    const auto h = f.check(v);
    BOOST_TEST(!h.holds());
    BOOST_TEST(!h.changes.at(0).verified);
    // The forger's key verifies it (the check is real), but a client only ever
    // hands in the sealed key, never the served reply_mailbox_pk.
    BOOST_TEST(f.check(v, base64url_encode(forger.public_key)).holds());
    // A report that sealed no mailbox key has no change that can be hers.
    const auto keyless = f.check(v, "");
    BOOST_TEST(!keyless.holds());
    BOOST_TEST(problems_of(keyless).find("no mailbox key sealed inside") != std::string::npos,
               problems_of(keyless));
    // Another report's id under her own key: the signature covers the id.
    fixture other;
    other.mailbox = crypto::sign_seed_keypair(crypto::random_bytes(32));
    other.mailbox_pk = base64url_encode(other.mailbox.public_key);
    const auto moved = other.check(
        fixture::view(json::array{f.change(1, {"police"}, {}, &other.mailbox)},
                      {"care", "municipality", "police"}, {"care", "municipality"}, {"police"}));
    BOOST_TEST(!moved.holds());
}

BOOST_AUTO_TEST_CASE(a_gap_or_a_repeat_in_the_numbers_is_rejected) {
    fixture f;
    const auto gap = f.check(
        fixture::view(json::array{f.change(1, {"police"}, {}), f.change(3, {}, {"municipality"})},
                      {"care", "police"}, {"care"}, {"police"}));
    BOOST_TEST(!gap.holds());
    BOOST_TEST(gap.changes.at(1).verified); // her signature, but not her history
    BOOST_TEST(problems_of(gap) == "change 3: its number should be 2 (the changes are numbered 1, "
                                   "2, … without a gap)\n");
    BOOST_TEST(printed(gap).find("change 3: 2026-11-29, add -, remove municipality: signed by her, "
                                 "but REJECTED") != std::string::npos,
               printed(gap));

    const auto first_missing = f.check(fixture::view(json::array{f.change(2, {"police"}, {})},
                                                     {"care", "municipality", "police"},
                                                     {"care", "municipality"}, {"police"}));
    BOOST_TEST(!first_missing.holds());

    // Her genuine change 1, served twice (an old change replayed).
    const auto repeat = f.check(
        fixture::view(json::array{f.change(1, {"police"}, {}), f.change(1, {"police"}, {})},
                      {"care", "municipality", "police"}, {"care", "municipality"}, {"police"}));
    BOOST_TEST(!repeat.holds());
}

BOOST_AUTO_TEST_CASE(a_history_that_does_not_replay_to_the_served_consent_is_rejected) {
    fixture f;
    const auto one_change = json::array{f.change(1, {"police"}, {})};
    // The server adds a desk she never asked for, to consent and pending.
    const auto widened = f.check(fixture::view(one_change, {"care", "municipality", "police", "x"},
                                               {"care", "municipality"}, {"police", "x"}));
    BOOST_TEST(!widened.holds());
    BOOST_TEST(widened.changes.at(0).problem.empty()); // the change itself is hers
    BOOST_TEST(problems_of(widened) ==
               "replaying the changes from the sealed consent gives care, municipality, police, "
               "but the server serves consent care, municipality, police, x\n"
               "replaying the changes from the sealed desks gives care, municipality, police, but "
               "the server serves desks care, municipality and pending police, x\n");
    // A desk served as reading it that was sealed to it neither then nor since.
    const auto extra_reader = f.check(fixture::view(one_change, {"care", "municipality", "police"},
                                                    {"care", "municipality", "x"}, {"police"}));
    BOOST_TEST(!extra_reader.holds());
    // A desk served as both reading it and pending.
    const auto both = f.check(fixture::view(one_change, {"care", "municipality", "police"},
                                            {"care", "municipality", "police"}, {"police"}));
    BOOST_TEST(!both.holds());
    BOOST_TEST(problems_of(both).find("both holding the report and pending") != std::string::npos,
               problems_of(both));
    // A pending desk dropped without her removal.
    BOOST_TEST(!f.check(fixture::view(one_change, {"care", "municipality", "police"},
                                      {"care", "municipality"}, {}))
                    .holds());
}

BOOST_AUTO_TEST_CASE(a_signed_change_that_does_not_fit_the_history_is_rejected) {
    fixture f;
    // Adding a desk that reads it already, removing one that never did, and an empty change.
    const auto adds_reader =
        f.check(fixture::view(json::array{f.change(1, {"care"}, {})}, {"care", "municipality"},
                              {"care", "municipality"}, {}));
    BOOST_TEST(problems_of(adds_reader) ==
               "change 1: it adds care, which could read the report already\n");
    const auto removes_stranger =
        f.check(fixture::view(json::array{f.change(1, {}, {"police"})}, {"care", "municipality"},
                              {"care", "municipality"}, {}));
    BOOST_TEST(problems_of(removes_stranger) ==
               "change 1: it removes police, which could not read the report\n");
    const auto empty = f.check(fixture::view(
        json::array{f.change(1, {}, {})}, {"care", "municipality"}, {"care", "municipality"}, {}));
    BOOST_TEST(problems_of(empty) == "change 1: it adds and removes nothing\n");
    const auto nobody =
        f.check(fixture::view(json::array{f.change(1, {}, {"care", "municipality"})}, {}, {}, {}));
    BOOST_TEST(problems_of(nobody) == "change 1: it leaves no desk to read the report\n");
}

BOOST_AUTO_TEST_CASE(a_malformed_view_is_an_error_and_an_old_view_has_no_changes) {
    fixture f;
    auto v = fixture::view(json::array{f.change(1, {"police"}, {})}, {"care", "police"}, {"care"},
                           {"police"});
    for (const char* field : {"change", "day", "add", "remove", "signature"}) {
        auto broken = v;
        broken["consent_changes"].as_array()[0].as_object().erase(field);
        BOOST_TEST(!read_served_consent(broken).has_value(), field);
    }
    auto bad_id = v;
    bad_id["pending"] = json::array{"Police Desk"};
    BOOST_TEST(!read_served_consent(bad_id).has_value());
    auto not_a_list = v;
    not_a_list["consent_changes"] = "none";
    BOOST_TEST(!read_served_consent(not_a_list).has_value());

    const auto old = read_served_consent(
        json::object{{"consent", json::array{"police", "care"}}, {"desks", json::array{"care"}}});
    BOOST_REQUIRE(old.has_value());
    BOOST_TEST(old->sealed_consent == (strings{"care", "police"}));
    BOOST_TEST(old->sealed_desks == (strings{"care"}));
    BOOST_TEST(old->changes.empty());
    BOOST_TEST(check_consent_history(f.report_id, *old, "").holds());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox
