#pragma once
// The three demo desks with fresh key pairs, for the api tests' fixtures.
#include "crypto/key_id.hpp"
#include "server/api/desk_keys_view.hpp"
#include "tests/support/report_builder.hpp"

#include <map>
#include <string>

namespace signaal::testing {

/// Makes a key pair for care, municipality and police, keeps the pairs in
/// `keys` and returns the view that accepts exactly their current keys.
inline api::desk_keys_view demo_desks(std::map<std::string, desk_keypair>& keys) {
    api::desk_keys_view view;
    for (const std::string desk : {"care", "municipality", "police"}) {
        auto pair = crypto::box_keygen();
        const auto id = crypto::key_id_of(pair.public_key);
        desk_keypair key{pair.public_key, std::move(pair.secret_key), {id.begin(), id.end()}};
        view.current[desk] = {key.key_id, key.public_key};
        view.accepted[desk].push_back({key.key_id, std::nullopt, key.public_key});
        keys.emplace(desk, std::move(key));
    }
    return view;
}

} // namespace signaal::testing
