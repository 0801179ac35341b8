#include "tests/support/reporter_mailbox.hpp"

#include "crypto/base64url.hpp"
#include "crypto/consent_signature.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed_message.hpp"
#include "crypto/sign_in_message.hpp"
#include "tests/support/staff_member.hpp"

#include <algorithm>
#include <stdexcept>

namespace signaal::testing {

namespace {

const std::vector<std::size_t> message_buckets{1024, 4096, 16384, 65536};

std::vector<std::uint8_t> b64_field(const json::value& object, std::string_view name) {
    const auto* v = json::find(object, name);
    if (v == nullptr || !v->is_string()) {
        return {};
    }
    return crypto::base64url_decode(v->as_string()).value_or(std::vector<std::uint8_t>{});
}

std::string string_field(const json::value& object, std::string_view name) {
    const auto* v = json::find(object, name);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

crypto::message_address address_of(const json::value& message) {
    crypto::message_address address{
        string_field(message, "report_id"), string_field(message, "sender"), {}};
    if (const auto* r = json::find(message, "recipients"); r != nullptr && r->is_array()) {
        for (const auto& each : r->as_array()) {
            address.recipients.emplace_back(each.as_string());
        }
    }
    return address;
}

/// Reads the opened plaintext into `out`; false when it is not the §7 shape.
bool read_plaintext(const crypto::secret_bytes& plain, opened_message& out) {
    const auto doc =
        json::parse(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()));
    if (!doc || !doc->is_object()) {
        return false;
    }
    const auto* text = json::find(*doc, "text");
    const auto* n = json::find(*doc, "n");
    if (text == nullptr || !text->is_string() || n == nullptr || !n->is_int64()) {
        return false;
    }
    out.text = text->as_string();
    out.n = n->as_int64();
    out.lang = string_field(*doc, "lang");
    return true;
}

opened_message open_with(const json::value& message, const crypto::secret_bytes& key,
                         opened_message out) {
    const auto plain = crypto::open_message(
        b64_field(message, "nonce"), b64_field(message, "ciphertext"), address_of(message), key);
    if (!plain || !read_plaintext(*plain, out)) {
        out.status = "unreadable";
    }
    return out;
}

json::object sealed_envelope(const crypto::secret_bytes& key, const desk_keypair& desk) {
    return json::object{
        {"key_id", crypto::base64url_encode(desk.key_id)},
        {"sealed", crypto::base64url_encode(crypto::seal_envelope(key, desk.public_key))}};
}

std::vector<std::string> id_list(const json::value& object, std::string_view name) {
    std::vector<std::string> out;
    const auto* v = json::find(object, name);
    if (v != nullptr && v->is_array()) {
        for (const auto& each : v->as_array()) {
            out.emplace_back(each.is_string() ? std::string(each.as_string()) : std::string());
        }
    }
    return out;
}

json::array json_ids(const std::vector<std::string>& ids) {
    json::array out;
    for (const auto& id : ids) {
        out.emplace_back(id);
    }
    return out;
}

} // namespace

consent_state consent_state_of(const json::value& report) {
    consent_state out;
    out.consent = id_list(report, "consent");
    out.desks = id_list(report, "desks");
    out.pending = id_list(report, "pending");
    out.sealed_consent = id_list(report, "sealed_consent");
    out.sealed_desks = id_list(report, "sealed_desks");
    if (const auto* changes = json::find(report, "consent_changes");
        changes != nullptr && changes->is_array()) {
        out.changes.assign(changes->as_array().begin(), changes->as_array().end());
    }
    return out;
}

bool consent_change_verifies(const json::value& change, const std::string& report_id,
                             const std::vector<std::uint8_t>& mailbox_pk) {
    const auto* number = json::find(change, "change");
    if (number == nullptr || !number->is_int64() || number->as_int64() < 1) {
        return false;
    }
    const auto add = id_list(change, "add");
    const auto remove = id_list(change, "remove");
    const auto message = crypto::consent_signed_bytes(
        report_id, static_cast<std::uint64_t>(number->as_int64()), add, remove);
    return crypto::verify_detached(b64_field(change, "signature"), message, mailbox_pk);
}

void add_desk_key(desk_public_keys& keys, const std::string& desk, const desk_keypair& key) {
    keys[crypto::base64url_encode(key.key_id)] = desk_public_key{desk, key.public_key};
}

std::string message_plaintext(const std::string& lang, const std::string& text, std::int64_t n) {
    return json::serialize(json::object{{"v", 1}, {"lang", lang}, {"text", text}, {"n", n}});
}

json::object desk_reply(const std::string& report_id, const std::string& desk,
                        const desk_keypair& key, const std::vector<std::uint8_t>& reporter_box_pk,
                        const std::string& text, std::int64_t n) {
    const crypto::message_address address{report_id, "desk:" + desk, {desk, "reporter"}};
    const std::string plain = message_plaintext("nl", text, n);
    auto body = crypto::seal_message(crypto::as_bytes(plain), address, message_buckets);
    if (!body) {
        throw std::runtime_error("reply too long for every bucket");
    }
    const auto boxed = crypto::box_reporter_envelope(body->key, reporter_box_pk, key.secret_key);
    json::object envelopes{
        {desk, sealed_envelope(body->key, key)},
        {"reporter", json::object{{"key_id", crypto::base64url_encode(key.key_id)},
                                  {"nonce", crypto::base64url_encode(boxed.nonce)},
                                  {"box", crypto::base64url_encode(boxed.box)}}}};
    return json::object{{"desk", desk},
                        {"nonce", crypto::base64url_encode(body->nonce)},
                        {"ciphertext", crypto::base64url_encode(body->ciphertext)},
                        {"envelopes", std::move(envelopes)}};
}

opened_message open_as_desk(const json::value& message, const std::string& desk,
                            const desk_keypair& key, const std::vector<std::uint8_t>& mailbox_pk) {
    opened_message out{"ok", string_field(message, "sender"), {}, {}, 0};
    const auto* envelopes = json::find(message, "envelopes");
    const auto* mine = envelopes == nullptr ? nullptr : json::find(*envelopes, desk);
    if (mine == nullptr) {
        out.status = "unreadable";
        return out;
    }
    if (out.sender == "reporter" &&
        !crypto::verify_reporter_message(b64_field(message, "signature"), address_of(message),
                                         b64_field(message, "nonce"),
                                         b64_field(message, "ciphertext"), mailbox_pk)) {
        out.status = "bad_signature";
        return out;
    }
    const auto k =
        crypto::open_sealed_envelope(b64_field(*mine, "sealed"), key.public_key, key.secret_key);
    if (!k) {
        out.status = "unreadable";
        return out;
    }
    return open_with(message, *k, std::move(out));
}

reporter_mailbox::reporter_mailbox()
    : receipt_(crypto::random_secret(crypto::receipt_size)),
      keys_(crypto::receipt_derive(receipt_)) {}

reporter_mailbox::reporter_mailbox(const std::string& receipt_text)
    : receipt_(crypto::receipt_parse(receipt_text).value()),
      keys_(crypto::receipt_derive(receipt_)) {}

std::string reporter_mailbox::receipt_text() const {
    return crypto::receipt_format(receipt_.view());
}

json::object reporter_mailbox::reply_field() const {
    return json::object{{"box_pk", crypto::base64url_encode(keys_.box.public_key)},
                        {"mailbox_pk", crypto::base64url_encode(keys_.mailbox.public_key)}};
}

http_reply reporter_mailbox::sign_in(https_client& client, const std::string& origin) {
    const auto challenge = fetch_challenge(client);
    const auto signature = crypto::sign_detached(crypto::mailbox_sign_in_message(origin, challenge),
                                                 keys_.mailbox.secret_key);
    const auto body =
        json::object{{"mailbox_pk", crypto::base64url_encode(keys_.mailbox.public_key)},
                     {"challenge", crypto::base64url_encode(challenge)},
                     {"signature", crypto::base64url_encode(signature)}};
    auto reply = client.post_json("/api/v1/auth/mailbox", json::serialize(body));
    if (reply.status == 200) {
        token_ = std::string(json::parse(reply.body)->at("token").as_string());
    }
    return reply;
}

http_reply reporter_mailbox::read(https_client& client) const {
    return with_token(client, "GET", "/api/v1/mailbox", token_);
}

json::value reporter_mailbox::mailbox(https_client& client) const {
    const auto reply = read(client);
    if (reply.status != 200) {
        throw std::runtime_error("GET /api/v1/mailbox: " + std::to_string(reply.status) + " " +
                                 reply.body);
    }
    return json::parse(reply.body).value();
}

json::object reporter_mailbox::message_to(const std::string& report_id,
                                          const std::map<std::string, const desk_keypair*>& keys,
                                          const std::string& text, std::int64_t n,
                                          bool keep_copy) const {
    crypto::message_address address{report_id, "reporter", {}};
    for (const auto& [desk, key] : keys) {
        address.recipients.push_back(desk);
    }
    if (keep_copy) {
        address.recipients.emplace_back("reporter");
    }
    std::sort(address.recipients.begin(), address.recipients.end());
    const std::string plain = message_plaintext("nl", text, n);
    auto body = crypto::seal_message(crypto::as_bytes(plain), address, message_buckets);
    if (!body) {
        throw std::runtime_error("message too long for every bucket");
    }
    json::object envelopes;
    for (const auto& [desk, key] : keys) {
        envelopes.emplace(desk, sealed_envelope(body->key, *key));
    }
    if (keep_copy) {
        envelopes.emplace("reporter",
                          json::object{{"sealed", crypto::base64url_encode(crypto::seal_envelope(
                                                      body->key, keys_.box.public_key))}});
    }
    const auto signature = crypto::sign_reporter_message(address, body->nonce, body->ciphertext,
                                                         keys_.mailbox.secret_key);
    return json::object{{"report_id", report_id},
                        {"nonce", crypto::base64url_encode(body->nonce)},
                        {"ciphertext", crypto::base64url_encode(body->ciphertext)},
                        {"envelopes", std::move(envelopes)},
                        {"signature", crypto::base64url_encode(signature)}};
}

http_reply reporter_mailbox::send(https_client& client, const json::object& body) const {
    return with_token(client, "POST", "/api/v1/mailbox/messages", token_, json::serialize(body));
}

opened_message reporter_mailbox::open(const json::value& message,
                                      const desk_public_keys& known) const {
    opened_message out{"ok", string_field(message, "sender"), {}, {}, 0};
    const auto* envelopes = json::find(message, "envelopes");
    const auto* mine = envelopes == nullptr ? nullptr : json::find(*envelopes, "reporter");
    if (mine == nullptr) {
        out.status = "unreadable";
        return out;
    }
    if (out.sender == "reporter") {
        const auto k = crypto::open_sealed_envelope(b64_field(*mine, "sealed"),
                                                    keys_.box.public_key, keys_.box.secret_key);
        if (!k) {
            out.status = "unreadable";
            return out;
        }
        return open_with(message, *k, std::move(out));
    }
    // A desk reply: only the key of the desk it names may have boxed K.
    const auto desk = out.sender.rfind("desk:", 0) == 0 ? out.sender.substr(5) : std::string();
    const auto key = known.find(string_field(*mine, "key_id"));
    const auto k =
        key == known.end() || key->second.desk != desk
            ? std::nullopt
            : crypto::open_reporter_envelope(b64_field(*mine, "nonce"), b64_field(*mine, "box"),
                                             key->second.public_key, keys_.box.secret_key);
    if (desk.empty() || !k) {
        out.status = "unchecked";
        return out;
    }
    return open_with(message, *k, std::move(out));
}

json::object reporter_mailbox::consent_change(const std::string& report_id, std::int64_t change,
                                              const std::vector<std::string>& add,
                                              const std::vector<std::string>& remove) const {
    const auto message =
        crypto::consent_signed_bytes(report_id, static_cast<std::uint64_t>(change), add, remove);
    const auto signature = crypto::sign_detached(message, keys_.mailbox.secret_key);
    return json::object{{"report_id", report_id},
                        {"change", change},
                        {"add", json_ids(add)},
                        {"remove", json_ids(remove)},
                        {"signature", crypto::base64url_encode(signature)}};
}

http_reply reporter_mailbox::change_consent(https_client& client, const std::string& report_id,
                                            std::int64_t change,
                                            const std::vector<std::string>& add,
                                            const std::vector<std::string>& remove) const {
    return post_consent(client, consent_change(report_id, change, add, remove));
}

http_reply reporter_mailbox::post_consent(https_client& client, const json::object& body) const {
    return post_consent(client, json::serialize(body));
}

http_reply reporter_mailbox::post_consent(https_client& client, const std::string& raw_body) const {
    return with_token(client, "POST", "/api/v1/mailbox/consent", token_, raw_body);
}

http_reply reporter_mailbox::withdraw(https_client& client, const std::string& report_id) const {
    return with_token(client, "DELETE", "/api/v1/mailbox/reports/" + report_id, token_);
}

} // namespace signaal::testing
