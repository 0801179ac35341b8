#pragma once
// A self-signed certificate for localhost, so a fresh instance runs over TLS
// with no operator step. Production instances name their own certificate.
#include "server/common/result.hpp"

#include <filesystem>

namespace signaal::tls {

struct pem_pair {
    std::filesystem::path certificate;
    std::filesystem::path private_key;
};

/// The pair in `dir` (cert.pem, key.pem); made when absent or expiring within
/// 30 days: P-256, valid 397 days, for DNS:localhost, IP:127.0.0.1 and IP:::1.
/// The key is written with mode 0600. Every OpenSSL step is checked: an error
/// names the step that failed.
[[nodiscard]] result<pem_pair> ensure_self_signed(const std::filesystem::path& dir);

} // namespace signaal::tls
