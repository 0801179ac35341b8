#pragma once
#include "crypto/secret.hpp"

namespace signaal::crypto {

[[nodiscard]] bytes random_bytes(std::size_t n);
[[nodiscard]] secret_bytes random_secret(std::size_t n);

} // namespace signaal::crypto
