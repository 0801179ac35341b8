#include "server/api/report_submission.hpp"

#include "crypto/aead.hpp"
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/key_id.hpp"
#include "crypto/pow.hpp"
#include "server/api/body_fields.hpp"
#include "server/api/errors.hpp"

#include <algorithm>
#include <set>

namespace signaal::api {
namespace {

constexpr std::size_t envelope_size = 32 + crypto::seal_overhead;
constexpr std::size_t max_pow_token_size = 64;

const json::value* member(const json::value& object, std::string_view key) {
    return json::find(object, key);
}

refusal read_string(const json::value& object, std::string_view key, std::string& out) {
    const auto* v = member(object, key);
    if (v == nullptr || !v->is_string()) {
        return bad_request("Field '" + std::string(key) + "' must be a string.");
    }
    out = std::string(v->as_string());
    return std::nullopt;
}

refusal read_id_list(const json::value& object, std::string_view key,
                     std::vector<std::string>& out) {
    const auto* v = member(object, key);
    if (v == nullptr || !v->is_array()) {
        return bad_request("Field '" + std::string(key) + "' must be a list of desk ids.");
    }
    std::set<std::string> seen;
    for (const auto& item : v->as_array()) {
        if (!item.is_string()) {
            return bad_request("Field '" + std::string(key) + "' must hold only strings.");
        }
        if (!seen.insert(std::string(item.as_string())).second) {
            return bad_request("Field '" + std::string(key) + "' names a desk twice.");
        }
        out.emplace_back(item.as_string());
    }
    return std::nullopt;
}

refusal read_sealed(const json::value& sealed, const config::settings& settings,
                    store::report_record& report) {
    if (!sealed.is_object()) {
        return bad_request("Field 'sealed' must be an object.");
    }
    if (auto r = read_nonce_and_ciphertext(sealed, settings, report.nonce, report.ciphertext)) {
        return r;
    }
    const auto* envelopes = member(sealed, "envelopes");
    if (envelopes == nullptr || !envelopes->is_object()) {
        return bad_request("Field 'sealed.envelopes' must be an object.");
    }
    for (const auto& [desk, envelope] : envelopes->as_object()) {
        if (!envelope.is_object()) {
            return bad_request("Each envelope must be an object.");
        }
        store::envelope e;
        e.desk = std::string(desk);
        if (auto r = read_binary(envelope, "key_id", crypto::key_id_size, e.key_id)) {
            return r;
        }
        if (auto r = read_binary(envelope, "sealed", envelope_size, e.sealed)) {
            return r;
        }
        report.envelopes.push_back(std::move(e));
    }
    std::sort(report.envelopes.begin(), report.envelopes.end(),
              [](const auto& a, const auto& b) { return a.desk < b.desk; });
    return std::nullopt;
}

refusal read_reply(const json::value& reply, store::report_record& report) {
    if (!reply.is_object()) {
        return bad_request("Field 'reply' must be an object.");
    }
    if (auto r = read_binary(reply, "box_pk", crypto::box_public_key_size, report.reply_box_pk)) {
        return r;
    }
    return read_binary(reply, "mailbox_pk", 32, report.reply_mailbox_pk);
}

refusal read_pow(const json::value& pow, submission& out) {
    if (!pow.is_object()) {
        return bad_request("Field 'pow' must be an object.");
    }
    if (auto r = read_binary(pow, "token", 0, out.pow_token)) {
        return r;
    }
    if (out.pow_token.empty() || out.pow_token.size() > max_pow_token_size) {
        return bad_request("Field 'pow.token' must be 1 to 64 bytes.");
    }
    if (auto r = read_binary(pow, "nonce", crypto::pow_nonce_size, out.pow_nonce)) {
        return r;
    }
    out.has_pow = true;
    return std::nullopt;
}

// Shape: every field's type and length (400).
refusal read_shape(const json::value& body, const config::settings& settings, submission& out) {
    if (!body.is_object()) {
        return bad_request("The body must be a JSON object.");
    }
    const auto* v = member(body, "v");
    if (v == nullptr || !v->is_int64() || v->as_int64() != 1) {
        return bad_request("Field 'v' must be 1.");
    }
    auto& report = out.report;
    if (auto r = read_string(body, "role", report.role)) {
        return r;
    }
    if (auto r = read_string(body, "category", report.category)) {
        return r;
    }
    if (auto r = read_id_list(body, "consent", report.consent)) {
        return r;
    }
    if (auto r = read_id_list(body, "desks", report.desks)) {
        return r;
    }
    if (const auto* sealed = member(body, "sealed"); sealed != nullptr && !sealed->is_null()) {
        if (auto r = read_sealed(*sealed, settings, report)) {
            return r;
        }
    }
    if (const auto* reply = member(body, "reply"); reply != nullptr && !reply->is_null()) {
        if (auto r = read_reply(*reply, report)) {
            return r;
        }
    }
    if (const auto* pow = member(body, "pow"); pow != nullptr && !pow->is_null()) {
        if (auto r = read_pow(*pow, out)) {
            return r;
        }
    }
    if (!report.desks.empty() && report.ciphertext.empty()) {
        return bad_request("A report for one or more desks must carry 'sealed'.");
    }
    // The receipt's keys are shared by a reporter's reports: on a count-only
    // report they would link it to her others for no benefit.
    if (report.desks.empty() && !report.reply_box_pk.empty()) {
        return bad_request("A count-only report carries no 'reply'.");
    }
    return std::nullopt;
}

// Known role, category and desks (422).
refusal check_known(const store::report_record& report, const config::settings& settings,
                    const desk_keys_view& keys) {
    if (!settings.has_role(report.role)) {
        return error(422, "unknown_role", "The role is not one this service knows.");
    }
    if (settings.find_category(report.category) == nullptr) {
        return error(422, "unknown_category", "The category is not one this service knows.");
    }
    for (const auto* list : {&report.consent, &report.desks}) {
        for (const auto& desk : *list) {
            if (settings.find_desk(desk) == nullptr || !keys.has_desk(desk)) {
                return error(422, "unknown_desk",
                             "A desk in the report is not one this service knows.");
            }
        }
    }
    return std::nullopt;
}

// desks == consent ∩ routing[category], sorted; envelopes exactly for desks (422).
refusal check_consent(const store::report_record& report, const config::settings& settings) {
    std::vector<std::string> expected;
    const auto routed = settings.routing.find(report.category);
    for (const auto& desk : report.consent) {
        if (routed != settings.routing.end() &&
            std::find(routed->second.begin(), routed->second.end(), desk) != routed->second.end()) {
            expected.push_back(desk);
        }
    }
    std::sort(expected.begin(), expected.end());
    if (report.desks != expected) {
        return error(422, "consent_violation",
                     "The desks must be exactly the consented desks that may receive this "
                     "category, sorted.");
    }
    const bool has_text = !report.ciphertext.empty();
    if (expected.empty() && has_text) {
        return error(422, "consent_violation",
                     "A report for no desk is only counted and carries no text.");
    }
    if (report.envelopes.size() != expected.size() ||
        !std::equal(expected.begin(), expected.end(), report.envelopes.begin(),
                    [](const auto& desk, const auto& e) { return desk == e.desk; })) {
        return error(422, "consent_violation",
                     "There must be one envelope for each desk, and no other.");
    }
    return std::nullopt;
}

refusal check_key_ids(const store::report_record& report, const desk_keys_view& keys,
                      std::int64_t now_unix) {
    for (const auto& e : report.envelopes) {
        if (!keys.accepts(e.desk, e.key_id, now_unix)) {
            return error(409, "stale_key",
                         "An envelope names a desk key that is no longer accepted. "
                         "Fetch the configuration again.");
        }
    }
    return std::nullopt;
}

} // namespace

answer_or<submission> check_submission(const json::value& body, const config::settings& settings,
                                       const desk_keys_view& keys, std::int64_t now_unix) {
    submission out;
    auto refused = read_shape(body, settings, out);
    if (!refused) {
        refused = check_known(out.report, settings, keys);
    }
    if (!refused) {
        refused = check_consent(out.report, settings);
    }
    if (!refused) {
        refused = check_key_ids(out.report, keys, now_unix);
    }
    if (refused) {
        return std::move(*refused);
    }
    std::sort(out.report.consent.begin(), out.report.consent.end());
    return out;
}

} // namespace signaal::api
