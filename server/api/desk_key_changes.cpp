#include "server/api/desk_key_changes.hpp"

#include "crypto/base64url.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "server/api/errors.hpp"
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/store/audit_log.hpp"

#include <algorithm>
#include <set>

namespace signaal::api {
namespace {

constexpr std::size_t public_key_size = 32;
constexpr std::size_t wrapped_size = 32 + 48; // crypto_box_seal of a 32-byte secret
constexpr std::int64_t seconds_per_day = 86400;

response forbidden(std::string_view message) {
    return error(403, "forbidden", message);
}

response consent_violation(std::string_view message) {
    return error(422, "consent_violation", message);
}

response bad_signature(std::string_view message) {
    return error(422, "bad_signature", message);
}

response internal() {
    return error(500, "internal", "The change could not be stored; nothing was changed.");
}

std::optional<response> read_text(const json::value& body, std::string_view key, std::string& out) {
    const auto* v = json::find(body, key);
    if (v == nullptr || !v->is_string()) {
        return bad_request("Field '" + std::string(key) + "' must be a string.");
    }
    out = std::string(v->as_string());
    return std::nullopt;
}

std::optional<response> read_id(const json::value& body, std::string_view key, std::string& out) {
    if (auto r = read_text(body, key, out)) {
        return r;
    }
    if (!config::valid_id(out)) {
        return bad_request("Field '" + std::string(key) + "' must be an id of [a-z0-9_-]{1,32}.");
    }
    return std::nullopt;
}

std::optional<response> read_binary(const json::value& body, std::string_view key, std::size_t size,
                                    std::vector<std::uint8_t>& out) {
    const auto* v = json::find(body, key);
    auto decoded = v != nullptr && v->is_string()
                       ? crypto::base64url_decode_exact(v->as_string(), size)
                       : std::nullopt;
    if (!decoded) {
        return bad_request("Field '" + std::string(key) + "' must be " + std::to_string(size) +
                           " bytes of base64url.");
    }
    out = std::move(*decoded);
    return std::nullopt;
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool signed_by(const store::key_grant& grant, const std::vector<std::uint8_t>& sign_pk) {
    const auto message = crypto::grant_signed_bytes(
        grant.desk, crypto::base64url_encode(grant.key_id), grant.to, grant.wrapped);
    return crypto::verify_detached(grant.signature, message, sign_pk);
}

answer_or<void> audit(store::database& db, std::string_view staff, store::audit_action action,
                      std::int64_t now_unix) {
    store::audit_log log(db);
    if (!log.append({utc_day(now_unix), std::string(staff), action, {}})) {
        return internal();
    }
    return {};
}

} // namespace

std::int64_t accept_rotated_until(std::int64_t now_unix, unsigned grace_days) {
    const std::int64_t today = unix_day(now_unix);
    if (grace_days == 0) {
        return today * seconds_per_day; // already past: refused at once
    }
    return (today + 1 + static_cast<std::int64_t>(grace_days)) * seconds_per_day;
}

answer_or<store::key_grant> read_grant(const json::value& body) {
    if (!body.is_object()) {
        return bad_request("A grant must be an object.");
    }
    store::key_grant grant;
    if (auto r = read_id(body, "desk", grant.desk)) {
        return *r;
    }
    if (auto r = read_binary(body, "key_id", crypto::key_id_size, grant.key_id)) {
        return *r;
    }
    if (auto r = read_id(body, "to", grant.to)) {
        return *r;
    }
    if (auto r = read_binary(body, "wrapped", wrapped_size, grant.wrapped)) {
        return *r;
    }
    if (auto r = read_id(body, "by", grant.by)) {
        return *r;
    }
    if (auto r = read_binary(body, "signature", crypto::signature_size, grant.signature)) {
        return *r;
    }
    return grant;
}

answer_or<key_upload> read_key_upload(const json::value& body, std::string_view desk) {
    if (!body.is_object()) {
        return bad_request("The body must be a JSON object.");
    }
    key_upload upload;
    upload.desk = std::string(desk);
    if (auto r = read_binary(body, "public_key", public_key_size, upload.public_key)) {
        return *r;
    }
    const auto id = crypto::key_id_of(upload.public_key);
    upload.key_id.assign(id.begin(), id.end());
    const auto* grants = json::find(body, "grants");
    if (grants == nullptr || !grants->is_array()) {
        return bad_request("Field 'grants' must be a list of grants.");
    }
    std::set<std::string, std::less<>> receivers;
    for (const auto& item : grants->as_array()) {
        auto grant = read_grant(item);
        if (!grant) {
            return grant.error();
        }
        if (grant->desk != upload.desk || grant->key_id != upload.key_id) {
            return bad_request("Every grant must be of this desk and of the uploaded key.");
        }
        if (!receivers.insert(grant->to).second) {
            return bad_request("Two grants name the same receiver.");
        }
        upload.grants.push_back(std::move(*grant));
    }
    return upload;
}

answer_or<void> apply_key_upload(store::database& db, const key_upload& upload,
                                 const change_context& context) {
    store::desk_registry registry(db);
    auto state = registry.state(upload.desk);
    if (!state) {
        return internal();
    }
    const auto& caller = context.caller;
    if (!state->registered) {
        return forbidden("This desk is not registered: the operator registers it with "
                         "signaal-admin desk add first.");
    }
    if (!contains(state->caseworkers, caller)) {
        return forbidden("Only a caseworker of this desk may upload its key.");
    }
    if (state->held && !contains(state->holders, caller)) {
        return forbidden("Only a holder of the desk's current key may rotate it.");
    }
    if (!state->held && !contains(state->named_holders, caller)) {
        return forbidden("Only a holder the operator named may make this desk's key.");
    }
    for (const auto& grant : upload.grants) {
        if (grant.by != caller) {
            return forbidden("Every grant of an upload is made by the uploader.");
        }
    }
    auto known = registry.key(upload.key_id);
    if (!known) {
        return internal();
    }
    if (*known) {
        return bad_request("This key was uploaded before; make a new key pair.");
    }
    std::vector<std::string> required = state->holders;
    if (!contains(required, caller)) {
        required.push_back(caller);
    }
    for (const auto& holder : required) {
        const bool granted = std::any_of(upload.grants.begin(), upload.grants.end(),
                                         [&](const store::key_grant& g) { return g.to == holder; });
        if (!granted) {
            return consent_violation("The upload lacks a grant for " + holder +
                                     ", who must hold the desk's key.");
        }
    }
    for (const auto& grant : upload.grants) {
        if (!contains(state->caseworkers, grant.to)) {
            return consent_violation(grant.to + " is not a caseworker of this desk.");
        }
    }
    auto sign_pk = registry.active_sign_key(caller);
    if (!sign_pk) {
        return internal();
    }
    if (!*sign_pk) {
        return forbidden("Only an active caseworker may upload a desk key.");
    }
    for (const auto& grant : upload.grants) {
        if (!signed_by(grant, **sign_pk)) {
            return bad_signature("The grant to " + grant.to + " is not signed by " + caller + ".");
        }
    }

    if (!registry.add_key(upload.desk, upload.key_id, upload.public_key, utc_day(context.now_unix),
                          accept_rotated_until(context.now_unix, context.grace_days))) {
        return internal();
    }
    for (const auto& grant : upload.grants) {
        if (!registry.add_grant(grant)) {
            return internal();
        }
    }
    return audit(db, caller, store::audit_action::key_upload, context.now_unix);
}

answer_or<void> apply_grant(store::database& db, const store::key_grant& grant,
                            const change_context& context) {
    store::desk_registry registry(db);
    const auto& caller = context.caller;
    if (grant.by != caller) {
        return forbidden("A grant is made by the one who sends it.");
    }
    auto key = registry.key(grant.key_id);
    auto workers = registry.caseworkers(grant.desk);
    auto holds = registry.has_grant(grant.key_id, caller);
    if (!key || !workers || !holds) {
        return internal();
    }
    if (!*key || (*key)->desk != grant.desk || !contains(*workers, caller) || !*holds) {
        return forbidden("Only a caseworker of the desk who holds this key may grant it.");
    }
    if (!contains(*workers, grant.to)) {
        return consent_violation(grant.to + " is not a caseworker of this desk.");
    }
    auto sign_pk = registry.active_sign_key(caller);
    if (!sign_pk) {
        return internal();
    }
    if (!*sign_pk) {
        return forbidden("Only an active caseworker may grant a desk key.");
    }
    if (!signed_by(grant, **sign_pk)) {
        return bad_signature("The grant's signature does not verify with " + caller + "'s key.");
    }
    if (!registry.add_grant(grant)) {
        return internal();
    }
    return audit(db, caller, store::audit_action::grant, context.now_unix);
}

} // namespace signaal::api
