#include "tools/inbox/key_ring.hpp"

#include "crypto/base64url.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/terminal.hpp"

#include <algorithm>

namespace signaal::inbox {

const desk_key* key_ring::find(const std::string& desk, const std::string& key_id) const {
    for (const auto& k : keys_) {
        if (k.desk == desk && k.key_id == key_id) {
            return &k;
        }
    }
    return nullptr;
}

std::vector<const desk_key*> key_ring::of_desk(const std::string& desk) const {
    std::vector<const desk_key*> out;
    for (const auto& k : keys_) {
        if (k.desk == desk) {
            out.push_back(&k);
        }
    }
    return out;
}

result<staff_directory::entry> staff_directory::find(const std::string& staff) {
    if (const auto known = known_.find(staff); known != known_.end()) {
        return known->second;
    }
    if (!config::valid_id(staff)) {
        return signaal::fail("\"" + printable(staff) + "\" is not a staff id");
    }
    auto doc = api_.get("/api/v1/staff/" + staff);
    if (!doc) {
        return signaal::fail("the public keys of " + staff + ": " + doc.error().message);
    }
    entry e;
    e.role = string_of(*doc, "role");
    e.desks = strings_of(*doc, "desks");
    auto sign_pk = crypto::base64url_decode_exact(string_of(*doc, "sign_pk"), 32);
    auto box_pk = crypto::base64url_decode_exact(string_of(*doc, "box_pk"), 32);
    if (!sign_pk || !box_pk) {
        return signaal::fail("the server's public keys of " + staff +
                             " are not 32 bytes of base64url");
    }
    e.sign_pk = std::move(*sign_pk);
    e.box_pk = std::move(*box_pk);
    known_.emplace(staff, e);
    return e;
}

namespace {

/// One served grant, decoded; nullopt when a field is missing or malformed.
struct served_grant {
    std::string desk;
    std::string key_id;
    crypto::bytes key_id_raw;
    std::string to;
    crypto::bytes wrapped;
    std::string by;
    crypto::bytes signature;
    crypto::bytes public_key;
};

std::optional<served_grant> decode(const json::value& item) {
    served_grant g;
    g.desk = string_of(item, "desk");
    g.key_id = string_of(item, "key_id");
    g.to = string_of(item, "to");
    g.by = string_of(item, "by");
    auto key_id_raw = crypto::base64url_decode_exact(g.key_id, crypto::key_id_size);
    auto wrapped = crypto::base64url_decode(string_of(item, "wrapped"));
    auto signature =
        crypto::base64url_decode_exact(string_of(item, "signature"), crypto::signature_size);
    auto public_key = crypto::base64url_decode_exact(string_of(item, "public_key"), 32);
    if (!config::valid_id(g.desk) || !config::valid_id(g.to) || !config::valid_id(g.by) ||
        !key_id_raw || !wrapped || !signature || !public_key) {
        return std::nullopt;
    }
    g.key_id_raw = std::move(*key_id_raw);
    g.wrapped = std::move(*wrapped);
    g.signature = std::move(*signature);
    g.public_key = std::move(*public_key);
    return g;
}

} // namespace

result<key_ring> load_key_ring(api_client& api, const key_files::staff_key& me,
                               const std::vector<std::string>& my_desks, pin_store& pins,
                               context& ctx) {
    auto doc = api.get("/api/v1/desk-keys");
    if (!doc) {
        return signaal::fail("desk keys: " + doc.error().message);
    }
    const auto* keys = json::find(*doc, "keys");
    if (keys == nullptr || !keys->is_array()) {
        return signaal::fail("desk keys: the server's answer has no \"keys\" list");
    }
    staff_directory colleagues(api);
    key_ring ring;
    bool pins_changed = false;
    for (const auto& item : keys->as_array()) {
        const auto g = decode(item);
        if (!g) {
            warn(ctx, "refused a desk key: the server's grant is malformed");
            ++ring.refused;
            continue;
        }
        const std::string what =
            "desk key " + g->key_id + " of " + g->desk + " (granted by " + g->by + ")";
        const auto refuse = [&](const std::string& why) {
            warn(ctx, "refused " + what + ": " + why);
            ++ring.refused;
        };
        if (g->to != me.staff ||
            std::find(my_desks.begin(), my_desks.end(), g->desk) == my_desks.end()) {
            refuse("it is not granted to you for one of your desks");
            continue;
        }
        const auto fingerprint = crypto::desk_fingerprint(g->public_key);
        // Before anything else: a key id we pinned must still have its fingerprint.
        if (pins.check(g->desk, g->key_id, fingerprint) == pin_verdict::changed) {
            const auto pinned = pins.pinned_fingerprint(g->desk, g->key_id);
            ctx.err << "signaal-inbox: REFUSED " << what << ": its fingerprint is now "
                    << fingerprint
                    << (pinned.empty() ? std::string() : ", not the pinned " + pinned)
                    << ".\nsignaal-inbox: The desk key was replaced on the server. Do not trust "
                       "it; tell the desk's holders and the operator. Nothing is decrypted with "
                       "it.\n";
            ++ring.refused;
            continue;
        }
        const bool pinned = pins.check(g->desk, g->key_id, fingerprint) == pin_verdict::pinned;
        crypto::bytes granter_sign_pk;
        if (g->by == me.staff) {
            granter_sign_pk = me.sign_pk; // our own key, not the server's copy of it
        } else if (auto granter = colleagues.find(g->by); granter) {
            granter_sign_pk = granter->sign_pk;
        } else if (!pinned) {
            refuse(granter.error().message);
            continue;
        }
        // A granter who has since left may have no keys served any more; a key
        // pinned when its signature did verify stays readable (the key check
        // below still binds it to the pinned fingerprint).
        const auto signed_bytes = crypto::grant_signed_bytes(g->desk, g->key_id, g->to, g->wrapped);
        if (!granter_sign_pk.empty() &&
            !crypto::verify_detached(g->signature, signed_bytes, granter_sign_pk)) {
            refuse("the grant's signature does not verify with " + g->by + "'s key");
            continue;
        }
        auto secret = crypto::grant_unwrap(g->wrapped, g->public_key, g->key_id_raw, me.box_sk);
        if (!secret) {
            refuse("the key inside the grant does not open, or is not the served public key and "
                   "key id");
            continue;
        }
        if (!pinned) {
            ctx.err << "New key for desk " << g->desk << ": key id " << g->key_id
                    << ", fingerprint " << fingerprint << ", granted by " << g->by << ".\n";
            ctx.err.flush();
            if (!interactive()) {
                refuse("it is not pinned yet, and there is no terminal to ask whether to trust "
                       "it; run this command on a terminal and compare the fingerprint with a "
                       "holder of the desk");
                continue;
            }
            auto yes = ask_yes_no("Compare the fingerprint with a holder of the desk (in person "
                                  "or by phone). Trust this key for desk " +
                                  g->desk + "?");
            if (!yes || !*yes) {
                refuse("you did not accept it");
                continue;
            }
            pins.add(g->desk, pin{g->key_id, fingerprint, g->by});
            pins_changed = true;
        }
        ring.add(
            desk_key{g->desk, g->key_id, g->public_key, std::move(*secret), fingerprint, g->by});
    }
    if (pins_changed) {
        if (auto saved = pins.save(); !saved) {
            return saved.error();
        }
    }
    return ring;
}

} // namespace signaal::inbox
