#include "server/http/http_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <memory>
#include <type_traits>

namespace signaal::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr auto shutdown_timeout = std::chrono::seconds(2);

// Stream: tls_stream, or plain_stream for the onion listener. Both are
// instantiated in this file only, with the request loop and the stream session
// they call, so that no other file compiles Beast's HTTP code.
template <class Stream> struct session_state {
    static constexpr bool tls = !std::is_same_v<Stream, plain_stream>;

    session_state(net::ip::tcp::socket socket, ssl::context& context)
        requires tls
        : stream(std::move(socket), context) {}
    explicit session_state(net::ip::tcp::socket socket)
        requires(!tls)
        : stream(std::move(socket)) {}

    Stream stream;
    bool busy = false; // between a request's first byte and its answer; only touched on the strand
    std::function<void()> close_stream; // set while a live stream runs; only on the strand
};

template <class Stream>
net::awaitable<void> serve(std::shared_ptr<session_state<Stream>> state, session_context& ctx) {
    auto& stream = state->stream;
    auto& tcp = beast::get_lowest_layer(stream);
    if constexpr (session_state<Stream>::tls) {
        tcp.expires_after(std::chrono::seconds(ctx.requests.limits.handshake_timeout_seconds));
        auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple);
        if (handshake_ec) {
            if (ctx.handshake_failures != nullptr) {
                ctx.handshake_failures->fetch_add(
                    1, std::memory_order_relaxed); // a count, nothing of the peer
            }
            tcp.close();
            co_return;
        }
    }
    beast::flat_buffer buffer;
    auto upgrade = co_await serve_requests(stream, buffer, ctx.requests, state->busy);
    if (upgrade && ctx.streams != nullptr) {
        buffer = {};
        tcp.expires_never(); // the WebSocket keeps its own time
        co_await serve_stream(stream, std::move(*upgrade), *ctx.streams, state->close_stream);
    } else if constexpr (session_state<Stream>::tls) {
        tcp.expires_after(shutdown_timeout);
        co_await stream.async_shutdown(use_tuple);
    } else {
        beast::error_code ignored;
        tcp.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    }
    tcp.close();
}

template <class Stream>
void start(std::shared_ptr<session_state<Stream>> state, session_context& context) {
    auto executor = beast::get_lowest_layer(state->stream).get_executor();
    std::weak_ptr<session_state<Stream>> weak = state;
    // On shutdown: an idle connection closes now; a busy one after its answer;
    // a live stream with a close frame.
    const auto ticket = context.tracker.admit([weak, executor] {
        net::post(executor, [weak] {
            auto s = weak.lock();
            if (!s) {
                return;
            }
            if (s->close_stream) {
                s->close_stream();
            } else if (!s->busy) {
                beast::get_lowest_layer(s->stream).cancel();
            }
        });
    });
    if (ticket == 0) {
        beast::error_code ignored;
        beast::get_lowest_layer(state->stream).socket().close(ignored);
        return;
    }
    // The coroutine frame owns the stream: when it ends, normally or by an
    // exception, the socket closes with it and only this connection is gone.
    net::co_spawn(executor, serve(std::move(state), context),
                  [&context, ticket](const std::exception_ptr& failure) {
                      if (failure && context.requests.log) {
                          context.requests.log("connection_failed"); // closed it
                      }
                      context.tracker.release(ticket);
                  });
}

} // namespace

void start_session(net::ip::tcp::socket socket, session_context& context) {
    if (context.requests.over == transport::onion_http) {
        start(std::make_shared<session_state<plain_stream>>(std::move(socket)), context);
    } else {
        start(std::make_shared<session_state<tls_stream>>(std::move(socket), context.tls), context);
    }
}

} // namespace signaal::http
