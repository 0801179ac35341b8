// POST /api/v1/reports against the real server over TLS: what is accepted is
// exactly what a desk can open, and every refusal stores nothing.
#include "crypto/base64url.hpp"
#include "crypto/key_id.hpp"
#include "crypto/pow.hpp"
#include "crypto/random.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/support/key_scan.hpp"
#include "tests/support/report_reader.hpp"

#include <fstream>

using namespace signaal;
using namespace signaal::testing;

namespace {

struct running_instance {
    running_instance() { instance.start(); }
    test_instance instance;
};

std::vector<std::vector<std::uint8_t>> desk_public_keys(const test_instance& instance) {
    std::vector<std::vector<std::uint8_t>> keys;
    for (const std::string desk : {"care", "municipality", "police"}) {
        keys.push_back(instance.key(desk).public_key);
    }
    return keys;
}

// Waits until the server serves `desk`'s current key as `public_key`: the event
// of its desk key refresher publishing what the database now holds.
bool config_serves(https_client& client, const std::string& desk,
                   const std::vector<std::uint8_t>& public_key) {
    const auto wanted = crypto::base64url_encode(public_key);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto config = parse_body(client.get("/api/v1/config"));
        for (const auto& d : config.at("desks").as_array()) {
            if (d.at("id").as_string() == desk && d.at("public_key").as_string() == wanted) {
                return true;
            }
        }
    }
    return false;
}

store::report_record stored_report(const test_instance& instance, const std::string& id_b64) {
    auto reader = report_reader::open(instance.database());
    BOOST_REQUIRE(reader);
    auto found = reader->find(crypto::base64url_decode(id_b64).value());
    BOOST_REQUIRE(found);
    BOOST_REQUIRE(found->has_value());
    return std::move(**found);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(intake, running_instance)

BOOST_AUTO_TEST_CASE(config_is_served_as_the_protocol_says) {
    auto client = instance.client();
    const auto reply = client.get("/api/v1/config");
    BOOST_TEST(reply.status == 200u);
    BOOST_TEST(reply.header("content-type") == "application/json");
    const auto doc = parse_body(reply);
    BOOST_TEST(doc.at("version").as_int64() == 1);
    const auto& desks = doc.at("desks").as_array();
    BOOST_REQUIRE_EQUAL(desks.size(), 3u);
    for (const auto& desk : desks) {
        const std::string id(desk.at("id").as_string());
        const auto pk =
            crypto::base64url_decode_exact(desk.at("public_key").as_string(), 32).value();
        BOOST_TEST(pk == instance.key(id).public_key);
        const auto key_id = crypto::key_id_of(pk);
        BOOST_TEST(desk.at("key_id").as_string() == crypto::base64url_encode(key_id));
        BOOST_TEST(desk.at("name").at("en").is_string());
        BOOST_TEST(desk.at("about").at("nl").is_string());
    }
    BOOST_TEST(doc.at("categories").as_array().size() == 17u);
    const auto* health = json::find(doc.at("routing"), "health");
    BOOST_REQUIRE(health != nullptr);
    BOOST_TEST(json::serialize(*health) == R"(["care"])");
    BOOST_TEST(json::serialize(doc.at("padding_buckets")) == "[1024,4096,16384,65536]");
    BOOST_TEST(doc.at("pow").at("difficulty").as_int64() == 8);
    BOOST_TEST(json::serialize(doc.at("roles")) == R"(["sex_worker","peer_expert"])");
    BOOST_TEST(doc.at("help").is_array());
}

BOOST_AUTO_TEST_CASE(a_sealed_report_is_stored_as_sent_and_only_chosen_desks_can_open_it) {
    auto client = instance.client();
    const std::string text = "Testmelding e2e: klant werd agressief bij de deur.";
    const auto reply =
        instance.submit(client, sealed_report(instance, {"municipality", "care"}, text));
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    const auto doc = parse_body(reply);
    const std::string id(doc.at("id").as_string());
    BOOST_TEST(crypto::base64url_decode_exact(id, 16).has_value());
    BOOST_TEST(doc.at("received_day").as_string() == today());

    const auto stored = stored_report(instance, id);
    BOOST_TEST(stored.received_day == today());
    BOOST_TEST(stored.role == "sex_worker");
    BOOST_TEST(stored.category == "physical_violence");
    BOOST_TEST((stored.consent == std::vector<std::string>{"care", "municipality"}));
    BOOST_TEST((stored.desks == std::vector<std::string>{"care", "municipality"}));
    BOOST_TEST(stored.ciphertext.size() == 1024u + 16u);
    BOOST_TEST(open_report(stored, "care", instance.key("care")).value_or("<none>") ==
               plaintext(text));
    BOOST_TEST(
        open_report(stored, "municipality", instance.key("municipality")).value_or("<none>") ==
        plaintext(text));
    // Police was not chosen: no envelope, and its key opens nothing.
    BOOST_TEST(!open_report(stored, "police", instance.key("police")).has_value());
    BOOST_TEST(stored.envelopes.size() == 2u);
    BOOST_TEST(count_rows(instance.database(), "events") == 2);
}

BOOST_AUTO_TEST_CASE(the_server_keeps_no_key_that_opens_a_report) {
    auto client = instance.client();
    for (int i = 0; i < 3; ++i) {
        auto body = sealed_report(instance, {"care", "municipality", "police"}, "scan");
        const auto reply = instance.submit(client, std::move(body));
        BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    }
    BOOST_TEST(instance.stop() == 0);
    // Every file the instance has (database, WAL, proof-of-work key, TLS pair,
    // config): no desk secret key in it, raw or base64url.
    const auto found = files_with_a_secret_key(instance.dir(), desk_public_keys(instance));
    BOOST_TEST(found.empty());
    for (const auto& path : found) {
        BOOST_TEST_MESSAGE("holds a desk secret key: " << path);
    }

    // The scan finds a key where there is one, in either form.
    const auto planted = instance.dir() / "planted";
    std::filesystem::create_directories(planted);
    const auto& police = instance.key("police").secret_key;
    {
        std::ofstream raw(planted / "raw.bin", std::ios::binary);
        raw << "header";
        raw.write(reinterpret_cast<const char*>(police.data()),
                  static_cast<std::streamsize>(police.size()));
        std::ofstream(planted / "text.toml")
            << "key = \"" << crypto::base64url_encode(police.view()) << "\"\n";
    }
    BOOST_TEST(files_with_a_secret_key(planted, desk_public_keys(instance)).size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_count_only_report_carries_no_text) {
    auto client = instance.client();
    const auto reply = instance.submit(client, sealed_report(instance, {}, "ignored"));
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    const auto stored =
        stored_report(instance, std::string(parse_body(reply).at("id").as_string()));
    BOOST_TEST(stored.desks.empty());
    BOOST_TEST(stored.ciphertext.empty());
    BOOST_TEST(stored.nonce.empty());
    BOOST_TEST(stored.envelopes.empty());
    BOOST_TEST(count_rows(instance.database(), "events") == 0);
}

BOOST_AUTO_TEST_CASE(consent_outside_routing_is_not_a_desk) {
    // health may go to care only: police consent is kept, but police gets nothing.
    auto client = instance.client();
    auto body = sealed_report(instance, {"care"}, "Zorgen over mijn gezondheid", "health");
    member(body, "consent") = json::array{"care", "police"};
    const auto reply = instance.submit(client, std::move(body));
    BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
    const auto stored =
        stored_report(instance, std::string(parse_body(reply).at("id").as_string()));
    BOOST_TEST((stored.consent == std::vector<std::string>{"care", "police"}));
    BOOST_TEST((stored.desks == std::vector<std::string>{"care"}));
}

BOOST_AUTO_TEST_CASE(every_refusal_has_its_code_and_stores_nothing) {
    auto client = instance.client();
    struct refusal_case {
        std::string name;
        std::function<void(json::object&)> mutate;
        unsigned status;
        std::string code;
    };
    const auto police_envelope = [&](json::object& b) {
        auto& envelopes = member(member(b, "sealed").as_object(), "envelopes").as_object();
        envelopes.emplace("police", envelopes.begin()->value());
    };
    const std::vector<refusal_case> cases{
        {"v is not 1", [](auto& b) { member(b, "v") = 2; }, 400, "bad_request"},
        {"role not a string", [](auto& b) { member(b, "role") = 5; }, 400, "bad_request"},
        {"consent not a list", [](auto& b) { member(b, "consent") = "care"; }, 400, "bad_request"},
        {"consent twice",
         [](auto& b) {
             member(b, "consent") = json::array{"care", "care"};
         },
         400, "bad_request"},
        {"nonce padded",
         [](auto& b) {
             auto& nonce = member(member(b, "sealed").as_object(), "nonce");
             nonce = std::string(nonce.as_string()) + "=";
         },
         400, "bad_request"},
        {"nonce with +",
         [](auto& b) {
             auto& nonce = member(member(b, "sealed").as_object(), "nonce");
             auto s = nonce.as_string();
             s[0] = '+';
             nonce = s;
         },
         400, "bad_request"},
        {"nonce too short",
         [](auto& b) {
             member(member(b, "sealed").as_object(), "nonce") =
                 crypto::base64url_encode(crypto::random_bytes(23));
         },
         400, "bad_request"},
        {"ciphertext not a bucket",
         [](auto& b) {
             member(member(b, "sealed").as_object(), "ciphertext") =
                 crypto::base64url_encode(crypto::random_bytes(1000 + 16));
         },
         400, "bad_request"},
        {"envelope too short",
         [](auto& b) {
             auto& envelopes = member(member(b, "sealed").as_object(), "envelopes").as_object();
             member(envelopes.begin()->value().as_object(), "sealed") =
                 crypto::base64url_encode(crypto::random_bytes(79));
         },
         400, "bad_request"},
        {"key id too long",
         [](auto& b) {
             auto& envelopes = member(member(b, "sealed").as_object(), "envelopes").as_object();
             member(envelopes.begin()->value().as_object(), "key_id") =
                 crypto::base64url_encode(crypto::random_bytes(9));
         },
         400, "bad_request"},
        {"sealed missing", [](auto& b) { b.erase("sealed"); }, 400, "bad_request"},
        {"unknown role", [](auto& b) { member(b, "role") = "client"; }, 422, "unknown_role"},
        {"unknown category", [](auto& b) { member(b, "category") = "weather"; }, 422,
         "unknown_category"},
        {"unknown desk",
         [](auto& b) {
             member(b, "consent") = json::array{"care", "tax_office"};
         },
         422, "unknown_desk"},
        {"desk without consent",
         [&](auto& b) {
             member(b, "desks") = json::array{"care", "police"};
             police_envelope(b);
         },
         422, "consent_violation"},
        {"desks not sorted",
         [](auto& b) {
             member(b, "consent") = json::array{"care", "police"};
             member(b, "desks") = json::array{"police", "care"};
         },
         422, "consent_violation"},
        {"extra envelope", [&](auto& b) { police_envelope(b); }, 422, "consent_violation"},
        {"missing envelope",
         [](auto& b) {
             member(b, "consent") = json::array{"care", "police"};
             member(b, "desks") = json::array{"care", "police"};
         },
         422, "consent_violation"},
        {"text for no desk",
         [](auto& b) {
             member(b, "consent") = json::array{};
             member(b, "desks") = json::array{};
         },
         422, "consent_violation"},
        {"unknown key id",
         [](auto& b) {
             auto& envelopes = member(member(b, "sealed").as_object(), "envelopes").as_object();
             member(envelopes.begin()->value().as_object(), "key_id") =
                 crypto::base64url_encode(crypto::random_bytes(8));
         },
         409, "stale_key"},
        {"another desk's key id",
         [&](auto& b) {
             auto& envelopes = member(member(b, "sealed").as_object(), "envelopes").as_object();
             member(envelopes.begin()->value().as_object(), "key_id") =
                 crypto::base64url_encode(instance.key("police").key_id);
         },
         409, "stale_key"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            auto body = sealed_report(instance, {"care"}, "geheim");
            c.mutate(body);
            const auto reply = instance.submit(client, std::move(body));
            BOOST_TEST(reply.status == c.status);
            BOOST_TEST(error_code_of(reply) == c.code);
            BOOST_TEST(reply.header("cache-control") == "no-store");
        }
    }
    BOOST_TEST(count_rows(instance.database(), "reports") == 0);
    BOOST_TEST(count_rows(instance.database(), "spent_pow") == 0);
    BOOST_TEST(count_rows(instance.database(), "events") == 0);
}

BOOST_AUTO_TEST_CASE(malformed_bodies_are_refused) {
    auto client = instance.client();
    const std::vector<std::pair<std::string, std::string>> bodies{
        {"not json", "{\"v\": 1,"},
        {"not an object", "[1, 2]"},
        {"repeated key", R"({"v": 1, "v": 1})"},
        {"invalid utf-8", "{\"v\": 1, \"role\": \"\xff\xfe\"}"},
        {"too deep", std::string(33, '[') + std::string(33, ']')},
        {"empty", ""},
    };
    for (const auto& [name, body] : bodies) {
        BOOST_TEST_CONTEXT(name) {
            const auto reply = client.post_json("/api/v1/reports", body);
            BOOST_TEST(reply.status == 400u);
            BOOST_TEST(error_code_of(reply) == "bad_request");
        }
    }
    const auto text = client.request("POST", "/api/v1/reports", "{}", "text/plain");
    BOOST_TEST(text.status == 415u);
    BOOST_TEST(error_code_of(text) == "unsupported_media_type");
    const auto none = client.request("POST", "/api/v1/reports", "{}");
    BOOST_TEST(none.status == 415u);
    BOOST_TEST(count_rows(instance.database(), "reports") == 0);
}

BOOST_AUTO_TEST_CASE(proof_of_work_missing_forged_weak_or_reused_is_refused) {
    auto client = instance.client();
    auto missing = client.post_json("/api/v1/reports",
                                    json::serialize(sealed_report(instance, {"care"}, "a")));
    BOOST_TEST(missing.status == 403u);
    BOOST_TEST(error_code_of(missing) == "pow_invalid");

    // A token the server did not mint.
    auto forged = sealed_report(instance, {"care"}, "b");
    const auto fake = crypto::base64url_encode(crypto::random_bytes(37));
    add_pow(forged, fake, 8);
    const auto forged_reply = client.post_json("/api/v1/reports", json::serialize(forged));
    BOOST_TEST(forged_reply.status == 403u);
    BOOST_TEST(error_code_of(forged_reply) == "pow_invalid");

    // A real token with a nonce that misses the difficulty.
    const std::string token(parse_body(client.get("/api/v1/pow")).at("token").as_string());
    const auto token_bytes = crypto::base64url_decode(token).value();
    std::vector<std::uint8_t> nonce(8, 0);
    while (crypto::pow_satisfied(token_bytes, nonce, 8)) {
        ++nonce[7];
    }
    auto weak = sealed_report(instance, {"care"}, "c");
    member(weak, "pow") =
        json::object{{"token", token}, {"nonce", crypto::base64url_encode(nonce)}};
    const auto weak_reply = client.post_json("/api/v1/reports", json::serialize(weak));
    BOOST_TEST(weak_reply.status == 403u);
    BOOST_TEST(error_code_of(weak_reply) == "pow_invalid");
    BOOST_TEST(count_rows(instance.database(), "reports") == 0);

    // The same solved token twice: the second is refused, whatever the body.
    auto first = sealed_report(instance, {"care"}, "d");
    add_pow(first, token, 8);
    auto second = sealed_report(instance, {"care"}, "e");
    member(second, "pow") = member(first, "pow");
    BOOST_TEST(client.post_json("/api/v1/reports", json::serialize(first)).status == 201u);
    const auto reused = client.post_json("/api/v1/reports", json::serialize(second));
    BOOST_TEST(reused.status == 403u);
    BOOST_TEST(error_code_of(reused) == "pow_invalid");
    BOOST_TEST(count_rows(instance.database(), "reports") == 1);
}

BOOST_AUTO_TEST_CASE(a_rotated_key_is_accepted_in_its_grace_period_then_stale) {
    // Two rotations: the first key's grace period is running, the second's is over.
    // (The grace ending at its exact second is api_test's, on a manual clock.)
    auto client = instance.client();
    auto to_first = sealed_report(instance, {"care"}, "first key");
    const auto now = signaal::system_clock{}.now_unix();
    instance.rotate_key("care", now + 3600);
    auto to_second = sealed_report(instance, {"care"}, "second key");
    instance.rotate_key("care", now - 1);
    BOOST_REQUIRE(config_serves(client, "care", instance.key("care").public_key));

    const auto in_grace = instance.submit(client, std::move(to_first));
    BOOST_TEST(in_grace.status == 201u, in_grace.body);
    const auto stale = instance.submit(client, std::move(to_second));
    BOOST_TEST(stale.status == 409u);
    BOOST_TEST(error_code_of(stale) == "stale_key");
    const auto fresh = instance.submit(client, sealed_report(instance, {"care"}, "third key"));
    BOOST_TEST(fresh.status == 201u);
    BOOST_TEST(count_rows(instance.database(), "reports") == 2);
}

BOOST_AUTO_TEST_CASE(a_declared_body_over_the_limit_is_refused_unread) {
    auto client = instance.client();
    const auto reply = client.post_header_only("/api/v1/reports", 262145);
    BOOST_TEST(reply.status == 413u);
    BOOST_TEST(error_code_of(reply) == "too_large");
    // A chunked body whose first chunk declares more than the limit: refused at the chunk header.
    const auto chunked = client.raw(
        "POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n40001\r\n");
    BOOST_TEST(chunked.status == 413u);
    BOOST_TEST(count_rows(instance.database(), "reports") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
