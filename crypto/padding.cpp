#include "crypto/padding.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>

#include <algorithm>

namespace signaal::crypto {

std::optional<std::size_t> bucket_for(std::size_t plaintext_len,
                                      std::span<const std::size_t> buckets) {
    std::optional<std::size_t> best;
    for (const std::size_t bucket : buckets) {
        // bucket > len is bucket >= len + 1 without the overflow.
        if (bucket > plaintext_len && (!best || bucket < *best)) {
            best = bucket;
        }
    }
    return best;
}

std::optional<bytes> pad(byte_view plaintext, std::span<const std::size_t> buckets) {
    const auto bucket = bucket_for(plaintext.size(), buckets);
    if (!bucket) {
        return std::nullopt;
    }
    ensure_initialised();
    bytes out(*bucket);
    std::copy(plaintext.begin(), plaintext.end(), out.begin());
    std::size_t padded_len = 0;
    // With the bucket as block size, sodium_pad fills exactly up to the bucket.
    if (sodium_pad(&padded_len, out.data(), plaintext.size(), *bucket, out.size()) != 0 ||
        padded_len != *bucket) {
        return std::nullopt;
    }
    return out;
}

std::optional<bytes> unpad(byte_view padded) {
    if (padded.empty()) {
        return std::nullopt;
    }
    ensure_initialised();
    std::size_t len = 0;
    // The whole buffer is one block: the last non-zero byte must be the 0x80 marker.
    if (sodium_unpad(&len, padded.data(), padded.size(), padded.size()) != 0) {
        return std::nullopt;
    }
    return bytes(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(len));
}

} // namespace signaal::crypto
