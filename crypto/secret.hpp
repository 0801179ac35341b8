#pragma once
// Move-only holder for secret bytes: locked out of copies, wiped on destruction.
#include "crypto/bytes.hpp"

#include <cstddef>
#include <string>

namespace signaal::crypto {

class secret_bytes {
  public:
    secret_bytes() = default;
    explicit secret_bytes(std::size_t size); // zero-filled
    explicit secret_bytes(byte_view from);   // copies, caller wipes its own copy
    ~secret_bytes();
    secret_bytes(secret_bytes&& other) noexcept;
    secret_bytes& operator=(secret_bytes&& other) noexcept;
    secret_bytes(const secret_bytes&) = delete;
    secret_bytes& operator=(const secret_bytes&) = delete;

    [[nodiscard]] std::uint8_t* data() { return data_; }
    [[nodiscard]] const std::uint8_t* data() const { return data_; }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] byte_view view() const { return {data_, size_}; }

  private:
    void wipe();
    std::uint8_t* data_ = nullptr; // sodium_malloc'd: guard pages, wiped by sodium_free
    std::size_t size_ = 0;
};

/// Constant-time equality; false when sizes differ.
[[nodiscard]] bool equal_constant_time(byte_view a, byte_view b);

/// Overwrites bytes that held a secret (plain buffers, strings).
void wipe(std::span<std::uint8_t> buffer);
void wipe(std::string& s);

} // namespace signaal::crypto
