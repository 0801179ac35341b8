#include "server/http/tls_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace signaal::http {

namespace ssl = boost::asio::ssl;

ssl::context make_server_tls(const std::filesystem::path& certificate,
                             const std::filesystem::path& private_key) {
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                    ssl::context::single_dh_use | ssl::context::no_compression);
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(native, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                                    SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
    // TLS 1.3 sends tickets even so, for a cache that is off: none are made.
    SSL_CTX_set_num_tickets(native, 0);
    // An idle connection (a live stream, mostly) holds no TLS record buffers:
    // they are freed once empty and taken again for the next record.
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
    // TLS 1.2: ECDHE with AEAD only. TLS 1.3 suites are all forward secret.
    if (SSL_CTX_set_cipher_list(native,
                                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384") != 1) {
        throw std::runtime_error("TLS: cannot set the cipher list");
    }
    boost::system::error_code ec;
    ctx.use_certificate_chain_file(certificate.string(), ec);
    if (ec) {
        throw std::runtime_error("TLS: cannot read certificate " + certificate.string() + ": " +
                                 ec.message());
    }
    ctx.use_private_key_file(private_key.string(), ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("TLS: cannot read private key " + private_key.string() + ": " +
                                 ec.message());
    }
    if (SSL_CTX_check_private_key(native) != 1) {
        throw std::runtime_error("TLS: the private key does not match the certificate");
    }
    return ctx;
}

} // namespace signaal::http
