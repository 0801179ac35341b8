#include "tests/support/report_builder.hpp"

#include "crypto/aead.hpp"
#include "crypto/associated_data.hpp"
#include "crypto/base64url.hpp"
#include "crypto/padding.hpp"
#include "crypto/pow.hpp"
#include "crypto/random.hpp"

#include <algorithm>
#include <stdexcept>

namespace signaal::testing {

json::value& member(json::object& object, const std::string& key) {
    return object[key]; // null when it was absent
}

json::object build_report(const report_input& input) {
    json::array consent;
    for (const auto& d : input.consent) {
        consent.emplace_back(d);
    }
    json::array desks;
    for (const auto& d : input.desks) {
        desks.emplace_back(d);
    }
    json::object body{{"v", 1},
                      {"role", input.role},
                      {"category", input.category},
                      {"consent", std::move(consent)},
                      {"desks", std::move(desks)}};
    const bool with_reply = !input.reply_box_pk.empty() || !input.reply_mailbox_pk.empty();
    const json::object reply{{"box_pk", crypto::base64url_encode(input.reply_box_pk)},
                             {"mailbox_pk", crypto::base64url_encode(input.reply_mailbox_pk)}};
    if (with_reply) {
        body.emplace("reply", reply);
    }
    if (input.desks.empty()) {
        return body; // count only: no text at all
    }

    std::string plaintext = input.plaintext;
    if (with_reply && input.reply_in_plaintext) {
        auto doc = json::parse(plaintext);
        if (!doc || !doc->is_object()) {
            throw std::runtime_error("plaintext is not a JSON object");
        }
        doc->as_object()["reply"] = reply;
        plaintext = json::serialize(*doc);
    }

    auto sorted_consent = input.consent;
    std::sort(sorted_consent.begin(), sorted_consent.end());
    const auto ad = crypto::report_ad(input.role, input.category, sorted_consent, input.desks);
    auto padded = crypto::pad(crypto::as_bytes(plaintext), input.buckets);
    if (!padded) {
        throw std::runtime_error("plaintext too long for every bucket");
    }
    auto key = crypto::random_secret(crypto::aead_key_size);
    const auto nonce = crypto::random_bytes(crypto::aead_nonce_size);
    const auto ciphertext = crypto::aead_encrypt(*padded, crypto::as_bytes(ad), nonce, key);
    json::object envelopes;
    for (const auto& desk : input.desks) {
        const auto* pair = input.keys.at(desk);
        envelopes.emplace(desk, json::object{{"key_id", crypto::base64url_encode(pair->key_id)},
                                             {"sealed", crypto::base64url_encode(crypto::seal(
                                                            key.view(), pair->public_key))}});
    }
    body.emplace("sealed", json::object{{"nonce", crypto::base64url_encode(nonce)},
                                        {"ciphertext", crypto::base64url_encode(ciphertext)},
                                        {"envelopes", std::move(envelopes)}});
    return body;
}

void add_pow(json::object& body, const std::string& token_b64, unsigned difficulty) {
    const auto token = crypto::base64url_decode(token_b64).value();
    const auto nonce = crypto::pow_solve(token, difficulty);
    member(body, "pow") =
        json::object{{"token", token_b64}, {"nonce", crypto::base64url_encode(nonce)}};
}

std::optional<std::string> open_report(const store::report_record& stored, const std::string& desk,
                                       const desk_keypair& key) {
    const auto envelope = std::find_if(stored.envelopes.begin(), stored.envelopes.end(),
                                       [&](const auto& e) { return e.desk == desk; });
    if (envelope == stored.envelopes.end()) {
        return std::nullopt;
    }
    auto report_key = crypto::seal_open(envelope->sealed, key.public_key, key.secret_key);
    if (!report_key) {
        return std::nullopt;
    }
    const auto ad = crypto::report_ad(stored.role, stored.category, stored.consent, stored.desks);
    auto padded =
        crypto::aead_decrypt(stored.ciphertext, crypto::as_bytes(ad), stored.nonce, *report_key);
    if (!padded) {
        return std::nullopt;
    }
    auto plain = crypto::unpad(padded->view());
    if (!plain) {
        return std::nullopt;
    }
    return std::string(plain->begin(), plain->end());
}

} // namespace signaal::testing
