#pragma once
#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <string>

namespace signaal::http {

/// A server TLS context: TLS 1.2 and 1.3 only, forward-secret AEAD suites only,
/// no compression, no session tickets (nothing to link a reporter's visits by).
/// Throws std::runtime_error at start-up when the pair cannot be used.
[[nodiscard]] boost::asio::ssl::context make_server_tls(const std::filesystem::path& certificate,
                                                        const std::filesystem::path& private_key);

} // namespace signaal::http
