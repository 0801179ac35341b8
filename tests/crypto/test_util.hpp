#pragma once
// Helpers shared by the crypto test sources.
#include "vector_document.hpp"

#include "crypto/base64url.hpp"
#include "crypto/bytes.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// Lets BOOST_TEST print std::optional values when a comparison fails.
namespace boost::test_tools::tt_detail {
template <> struct print_log_value<std::vector<std::uint8_t>> {
    void operator()(std::ostream& out, const std::vector<std::uint8_t>& value) {
        static constexpr char digits[] = "0123456789abcdef";
        out << "hex:";
        for (const std::uint8_t b : value) {
            out << digits[b >> 4] << digits[b & 0x0f];
        }
    }
};
template <typename T> struct print_log_value<std::optional<T>> {
    void operator()(std::ostream& out, const std::optional<T>& value) {
        if (!value) {
            out << "nullopt";
        } else {
            print_log_value<T>()(out, *value);
        }
    }
};
} // namespace boost::test_tools::tt_detail

namespace signaal::crypto_test {

inline crypto::bytes from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        throw std::runtime_error("odd hex length");
    }
    auto nibble = [](char c) -> std::uint8_t {
        if (c >= '0' && c <= '9') {
            return static_cast<std::uint8_t>(c - '0');
        }
        if (c >= 'a' && c <= 'f') {
            return static_cast<std::uint8_t>(c - 'a' + 10);
        }
        if (c >= 'A' && c <= 'F') {
            return static_cast<std::uint8_t>(c - 'A' + 10);
        }
        throw std::runtime_error("bad hex digit");
    };
    crypto::bytes out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
    }
    return out;
}

/// Decodes a base64url value that a vector promises is valid.
inline crypto::bytes b64(std::string_view text) {
    auto out = crypto::base64url_decode(text);
    BOOST_REQUIRE_MESSAGE(out.has_value(), "vector value is not base64url: " << text);
    return *out;
}

inline crypto::bytes to_vec(crypto::byte_view v) {
    return {v.begin(), v.end()};
}

inline crypto::bytes flipped(crypto::byte_view v, std::size_t at) {
    crypto::bytes out(v.begin(), v.end());
    out.at(at) ^= 0x01;
    return out;
}

inline const test_json::value& vectors() {
    static const test_json::value doc =
        test_json::parse_file(std::string(SIGNAAL_TEST_DATA_DIR) + "/protocol-vectors.json");
    return doc;
}

} // namespace signaal::crypto_test
