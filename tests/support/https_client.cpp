#include "tests/support/https_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace signaal::testing {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string http_reply::header(const std::string& lower_name) const {
    const auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
}

bool http_reply::has_header(const std::string& lower_name) const {
    return headers.contains(lower_name);
}

struct https_client::impl {
    impl(std::string h, std::uint16_t p, const std::filesystem::path& ca)
        : host(std::move(h)), port(p), tls(ssl::context::tls_client) {
        tls.set_verify_mode(ssl::verify_peer);
        tls.load_verify_file(ca.string());
    }
    impl(std::string h, std::uint16_t p, std::string header)
        : host(std::move(h)), port(p), host_header(std::move(header)), plain(true),
          tls(ssl::context::tls_client) {}

    // The connection's stream: TLS, or the plain TCP stream under it.
    template <class Use> decltype(auto) with_stream(Use use) {
        return plain ? use(beast::get_lowest_layer(*stream)) : use(*stream);
    }

    // Runs one asynchronous step to its end. beast::tcp_stream's deadline
    // applies to asynchronous operations only, hence no blocking calls here.
    template <class Start> void run(Start start) {
        boost::system::error_code result;
        bool done = false;
        beast::get_lowest_layer(*stream).expires_after(timeout);
        start([&](boost::system::error_code ec, auto&&...) {
            result = ec;
            done = true;
        });
        ioc.restart();
        ioc.run();
        if (!done) {
            throw std::runtime_error("https_client: an operation did not complete");
        }
        if (result) {
            throw boost::system::system_error(result);
        }
    }

    void connect() {
        stream = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, tls);
        buffer.clear();
        ++opened;
        SSL_set_tlsext_host_name(stream->native_handle(), "localhost");
        stream->set_verify_callback(ssl::host_name_verification("localhost"));
        const net::ip::tcp::endpoint endpoint(net::ip::make_address(host), port);
        run([&](auto handler) {
            beast::get_lowest_layer(*stream).async_connect(endpoint, handler);
        });
        beast::get_lowest_layer(*stream).socket().set_option(net::ip::tcp::no_delay(true));
        if (!plain) {
            run([&](auto handler) { stream->async_handshake(ssl::stream_base::client, handler); });
        }
    }

    void write(const std::string& bytes) {
        run([&](auto handler) {
            with_stream([&](auto& s) { net::async_write(s, net::buffer(bytes), handler); });
        });
    }

    http_reply read_reply() {
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        run([&](auto handler) {
            with_stream([&](auto& s) { bhttp::async_read(s, buffer, parser, handler); });
        });
        auto res = parser.release();
        http_reply reply;
        reply.status = res.result_int();
        reply.body = std::move(res.body());
        for (const auto& field : res) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            reply.headers.emplace(name, std::string(field.value()));
        }
        if (!res.keep_alive()) {
            stream.reset();
        }
        return reply;
    }

    std::string host;
    std::uint16_t port;
    std::string host_header = "localhost";
    bool plain = false; // no TLS: the ssl_stream's lower layer carries the bytes
    std::chrono::milliseconds timeout = default_timeout;
    std::size_t opened = 0;
    net::io_context ioc;
    ssl::context tls;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream;
    beast::flat_buffer buffer;
};

https_client::https_client(std::string host, std::uint16_t port,
                           const std::filesystem::path& ca_pem)
    : impl_(std::make_unique<impl>(std::move(host), port, ca_pem)) {}
https_client https_client::plain(std::string host, std::uint16_t port, std::string host_header) {
    https_client client;
    client.impl_ = std::make_unique<impl>(std::move(host), port, std::move(host_header));
    return client;
}
https_client::~https_client() = default;
https_client::https_client(https_client&&) noexcept = default;
https_client& https_client::operator=(https_client&&) noexcept = default;

void https_client::set_timeout(std::chrono::milliseconds timeout) {
    impl_->timeout = timeout;
}

std::size_t https_client::connections_opened() const {
    return impl_->opened;
}

http_reply https_client::request(const std::string& method, const std::string& target,
                                 const std::string& body, const std::string& content_type,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, impl_->host_header);
    if (!content_type.empty()) {
        req.set(bhttp::field::content_type, content_type);
    }
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();
    const bool idempotent = method == "GET" || method == "HEAD";
    for (;;) {
        const bool reused = impl_->stream != nullptr;
        if (!reused) {
            impl_->connect();
        }
        try {
            impl_->run([&](auto handler) {
                impl_->with_stream([&](auto& s) { bhttp::async_write(s, req, handler); });
            });
            return impl_->read_reply();
        } catch (const boost::system::system_error& e) {
            impl_->stream.reset();
            // The server may have closed an idle kept-alive connection: a GET may
            // go again on a new one. A POST may have been stored: never twice.
            if (!reused || !idempotent || e.code() == beast::error::timeout) {
                throw;
            }
        }
    }
}

http_reply https_client::post_header_only(const std::string& target,
                                          std::uint64_t declared_length) {
    std::string head = "POST " + target + " HTTP/1.1\r\nHost: " + impl_->host_header +
                       "\r\n"
                       "Content-Type: application/json\r\nContent-Length: " +
                       std::to_string(declared_length) + "\r\n\r\n";
    return raw(head);
}

http_reply https_client::raw(const std::string& bytes) {
    impl_->connect();
    // The server may answer and close before it read everything (a refused
    // body): the answer still counts, so a failed write is not the end.
    try {
        impl_->write(bytes);
    } catch (const boost::system::system_error&) {
    }
    auto reply = impl_->read_reply();
    impl_->stream.reset();
    return reply;
}

void https_client::raw_begin(const std::string& first_part) {
    impl_->connect();
    impl_->write(first_part);
}

http_reply https_client::raw_read() {
    return impl_->read_reply();
}

http_reply https_client::raw_finish(const std::string& rest) {
    impl_->write(rest);
    auto reply = impl_->read_reply();
    impl_->stream.reset();
    return reply;
}

} // namespace signaal::testing
