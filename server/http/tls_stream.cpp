#include "server/http/tls_stream.hpp"

#include <boost/asio/ssl/error.hpp>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <stdexcept>
#include <sys/socket.h>

namespace signaal::http {
namespace net = boost::asio;
using boost::system::error_code;

namespace {

// OpenSSL's own socket BIO writes with write(2), which raises SIGPIPE on a
// closed connection; this one sends with MSG_NOSIGNAL, reads the socket's
// current descriptor (none once closed: a reused number is never touched), and
// keeps the error for the step that failed.
detail::tls_state& state_of(BIO* bio) {
    return *static_cast<detail::tls_state*>(BIO_get_data(bio));
}

bool retry_later(int error) {
    return error == EAGAIN || error == EWOULDBLOCK || error == EINTR;
}

int socket_write(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
    auto& s = state_of(bio);
    BIO_clear_retry_flags(bio);
    const auto n = ::send(s.socket.native_handle(), data, size, MSG_NOSIGNAL);
    if (n >= 0) {
        *written = static_cast<std::size_t>(n);
        return 1;
    }
    if (retry_later(errno)) {
        BIO_set_retry_write(bio);
    } else {
        s.socket_error = error_code(errno, boost::system::system_category());
    }
    return 0;
}

int socket_read(BIO* bio, char* data, std::size_t size, std::size_t* read) {
    auto& s = state_of(bio);
    BIO_clear_retry_flags(bio);
    const auto n = ::recv(s.socket.native_handle(), data, size, 0);
    if (n > 0) {
        *read = static_cast<std::size_t>(n);
        return 1;
    }
    if (n == 0) {
        s.peer_eof = true;
    } else if (retry_later(errno)) {
        BIO_set_retry_read(bio);
    } else {
        s.socket_error = error_code(errno, boost::system::system_category());
    }
    return 0;
}

long socket_ctrl(BIO* bio, int command, long, void*) {
    switch (command) {
    case BIO_CTRL_FLUSH:
        return 1; // nothing is buffered here
    case BIO_CTRL_EOF:
        return state_of(bio).peer_eof ? 1 : 0;
    default:
        return 0;
    }
}

int socket_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

BIO_METHOD* socket_method() {
    static BIO_METHOD* const method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "signaal socket");
        if (m == nullptr || BIO_meth_set_write_ex(m, socket_write) != 1 ||
            BIO_meth_set_read_ex(m, socket_read) != 1 || BIO_meth_set_ctrl(m, socket_ctrl) != 1 ||
            BIO_meth_set_create(m, socket_create) != 1) {
            throw std::runtime_error("TLS: cannot make the socket BIO");
        }
        return m;
    }();
    return method;
}

// What an SSL call's result means for the operation (as asio::ssl::stream
// reports it, which Beast's HTTP and WebSocket code expects).
detail::tls_step outcome(detail::tls_state& s, int result, std::size_t bytes) {
    detail::tls_step step;
    if (result > 0) {
        step.bytes = bytes;
        return step;
    }
    switch (SSL_get_error(s.ssl, result)) {
    case SSL_ERROR_WANT_READ:
        step.next = detail::tls_step::wait::read;
        break;
    case SSL_ERROR_WANT_WRITE:
        step.next = detail::tls_step::wait::write;
        break;
    case SSL_ERROR_ZERO_RETURN: // close_notify
        step.ec = net::error::eof;
        break;
    case SSL_ERROR_SYSCALL:
        step.ec = s.socket_error ? s.socket_error : error_code(net::ssl::error::stream_truncated);
        break;
    case SSL_ERROR_SSL: {
        const auto code = ERR_get_error();
        if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
            step.ec = net::ssl::error::stream_truncated; // closed without close_notify
        } else if (s.socket_error) {
            step.ec = s.socket_error;
        } else {
            step.ec = error_code(static_cast<int>(code), net::error::get_ssl_category());
        }
        break;
    }
    default:
        step.ec = net::error::fault;
        break;
    }
    ERR_clear_error();
    return step;
}

// The error queue is per thread: a step sees only its own errors.
void begin(detail::tls_state& s) {
    ERR_clear_error();
    s.socket_error = {};
}

} // namespace

namespace detail {

tls_state::tls_state(net::ip::tcp::socket s, net::ssl::context& context)
    : socket(std::move(s)), deadline(socket.get_executor()), ssl(SSL_new(context.native_handle())) {
    if (ssl == nullptr) {
        throw std::runtime_error("TLS: cannot make a connection");
    }
    BIO* bio = BIO_new(socket_method());
    if (bio == nullptr) {
        SSL_free(ssl);
        throw std::runtime_error("TLS: cannot make a connection");
    }
    BIO_set_data(bio, this);
    SSL_set_bio(ssl, bio, bio);
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                          SSL_MODE_RELEASE_BUFFERS);
    error_code ignored;
    socket.non_blocking(true, ignored);
}

tls_state::~tls_state() {
    SSL_free(ssl);
}

tls_step tls_read(tls_state& s, void* data, std::size_t size) {
    if (size == 0) {
        return {};
    }
    begin(s);
    std::size_t n = 0;
    const int result = SSL_read_ex(s.ssl, data, size, &n);
    return outcome(s, result, n);
}

tls_step tls_write(tls_state& s, const void* data, std::size_t size) {
    if (size == 0) {
        return {};
    }
    begin(s);
    std::size_t n = 0;
    const int result = SSL_write_ex(s.ssl, data, size, &n);
    return outcome(s, result, n);
}

tls_step tls_handshake(tls_state& s) {
    begin(s);
    return outcome(s, SSL_do_handshake(s.ssl), 0);
}

tls_step tls_shutdown(tls_state& s) {
    begin(s);
    // 0: our close_notify is sent; the second call waits for the peer's.
    int result = SSL_shutdown(s.ssl);
    if (result == 0) {
        result = SSL_shutdown(s.ssl);
    }
    return outcome(s, result, 0);
}

} // namespace detail

tls_stream::tls_stream(net::ip::tcp::socket socket, net::ssl::context& context)
    : state_(std::make_shared<detail::tls_state>(std::move(socket), context)) {}

void tls_stream::set_role(net::ssl::stream_base::handshake_type type) {
    if (type == net::ssl::stream_base::server) {
        SSL_set_accept_state(state_->ssl);
    } else {
        SSL_set_connect_state(state_->ssl);
    }
}

void tls_stream::expires_after(std::chrono::steady_clock::duration after) {
    auto& s = *state_;
    s.timed_out = false;
    s.deadline.expires_after(after);
    s.deadline.async_wait(
        [weak = std::weak_ptr(state_), generation = ++s.deadline_generation](error_code ec) {
            auto state = weak.lock();
            // Cancelled, the stream gone, or a newer deadline set meanwhile.
            if (ec || !state || state->deadline_generation != generation) {
                return;
            }
            state->timed_out = true;
            error_code ignored;
            state->socket.close(ignored);
        });
}

void tls_stream::expires_never() {
    auto& s = *state_;
    ++s.deadline_generation;
    s.timed_out = false;
    s.deadline.cancel();
}

void tls_stream::cancel() {
    error_code ignored;
    state_->socket.cancel(ignored);
}

void tls_stream::close() {
    ++state_->deadline_generation;
    state_->deadline.cancel();
    error_code ignored;
    state_->socket.close(ignored);
}

void beast_close_socket(tls_stream& stream) {
    stream.close();
}

void teardown(boost::beast::role_type role, tls_stream& stream, error_code& ec) {
    SSL_shutdown(stream.native_handle()); // best effort: the socket does not block
    ERR_clear_error();
    using boost::beast::websocket::teardown;
    teardown(role, stream.socket(), ec);
}

} // namespace signaal::http
