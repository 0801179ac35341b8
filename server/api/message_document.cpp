#include "server/api/message_document.hpp"

#include "crypto/base64url.hpp"
#include "server/store/day_number.hpp"

namespace signaal::api {

namespace {

json::object envelope_document(const store::message_envelope& e) {
    json::object out;
    if (!e.key_id.empty()) {
        out["key_id"] = crypto::base64url_encode(e.key_id);
    }
    if (!e.sealed.empty()) {
        out["sealed"] = crypto::base64url_encode(e.sealed);
    }
    if (!e.box.empty()) {
        out["nonce"] = crypto::base64url_encode(e.nonce);
        out["box"] = crypto::base64url_encode(e.box);
    }
    return out;
}

} // namespace

json::object message_document(const store::message_record& message,
                              std::span<const std::uint8_t> report_id) {
    json::array recipients;
    for (const auto& r : message.recipients) {
        recipients.emplace_back(r);
    }
    json::object envelopes;
    for (const auto& e : message.envelopes) {
        envelopes[e.recipient] = envelope_document(e);
    }
    json::object doc{{"id", crypto::base64url_encode(message.id)},
                     {"report_id", crypto::base64url_encode(report_id)},
                     {"day", store::day_text(message.day)},
                     {"sender", message.sender},
                     {"recipients", std::move(recipients)},
                     {"nonce", crypto::base64url_encode(message.nonce)},
                     {"ciphertext", crypto::base64url_encode(message.ciphertext)},
                     {"envelopes", std::move(envelopes)}};
    if (!message.signature.empty()) {
        doc["signature"] = crypto::base64url_encode(message.signature);
    }
    return doc;
}

json::array message_list(const std::vector<store::message_record>& messages,
                         std::span<const std::uint8_t> report_id) {
    json::array out;
    for (const auto& m : messages) {
        out.emplace_back(message_document(m, report_id));
    }
    return out;
}

} // namespace signaal::api
