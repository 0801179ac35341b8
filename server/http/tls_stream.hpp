#pragma once
// The server's TLS connection: an SSL* driven straight over the non-blocking
// socket, without Asio's SSL engine. asio::ssl::stream keeps four 17 KB record
// buffers per connection whatever OpenSSL is told; here OpenSSL reads and
// writes the socket itself, with SSL_MODE_RELEASE_BUFFERS, so an idle
// connection (a live stream, mostly) holds no record buffer at all.
//
// It is its own lowest layer: the deadlines of beast::tcp_stream
// (expires_after, expires_never, cancel, close) are here, and Beast's
// WebSocket finds its teardown and close_socket below. One read and one write
// may be outstanding at a time, on the connection's strand.
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace signaal::http {

namespace detail {

/// What one TLS step asks for next: done (with its error and bytes), or a wait.
struct tls_step {
    enum class wait { none, read, write };
    wait next = wait::none;
    boost::system::error_code ec;
    std::size_t bytes = 0;
};

/// The connection; shared with the deadline's handler, which may outlive the stream.
struct tls_state {
    tls_state(boost::asio::ip::tcp::socket s, boost::asio::ssl::context& context);
    ~tls_state();
    tls_state(const tls_state&) = delete;
    tls_state& operator=(const tls_state&) = delete;

    boost::asio::ip::tcp::socket socket;
    boost::asio::steady_timer deadline;
    SSL* ssl = nullptr;
    boost::system::error_code socket_error; // the last send/recv failure, for SSL_ERROR_SYSCALL
    bool peer_eof = false;                  // recv returned 0
    bool timed_out = false;
    unsigned deadline_generation = 0;
};

tls_step tls_read(tls_state& s, void* data, std::size_t size);
tls_step tls_write(tls_state& s, const void* data, std::size_t size);
tls_step tls_handshake(tls_state& s);
tls_step tls_shutdown(tls_state& s);

/// The most a write hands OpenSSL at once: one full record.
inline constexpr std::size_t tls_write_chunk = 16 * 1024;

// Runs `Step` until it is done, waiting on the socket whenever OpenSSL wants
// to read or write it. A result on the first try is posted, never called inline.
template <class Step> class tls_op {
  public:
    tls_op(std::shared_ptr<tls_state> state, Step step)
        : state_(std::move(state)), step_(std::move(step)) {}

    template <class Self> void operator()(Self& self, boost::system::error_code ec = {}) {
        if (phase_ == phase::posted) {
            return finish(self, result_.ec, result_.bytes);
        }
        if (phase_ == phase::waiting && ec) {
            // The deadline closes the socket, which aborts the wait.
            return finish(self, state_->timed_out ? boost::beast::error::timeout : ec, 0);
        }
        tls_step step;
        if (state_->timed_out) {
            step.ec = boost::beast::error::timeout;
        } else {
            step = step_(*state_);
        }
        if (step.next != tls_step::wait::none) {
            phase_ = phase::waiting;
            state_->socket.async_wait(step.next == tls_step::wait::read
                                          ? boost::asio::socket_base::wait_read
                                          : boost::asio::socket_base::wait_write,
                                      std::move(self));
            return;
        }
        if (phase_ == phase::started) {
            phase_ = phase::posted;
            result_ = step;
            auto executor = state_->socket.get_executor();
            boost::asio::post(executor, std::move(self));
            return;
        }
        finish(self, step.ec, step.bytes);
    }

  private:
    template <class Self> void finish(Self& self, boost::system::error_code ec, std::size_t bytes) {
        if constexpr (Step::with_bytes) {
            self.complete(ec, bytes);
        } else {
            self.complete(ec);
        }
    }

    enum class phase { started, waiting, posted };
    std::shared_ptr<tls_state> state_;
    Step step_;
    phase phase_ = phase::started;
    tls_step result_;
};

struct read_step {
    static constexpr bool with_bytes = true;
    boost::asio::mutable_buffer buffer;
    tls_step operator()(tls_state& s) const { return tls_read(s, buffer.data(), buffer.size()); }
};

struct write_step {
    static constexpr bool with_bytes = true;
    const void* data = nullptr;
    std::size_t size = 0;
    std::unique_ptr<unsigned char[]> gathered; // small pieces, copied into one record
    tls_step operator()(tls_state& s) const { return tls_write(s, data, size); }
};

struct handshake_step {
    static constexpr bool with_bytes = false;
    tls_step operator()(tls_state& s) const { return tls_handshake(s); }
};

struct shutdown_step {
    static constexpr bool with_bytes = false;
    tls_step operator()(tls_state& s) const { return tls_shutdown(s); }
};

} // namespace detail

class tls_stream {
  public:
    using executor_type = boost::asio::ip::tcp::socket::executor_type;

    /// Takes an accepted socket; the handshake is still to come.
    tls_stream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context);
    tls_stream(const tls_stream&) = delete;
    tls_stream& operator=(const tls_stream&) = delete;

    executor_type get_executor() noexcept { return state_->socket.get_executor(); }
    boost::asio::ip::tcp::socket& socket() noexcept { return state_->socket; }
    SSL* native_handle() noexcept { return state_->ssl; }

    /// After this, every operation (pending or started later) fails with
    /// beast::error::timeout and the socket is closed, as with beast::tcp_stream.
    void expires_after(std::chrono::steady_clock::duration after);
    void expires_never();
    /// Pending operations end with operation_aborted.
    void cancel();
    void close();

    template <class MutableBufferSequence, class Token>
    auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
        detail::read_step step;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
            if (boost::asio::mutable_buffer b(*it); b.size() != 0) {
                step.buffer = b;
                break;
            }
        }
        return start<void(boost::system::error_code, std::size_t)>(std::move(step),
                                                                   std::forward<Token>(token));
    }

    template <class ConstBufferSequence, class Token>
    auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
        detail::write_step step;
        const auto total = boost::asio::buffer_size(buffers);
        const auto wanted = total < detail::tls_write_chunk ? total : detail::tls_write_chunk;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
            if (boost::asio::const_buffer b(*it); b.size() != 0) {
                step.data = b.data();
                step.size = b.size();
                break;
            }
        }
        // Beast writes a header as many small pieces: one record, not one each.
        if (step.size < wanted) {
            step.gathered = std::make_unique_for_overwrite<unsigned char[]>(wanted);
            boost::asio::buffer_copy(boost::asio::buffer(step.gathered.get(), wanted), buffers);
            step.data = step.gathered.get();
            step.size = wanted;
        }
        return start<void(boost::system::error_code, std::size_t)>(std::move(step),
                                                                   std::forward<Token>(token));
    }

    template <class Token>
    auto async_handshake(boost::asio::ssl::stream_base::handshake_type type, Token&& token) {
        set_role(type);
        return start<void(boost::system::error_code)>(detail::handshake_step{},
                                                      std::forward<Token>(token));
    }

    /// Sends close_notify and waits for the peer's.
    template <class Token> auto async_shutdown(Token&& token) {
        return start<void(boost::system::error_code)>(detail::shutdown_step{},
                                                      std::forward<Token>(token));
    }

  private:
    template <class Signature, class Step, class Token> auto start(Step step, Token&& token) {
        return boost::asio::async_compose<Token, Signature>(
            detail::tls_op<Step>(state_, std::move(step)), token, state_->socket);
    }

    void set_role(boost::asio::ssl::stream_base::handshake_type type);

    std::shared_ptr<detail::tls_state> state_;
};

/// For beast::close_socket (Beast's WebSocket timeouts).
void beast_close_socket(tls_stream& stream);

namespace detail {

// A WebSocket's last step: close_notify both ways, then the TCP teardown.
class tls_teardown_op {
  public:
    tls_teardown_op(tls_stream& stream, boost::beast::role_type role)
        : stream_(stream), role_(role) {}

    template <class Self> void operator()(Self& self) { stream_.async_shutdown(std::move(self)); }

    template <class Self> void operator()(Self& self, boost::system::error_code ec) {
        if (!shut_) {
            shut_ = true;
            ec_ = ec;
            using boost::beast::websocket::async_teardown;
            async_teardown(role_, stream_.socket(), std::move(self));
            return;
        }
        self.complete(ec_ ? ec_ : ec);
    }

  private:
    tls_stream& stream_;
    boost::beast::role_type role_;
    bool shut_ = false;
    boost::system::error_code ec_;
};

} // namespace detail

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, tls_stream& stream, TeardownHandler&& handler) {
    boost::asio::async_compose<TeardownHandler, void(boost::system::error_code)>(
        detail::tls_teardown_op(stream, role), handler, stream.socket());
}

void teardown(boost::beast::role_type role, tls_stream& stream, boost::system::error_code& ec);

} // namespace signaal::http
