#include "server/auth/token_registry.hpp"

#include "crypto/base64url.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

#include <sodium.h>

#include <algorithm>

namespace signaal::auth {

namespace {
constexpr std::size_t token_bytes = 32;
} // namespace

token_registry::token_registry(const clock& time, std::size_t max_tokens)
    : time_(time), max_tokens_(max_tokens) {}

std::optional<token_registry::token_hash> token_registry::hash_of(std::string_view token) {
    auto raw = crypto::base64url_decode_exact(token, token_bytes);
    if (!raw) {
        return std::nullopt;
    }
    auto digest = crypto::blake2b256(*raw);
    sodium_memzero(raw->data(), raw->size());
    return digest;
}

std::optional<issued_token> token_registry::issue(principal who, std::int64_t lifetime_seconds) {
    const auto now = time_.now_unix();
    auto raw = crypto::random_secret(token_bytes);
    issued_token out{crypto::base64url_encode(raw.view()), lifetime_seconds};
    const auto digest = crypto::blake2b256(raw.view());
    std::lock_guard lock(mutex_);
    if (tokens_.size() >= max_tokens_) {
        sweep_expired(now);
        if (tokens_.size() >= max_tokens_) {
            return std::nullopt;
        }
    }
    tokens_.insert_or_assign(digest, entry{std::move(who), now + lifetime_seconds});
    return out;
}

std::optional<principal> token_registry::find(std::string_view token, scope wanted) const {
    const auto digest = hash_of(token);
    if (!digest) {
        return std::nullopt;
    }
    const auto now = time_.now_unix();
    std::lock_guard lock(mutex_);
    const auto it = tokens_.find(*digest);
    if (it == tokens_.end() || it->second.expires_unix <= now || it->second.who.scope != wanted) {
        return std::nullopt;
    }
    return it->second.who;
}

bool token_registry::end(std::string_view token) {
    const auto digest = hash_of(token);
    if (!digest) {
        return false;
    }
    const auto now = time_.now_unix();
    std::lock_guard lock(mutex_);
    const auto it = tokens_.find(*digest);
    if (it == tokens_.end()) {
        return false;
    }
    const bool live = it->second.expires_unix > now;
    tokens_.erase(it);
    return live;
}

void token_registry::end_staff(std::string_view staff_id) {
    std::vector<staff_listener> listeners;
    {
        std::lock_guard lock(mutex_);
        std::erase_if(tokens_, [&](const auto& kv) {
            return kv.second.who.scope == scope::staff && kv.second.who.staff_id == staff_id;
        });
        listeners = listeners_;
    }
    const std::string id(staff_id);
    for (const auto& listener : listeners) {
        listener(id);
    }
}

void token_registry::end_mailbox(const std::vector<std::uint8_t>& mailbox_pk) {
    std::lock_guard lock(mutex_);
    std::erase_if(tokens_, [&](const auto& kv) {
        return kv.second.who.scope == scope::mailbox && kv.second.who.mailbox_pk == mailbox_pk;
    });
}

void token_registry::on_staff_ended(staff_listener listener) {
    std::lock_guard lock(mutex_);
    listeners_.push_back(std::move(listener));
}

std::size_t token_registry::size() const {
    std::lock_guard lock(mutex_);
    return tokens_.size();
}

std::size_t token_registry::forget_expired() {
    const auto now = time_.now_unix();
    std::lock_guard lock(mutex_);
    const auto before = tokens_.size();
    sweep_expired(now);
    return before - tokens_.size();
}

void token_registry::sweep_expired(std::int64_t now) {
    std::erase_if(tokens_, [&](const auto& kv) { return kv.second.expires_unix <= now; });
}

} // namespace signaal::auth
