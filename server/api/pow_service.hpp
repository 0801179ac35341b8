#pragma once
// Proof-of-work tokens for spam control without addresses (PROTOCOL.md §4).
#include "crypto/pow.hpp"
#include "server/api/message.hpp"
#include "server/common/clock.hpp"

#include <cstdint>
#include <vector>

namespace signaal::api {

class pow_service {
  public:
    pow_service(crypto::pow_tokens tokens, const clock& clock, unsigned difficulty,
                unsigned lifetime_seconds);

    /// The body of GET /api/v1/pow.
    [[nodiscard]] response issue() const;

    struct accepted {
        std::vector<std::uint8_t> token_hash; // what the store remembers to refuse reuse
        std::int64_t expires = 0;
    };
    /// A token we minted, not expired, and a nonce meeting the difficulty.
    /// Reuse is caught by the store, atomically with the report's insert.
    [[nodiscard]] std::optional<accepted> check(const std::vector<std::uint8_t>& token,
                                                const std::vector<std::uint8_t>& nonce) const;

    [[nodiscard]] unsigned difficulty() const { return difficulty_; }

  private:
    crypto::pow_tokens tokens_;
    const clock& clock_;
    unsigned difficulty_;
    unsigned lifetime_seconds_;
};

} // namespace signaal::api
