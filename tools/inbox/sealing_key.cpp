#include "tools/inbox/sealing_key.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/key_id.hpp"
#include "tools/inbox/api_client.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/terminal.hpp"

namespace signaal::inbox {

// A pin made here was not granted to anyone: it records where the key came from.
constexpr std::string_view pinned_from_config = "config";

result<sealing_key> config_key_of(const json::value& config, const std::string& desk) {
    const auto* desks = json::find(config, "desks");
    if (desks == nullptr || !desks->is_array()) {
        return signaal::fail("the instance configuration has no \"desks\" list");
    }
    for (const auto& entry : desks->as_array()) {
        if (string_of(entry, "id") != desk) {
            continue;
        }
        sealing_key key;
        key.desk = desk;
        key.key_id = string_of(entry, "key_id");
        auto public_key = crypto::base64url_decode_exact(string_of(entry, "public_key"),
                                                         crypto::box_public_key_size);
        if (!public_key || crypto::base64url_encode(crypto::key_id_of(*public_key)) != key.key_id) {
            return signaal::fail("the instance configuration serves desk " + desk +
                                 " a public key that is malformed or does not match its key id");
        }
        key.public_key = std::move(*public_key);
        key.fingerprint = crypto::desk_fingerprint(key.public_key);
        return key;
    }
    return signaal::fail("desk " + printable(desk) +
                         " has no current key in the instance configuration");
}

status trust_sealing_key(const sealing_key& key, pin_store& pins, context& ctx) {
    const std::string what = "desk key " + key.key_id + " of " + key.desk;
    switch (pins.check(key.desk, key.key_id, key.fingerprint)) {
    case pin_verdict::pinned:
        return {};
    case pin_verdict::changed: {
        const auto pinned = pins.pinned_fingerprint(key.desk, key.key_id);
        return signaal::fail("REFUSED " + what + ": its fingerprint is " + key.fingerprint +
                             (pinned.empty()
                                  ? std::string(", and the same key is pinned under another key id")
                                  : ", not the pinned " + pinned) +
                             ". Do not trust it; tell the desk's caseworkers and the operator");
    }
    case pin_verdict::unknown:
        break;
    }
    ctx.err << "Key of desk " << key.desk << " to seal the report to: key id " << key.key_id
            << ", fingerprint " << key.fingerprint << ".\n";
    ctx.err.flush();
    if (!interactive()) {
        return signaal::fail("refused " + what +
                             ": it is not pinned yet, and there is no terminal to ask whether to "
                             "trust it; run forward on a terminal and compare the fingerprint "
                             "with a caseworker of desk " +
                             key.desk);
    }
    auto yes = ask_yes_no("Compare the fingerprint with a caseworker of desk " + key.desk +
                          " (in person or by phone). Trust this key for desk " + key.desk + "?");
    if (!yes || !*yes) {
        return signaal::fail("refused " + what + ": you did not accept it");
    }
    pins.add(key.desk, pin{key.key_id, key.fingerprint, std::string(pinned_from_config)});
    return {};
}

} // namespace signaal::inbox
