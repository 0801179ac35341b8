#pragma once
// Another desk's current public key, as a caseworker who forwards a report
// (PROTOCOL.md §7, stepped consent) seals the report key to it. It comes from
// /api/v1/config, so it is trusted only as §6 says for desk keys: its key id
// must be its own, and its fingerprint pinned in the file beside the key file,
// or shown and accepted on a terminal now (refused without one). A key id
// pinned with another fingerprint is always refused.
#include "crypto/bytes.hpp"
#include "server/common/result.hpp"
#include "server/json/json.hpp"
#include "tools/inbox/command.hpp"
#include "tools/inbox/pins.hpp"

#include <string>

namespace signaal::inbox {

struct sealing_key {
    std::string desk;
    std::string key_id; // base64url
    crypto::bytes public_key;
    std::string fingerprint;
};

/// The current key of `desk` in a served /api/v1/config; an error when the
/// desk is not there, its key is malformed, or its key id is not the first 8
/// bytes of BLAKE2b-256 of its public key.
[[nodiscard]] result<sealing_key> config_key_of(const json::value& config, const std::string& desk);

/// Pinned: trusted. Pinned differently: refused. New: shown on ctx.err with
/// its fingerprint and asked about on the terminal; refused without one;
/// accepted keys are added to `pins` (the caller saves them).
[[nodiscard]] status trust_sealing_key(const sealing_key& key, pin_store& pins, context& ctx);

} // namespace signaal::inbox
