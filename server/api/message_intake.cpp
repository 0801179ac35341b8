#include "server/api/message_intake.hpp"

#include "crypto/aead.hpp"
#include "crypto/authenticated_box.hpp"
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "server/api/body_fields.hpp"
#include "server/api/errors.hpp"

#include <algorithm>

namespace signaal::api {

namespace {

constexpr std::size_t report_id_size = 16;
constexpr std::size_t sealed_key_size = crypto::aead_key_size + crypto::seal_overhead;
constexpr std::size_t boxed_key_size = crypto::aead_key_size + crypto::box_tag_size;

enum class reporter_envelope { sealed_to_herself, boxed_from_the_desk };

// nonce, ciphertext (a padding bucket + 16) and envelopes: what both bodies share.
refusal read_sealed_parts(const json::value& body, const config::settings& settings,
                          reporter_envelope reporter, store::message_record& m) {
    if (auto r = read_nonce_and_ciphertext(body, settings, m.nonce, m.ciphertext)) {
        return r;
    }
    const auto* envelopes = json::find(body, "envelopes");
    if (envelopes == nullptr || !envelopes->is_object()) {
        return bad_request("Field 'envelopes' must be an object.");
    }
    for (const auto& [name, envelope] : envelopes->as_object()) {
        if (!envelope.is_object()) {
            return bad_request("Each envelope must be an object.");
        }
        store::message_envelope e;
        e.recipient = std::string(name);
        if (e.recipient == "reporter") {
            if (reporter == reporter_envelope::sealed_to_herself) {
                if (auto r = read_binary(envelope, "sealed", sealed_key_size, e.sealed)) {
                    return r;
                }
            } else {
                if (auto r = read_binary(envelope, "key_id", crypto::key_id_size, e.key_id)) {
                    return r;
                }
                if (auto r = read_binary(envelope, "nonce", crypto::box_nonce_size, e.nonce)) {
                    return r;
                }
                if (auto r = read_binary(envelope, "box", boxed_key_size, e.box)) {
                    return r;
                }
            }
        } else {
            if (!config::valid_id(e.recipient)) {
                return bad_request("An envelope names something that is not a desk id.");
            }
            if (auto r = read_binary(envelope, "key_id", crypto::key_id_size, e.key_id)) {
                return r;
            }
            if (auto r = read_binary(envelope, "sealed", sealed_key_size, e.sealed)) {
                return r;
            }
        }
        m.envelopes.push_back(std::move(e));
    }
    // The strict parser refuses a key twice, so names are unique; sorted bytewise.
    std::sort(m.envelopes.begin(), m.envelopes.end(),
              [](const auto& a, const auto& b) { return a.recipient < b.recipient; });
    for (const auto& e : m.envelopes) {
        m.recipients.push_back(e.recipient);
    }
    return std::nullopt;
}

} // namespace

answer_or<message_submission> read_reporter_message(const json::value& body,
                                                    const config::settings& settings) {
    if (!body.is_object()) {
        return bad_request("The body must be a JSON object.");
    }
    message_submission out;
    if (auto r = read_binary(body, "report_id", report_id_size, out.report_id)) {
        return std::move(*r);
    }
    if (auto r =
            read_sealed_parts(body, settings, reporter_envelope::sealed_to_herself, out.message)) {
        return std::move(*r);
    }
    if (auto r = read_binary(body, "signature", crypto::signature_size, out.message.signature)) {
        return std::move(*r);
    }
    out.message.sender = "reporter";
    return out;
}

answer_or<message_submission> read_desk_reply(const json::value& body,
                                              const config::settings& settings) {
    if (!body.is_object()) {
        return bad_request("The body must be a JSON object.");
    }
    message_submission out;
    const auto* desk = json::find(body, "desk");
    if (desk == nullptr || !desk->is_string() || !config::valid_id(desk->as_string())) {
        return bad_request("Field 'desk' must be a desk id.");
    }
    out.desk = std::string(desk->as_string());
    if (auto r = read_sealed_parts(body, settings, reporter_envelope::boxed_from_the_desk,
                                   out.message)) {
        return std::move(*r);
    }
    out.message.sender = "desk:" + out.desk;
    return out;
}

} // namespace signaal::api
