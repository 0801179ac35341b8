#include "server/api/consent_bodies.hpp"

#include "crypto/sign.hpp"
#include "server/api/body_fields.hpp"
#include "server/api/errors.hpp"
#include "server/config/settings.hpp"

#include <algorithm>
#include <string>

namespace signaal::api {

namespace {

constexpr std::size_t report_id_size = 16;
constexpr std::size_t key_id_size = 8;
constexpr std::size_t sealed_size = 80;

refusal read_desk_list(const json::value& body, std::string_view key,
                       std::vector<std::string>& out) {
    const auto* v = json::find(body, key);
    if (v == nullptr || !v->is_array()) {
        return bad_request("Field '" + std::string(key) + "' must be an array of desk ids.");
    }
    for (const auto& each : v->as_array()) {
        if (!each.is_string() || !config::valid_id(each.as_string())) {
            return bad_request("Field '" + std::string(key) +
                               "' holds something that is not a desk id.");
        }
        out.emplace_back(each.as_string());
    }
    std::sort(out.begin(), out.end());
    if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
        return bad_request("Field '" + std::string(key) + "' names a desk twice.");
    }
    return std::nullopt;
}

} // namespace

answer_or<consent_change_body> read_consent_change(const json::value& body) {
    if (!body.is_object()) {
        return bad_request("The body must be a JSON object.");
    }
    consent_change_body out;
    if (auto r = read_binary(body, "report_id", report_id_size, out.report_id)) {
        return std::move(*r);
    }
    const auto* change = json::find(body, "change");
    if (change == nullptr || !change->is_int64() || change->as_int64() < 1) {
        return bad_request("Field 'change' must be a whole number from 1: the report's next "
                           "change.");
    }
    out.change.change = change->as_int64();
    for (auto [key, list] : {std::pair{"add", &out.change.add}, {"remove", &out.change.remove}}) {
        if (auto r = read_desk_list(body, key, *list)) {
            return std::move(*r);
        }
    }
    const auto& add = out.change.add;
    const auto& remove = out.change.remove;
    if (add.empty() && remove.empty()) {
        return bad_request("A consent change adds or removes at least one desk.");
    }
    for (const auto& desk : add) {
        if (std::binary_search(remove.begin(), remove.end(), desk)) {
            return bad_request("A consent change cannot both add and remove a desk.");
        }
    }
    if (auto r = read_binary(body, "signature", crypto::signature_size, out.change.signature)) {
        return std::move(*r);
    }
    return out;
}

answer_or<std::vector<store::envelope>> read_forward_envelopes(const json::value& body) {
    const auto* envelopes = json::find(body, "envelopes");
    if (envelopes == nullptr || !envelopes->is_object() || envelopes->as_object().empty()) {
        return bad_request("Field 'envelopes' must be an object with at least one desk's "
                           "envelope.");
    }
    std::vector<store::envelope> out;
    for (const auto& [desk, e] : envelopes->as_object()) {
        if (!config::valid_id(desk) || desk == "reporter") {
            return bad_request("Field 'envelopes' names something that is not a desk id.");
        }
        store::envelope read{std::string(desk), {}, {}};
        if (!e.is_object()) {
            return bad_request("Each envelope must be {\"key_id\", \"sealed\"}.");
        }
        if (auto r = read_binary(e, "key_id", key_id_size, read.key_id)) {
            return std::move(*r);
        }
        if (auto r = read_binary(e, "sealed", sealed_size, read.sealed)) {
            return std::move(*r);
        }
        out.push_back(std::move(read));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.desk < b.desk; });
    return out;
}

} // namespace signaal::api
