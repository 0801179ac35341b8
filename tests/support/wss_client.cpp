#include "tests/support/wss_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <stdexcept>

namespace signaal::testing {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

struct wss_client::impl {
    explicit impl(const std::filesystem::path& ca) : tls(ssl::context::tls_client), ws(ioc, tls) {
        tls.set_verify_mode(ssl::verify_peer);
        tls.load_verify_file(ca.string());
    }

    // Runs one asynchronous step to its end, or throws after `timeout`.
    template <class Start>
    boost::system::error_code run(Start start, std::chrono::milliseconds timeout) {
        boost::system::error_code result;
        bool done = false;
        start([&](boost::system::error_code ec, auto&&...) {
            result = ec;
            done = true;
        });
        ioc.restart();
        ioc.run_for(timeout);
        if (!done) {
            beast::get_lowest_layer(ws).close(); // ends the step; the client is spent
            ioc.restart();
            ioc.run();
            throw std::runtime_error("wss_client: no answer in time");
        }
        return result;
    }

    void must(boost::system::error_code ec, const char* step) {
        if (ec) {
            throw std::runtime_error(std::string("wss_client: ") + step + ": " + ec.message());
        }
    }

    net::io_context ioc;
    ssl::context tls;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
    beast::flat_buffer buffer;
    http_reply upgrade;
    std::atomic<std::size_t> pings = 0; // read by other threads of a test
    bool stop_at_ping = false;
};

wss_client::wss_client(const std::string& host, std::uint16_t port,
                       const std::filesystem::path& ca_pem, const options& opts)
    : impl_(std::make_unique<impl>(ca_pem)) {
    auto& d = *impl_;
    const auto step = std::chrono::milliseconds(default_timeout);
    auto& tcp = beast::get_lowest_layer(d.ws);
    const net::ip::tcp::endpoint endpoint(net::ip::make_address(host), port);
    tcp.socket().open(endpoint.protocol());
    if (opts.receive_buffer > 0) {
        tcp.socket().set_option(net::socket_base::receive_buffer_size(opts.receive_buffer));
    }
    d.must(d.run([&](auto handler) { tcp.async_connect(endpoint, handler); }, step), "connect");
    SSL_set_tlsext_host_name(d.ws.next_layer().native_handle(), "localhost");
    d.ws.next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
    d.must(d.run(
               [&](auto handler) {
                   d.ws.next_layer().async_handshake(ssl::stream_base::client, handler);
               },
               step),
           "TLS handshake");
    d.ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    d.ws.control_callback([&d](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::ping) {
            ++d.pings;
            if (d.stop_at_ping) {
                d.ioc.stop();
            }
        }
    });
    websocket::response_type res;
    d.must(
        d.run([&](auto handler) { d.ws.async_handshake(res, "localhost", opts.target, handler); },
              step),
        "upgrade");
    d.upgrade.status = res.result_int();
    for (const auto& field : res) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        d.upgrade.headers.emplace(name, std::string(field.value()));
    }
}

wss_client::~wss_client() = default;
wss_client::wss_client(wss_client&&) noexcept = default;
wss_client& wss_client::operator=(wss_client&&) noexcept = default;

const http_reply& wss_client::upgrade_reply() const {
    return impl_->upgrade;
}

void wss_client::send(const std::string& text) {
    auto& d = *impl_;
    d.ws.text(true);
    d.must(
        d.run([&](auto handler) { d.ws.async_write(net::buffer(text), handler); }, default_timeout),
        "write");
}

wss_client::message wss_client::read(std::chrono::milliseconds timeout) {
    auto& d = *impl_;
    d.buffer.clear();
    const auto ec = d.run([&](auto handler) { d.ws.async_read(d.buffer, handler); }, timeout);
    message out;
    if (ec == websocket::error::closed) {
        out.closed = true;
        out.close_code = static_cast<std::uint16_t>(d.ws.reason().code);
        out.close_reason = std::string(d.ws.reason().reason.data(), d.ws.reason().reason.size());
        return out;
    }
    if (ec) {
        // The connection ended without a close frame.
        out.closed = true;
        out.close_reason = ec.message();
        return out;
    }
    out.text = beast::buffers_to_string(d.buffer.data());
    return out;
}

std::size_t wss_client::pings() const {
    return impl_->pings;
}

bool wss_client::wait_for_ping(std::chrono::milliseconds timeout) {
    auto& d = *impl_;
    d.stop_at_ping = true;
    const std::size_t before = d.pings;
    bool done = false;
    d.buffer.clear();
    d.ws.async_read(d.buffer, [&](boost::system::error_code, std::size_t) { done = true; });
    d.ioc.restart();
    d.ioc.run_for(timeout);
    if (done) {
        throw std::runtime_error("wss_client: a message or close came instead of a ping");
    }
    beast::get_lowest_layer(d.ws).close();
    d.ioc.restart();
    d.ioc.run();
    return d.pings > before;
}

void wss_client::close() {
    auto& d = *impl_;
    d.must(d.run([&](auto handler) { d.ws.async_close(websocket::close_code::normal, handler); },
                 default_timeout),
           "close");
}

} // namespace signaal::testing
