#pragma once
// The writer's memory of spent proof-of-work tokens: hash -> forget_day. The
// reuse check is answered from here, so the spent_pow table is only appended
// to (and pruned), never searched at a random key. Used by one thread only.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <unordered_map>

namespace signaal::store {

class spent_tokens {
  public:
    using token_hash = std::array<std::uint8_t, 32>;

    /// false when `hash` is not 32 bytes.
    [[nodiscard]] static bool to_hash(std::span<const std::uint8_t> bytes, token_hash& out);

    [[nodiscard]] bool contains(const token_hash& hash) const { return days_.contains(hash); }
    /// Remembers `hash` until `forget_day`; a hash held twice keeps the later day.
    void add(const token_hash& hash, std::int64_t forget_day);
    /// Adds every hash of `other` (a committed batch's tokens).
    void add_all(const spent_tokens& other);
    void clear() { days_.clear(); }
    /// Forgets every hash whose forget_day is at or before `today`.
    void forget_through(std::int64_t today);
    [[nodiscard]] std::size_t size() const { return days_.size(); }

  private:
    // The hashes are BLAKE2b outputs computed by the server: their first bytes
    // are already uniform and cannot be steered to collide.
    struct first_bytes {
        std::size_t operator()(const token_hash& h) const noexcept {
            std::size_t v = 0;
            std::memcpy(&v, h.data(), sizeof v);
            return v;
        }
    };
    std::unordered_map<token_hash, std::int64_t, first_bytes> days_;
};

} // namespace signaal::store
