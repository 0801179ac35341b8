#pragma once
// What the server does once before it listens: folders, database, keys, TLS.
// Start-up is the one place that throws: a std::runtime_error with a plain message.
#include "crypto/secret.hpp"
#include "server/config/settings.hpp"
#include "server/tls/self_signed.hpp"

#include <filesystem>

namespace signaal::startup {

/// A random secret kept in `file` (mode 0600), made on first use. The proof-of-work
/// MAC key lives here, so tokens and spent-token records survive a restart.
[[nodiscard]] crypto::secret_bytes load_or_create_secret(const std::filesystem::path& file,
                                                         std::size_t size);

/// The configured certificate pair, or a self-signed localhost pair in data_dir/tls.
[[nodiscard]] tls::pem_pair tls_pair(const config::settings& settings);

} // namespace signaal::startup
