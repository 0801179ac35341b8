#include "crypto/passphrase_nfc.hpp"

#include "crypto/sodium_init.hpp"

#include <sodium.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <climits>
#include <vector>

namespace signaal::crypto {

namespace {

/// A UTF-16 buffer that wipes itself: it holds the passphrase too.
class wiped_utf16 {
  public:
    explicit wiped_utf16(std::size_t size) : units_(size) {}
    ~wiped_utf16() {
        if (!units_.empty()) {
            sodium_memzero(units_.data(), units_.size() * sizeof(UChar));
        }
    }
    wiped_utf16(const wiped_utf16&) = delete;
    wiped_utf16& operator=(const wiped_utf16&) = delete;
    UChar* data() { return units_.data(); }
    [[nodiscard]] std::int32_t capacity() const { return static_cast<std::int32_t>(units_.size()); }

  private:
    std::vector<UChar> units_;
};

} // namespace

std::optional<secret_bytes> passphrase_nfc(std::string_view utf8) {
    // NFC grows a UTF-16 string at most threefold; UTF-8 needs at most 3 bytes per unit.
    if (utf8.size() > INT_MAX / 16) {
        return std::nullopt;
    }
    ensure_initialised();
    const auto in_len = static_cast<std::int32_t>(utf8.size());
    UErrorCode status = U_ZERO_ERROR;
    wiped_utf16 decoded(utf8.size() + 1);
    std::int32_t decoded_len = 0;
    u_strFromUTF8(decoded.data(), decoded.capacity(), &decoded_len, utf8.data(), in_len, &status);
    if (U_FAILURE(status)) {
        return std::nullopt; // ill-formed UTF-8
    }
    const UNormalizer2* nfc = unorm2_getNFCInstance(&status);
    wiped_utf16 normal(static_cast<std::size_t>(decoded_len) * 3 + 1);
    const std::int32_t normal_len =
        U_SUCCESS(status) ? unorm2_normalize(nfc, decoded.data(), decoded_len, normal.data(),
                                             normal.capacity(), &status)
                          : 0;
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    secret_bytes out(static_cast<std::size_t>(normal_len) * 3 + 1);
    std::int32_t out_len = 0;
    u_strToUTF8(reinterpret_cast<char*>(out.data()), static_cast<std::int32_t>(out.size()),
                &out_len, normal.data(), normal_len, &status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    return secret_bytes(out.view().first(static_cast<std::size_t>(out_len)));
}

} // namespace signaal::crypto
