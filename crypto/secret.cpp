#include "crypto/secret.hpp"

#include "crypto/sodium_init.hpp"
#include "crypto/wipe_probe.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <new>
#include <utility>

namespace signaal::crypto {

namespace {

std::atomic<detail::wipe_probe> installed_probe{nullptr};

} // namespace

detail::wipe_probe detail::set_wipe_probe(wipe_probe probe) {
    return installed_probe.exchange(probe);
}

secret_bytes::secret_bytes(std::size_t size) {
    if (size == 0) {
        return;
    }
    ensure_initialised();
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
    if (data_ == nullptr) {
        throw std::bad_alloc();
    }
    size_ = size;
    // sodium_malloc fills with 0xdb to catch use of uninitialised memory; we promise zeros.
    sodium_memzero(data_, size_);
}

secret_bytes::secret_bytes(byte_view from) : secret_bytes(from.size()) {
    if (!from.empty()) {
        std::copy(from.begin(), from.end(), data_);
    }
}

secret_bytes::~secret_bytes() {
    wipe();
}

secret_bytes::secret_bytes(secret_bytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

secret_bytes& secret_bytes::operator=(secret_bytes&& other) noexcept {
    if (this != &other) {
        wipe();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void secret_bytes::wipe() {
    if (data_ != nullptr) {
        // sodium_free zeroes too; wiping here ourselves makes the promise testable.
        sodium_memzero(data_, size_);
        if (const auto probe = installed_probe.load()) {
            probe(data_, size_);
        }
        sodium_free(data_);
    }
    data_ = nullptr;
    size_ = 0;
}

bool equal_constant_time(byte_view a, byte_view b) {
    if (a.size() != b.size()) {
        return false; // sizes are public
    }
    if (a.empty()) {
        return true;
    }
    ensure_initialised();
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::span<std::uint8_t> buffer) {
    if (!buffer.empty()) {
        sodium_memzero(buffer.data(), buffer.size());
    }
}

void wipe(std::string& s) {
    if (!s.empty()) {
        sodium_memzero(s.data(), s.size());
    }
    s.clear();
}

} // namespace signaal::crypto
