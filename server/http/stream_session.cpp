#include "server/http/stream_session.hpp"

#include "server/auth/principal.hpp"
#include "server/auth/token_registry.hpp"
#include "server/http/security_headers.hpp"
#include "server/store/read_pool.hpp"
#include "server/stream/event_hub.hpp"
#include "server/stream/event_log.hpp"
#include "server/stream/messages.hpp"
#include "server/stream/send_queue.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <map>
#include <memory>
#include <string>
#include <type_traits>

namespace signaal::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// Replayed events are read and sent this many at a time, so a long absence
// costs no more memory than a short one.
constexpr std::int64_t replay_page = 512;
// A stream's messages are small: a client that stops reading fills this soon,
// and then the bounded send queue, instead of megabytes of kernel buffer.
constexpr int stream_send_buffer = 32 * 1024;

using seq_map = std::map<std::string, std::int64_t, std::less<>>;

// One class for both transports (Next: tls_stream or plain_stream), instantiated
// twice here, so that no other file compiles the WebSocket code.
template <class Next>
class stream_session final : public stream::stream_sink,
                             public std::enable_shared_from_this<stream_session<Next>> {
  public:
    stream_session(Next& stream, const stream_context& ctx)
        : ws_(stream), ctx_(ctx), executor_(ws_.get_executor()), queue_(ctx.send_queue_max),
          wake_(executor_), done_(executor_), deadline_(executor_), ticker_(executor_),
          cut_(executor_) {}

    net::awaitable<void> run(upgrade_request request, std::function<void()>& on_drain) {
        on_drain = [this] {
            begin_close(stream::close_code::service_restart, "The server restarts.");
        };
        co_await serve(std::move(request));
        subscription_.reset(); // no delivery is in progress or follows
        queue_.close();
        while (running_ > 0) {
            done_.expires_at(net::steady_timer::time_point::max());
            co_await done_.async_wait(use_tuple);
        }
        on_drain = nullptr;
    }

    // stream_sink: called on the writer thread under the hub's lock.
    void deliver(std::span<const stream::shared_event> events) override {
        switch (queue_.push(events)) {
        case stream::send_queue::push_result::woke:
            net::post(executor_, [weak = this->weak_from_this()] {
                if (auto self = weak.lock()) {
                    self->wake_.cancel();
                }
            });
            break;
        case stream::send_queue::push_result::overflow:
            if (ctx_.log) {
                ctx_.log("stream_overflow"); // closed with 1013
            }
            end(stream::close_code::try_again_later,
                "The stream fell behind; resume from your last seq.");
            break;
        case stream::send_queue::push_result::queued:
        case stream::send_queue::push_result::closed:
            break;
        }
    }

    void end(stream::close_code code, std::string_view reason) override {
        net::post(executor_, [weak = this->weak_from_this(), code, why = std::string(reason)] {
            if (auto self = weak.lock()) {
                self->begin_close(code, why);
            }
        });
    }

  private:
    net::awaitable<void> serve(upgrade_request request) {
        ws_.set_option(websocket::stream_base::timeout{
            .handshake_timeout = ctx_.handshake_timeout,
            // Not Beast's idle timeout: without its own keep-alive pings it
            // ends a stream whose client sends no message for that long, and
            // clients send nothing after auth. tick() watches the pongs.
            .idle_timeout = websocket::stream_base::none(),
            .keep_alive_pings = false,
        });
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::pong) {
                unanswered_pings_ = 0;
            }
        });
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
            // Beast names itself and its version when no Server is set.
            res.set(beast::http::field::server, "signaal");
            for (const auto& line : security_headers(over)) {
                res.set(beast::string_view(line.name.data(), line.name.size()),
                        beast::string_view(line.value.data(), line.value.size()));
            }
        }));
        ws_.read_message_max(stream::auth_message_max);
        auto [accept_ec] = co_await ws_.async_accept(request, use_tuple);
        if (accept_ec) {
            co_return;
        }
        if (ctx_.tracker.draining()) {
            begin_close(stream::close_code::service_restart, "The server restarts.");
            co_return;
        }

        deadline_.expires_after(ctx_.auth_timeout);
        spawn(close_at_deadline(stream::close_code::policy, "No auth message in time."));
        beast::flat_buffer buffer;
        auto [read_ec, n] = co_await ws_.async_read(buffer, use_tuple);
        deadline_.cancel();
        if (read_ec) {
            peer_gone();
            co_return;
        }
        if (closing_) {
            co_return;
        }
        auto auth = stream::parse_auth(beast::buffers_to_string(buffer.data()));
        buffer = {};
        if (!auth) {
            begin_close(stream::close_code::policy, auth.error().message);
            co_return;
        }
        const auto caller = ctx_.tokens.find(auth->token, auth::scope::staff);
        if (!caller) {
            begin_close(stream::close_code::policy, "The token is not valid or has expired.");
            co_return;
        }
        if (caller->role != auth::role::caseworker) {
            begin_close(stream::close_code::policy, "The stream is for caseworkers.");
            co_return;
        }
        const std::vector<std::string> desks = caller->desks;
        // Subscribed before the replay is read: whatever commits from here on is
        // queued, and the queue's events up to the replayed seq are skipped.
        subscription_ = ctx_.hub.subscribe(caller->staff_id, desks, this->shared_from_this());
        token_ = std::move(auth->token);
        spawn(read_until_closed());
        spawn(tick());

        seq_map last;
        if (!co_await replay(desks, auth->after, last)) {
            co_return;
        }
        std::map<std::string, std::int64_t> ready(last.begin(), last.end());
        // Named: GCC 12 may destroy a temporary of a co_await expression twice.
        const std::string ready_message = stream::ready_text(ready);
        if (!co_await send(ready_message)) {
            co_return;
        }
        co_await send_live(last);
    }

    // Every event of `desks` after the client's seq up to the last committed
    // when the replay starts; `last` gets that seq per desk.
    net::awaitable<bool> replay(const std::vector<std::string>& desks, const seq_map& after,
                                seq_map& last) {
        auto snapshot = co_await ctx_.reads.run([&desks](store::database& db) -> result<seq_map> {
            seq_map out;
            for (const auto& desk : desks) {
                auto seq = stream::last_seq(db, desk);
                if (!seq) {
                    return seq.error();
                }
                out.emplace(desk, *seq);
            }
            return out;
        });
        if (!snapshot) {
            begin_close(stream::close_code::try_again_later, "The server could not read events.");
            co_return false;
        }
        last = std::move(*snapshot);
        for (const auto& [desk, upto] : last) {
            const auto given = after.find(desk);
            std::int64_t from = given == after.end() ? 0 : given->second;
            while (from < upto) {
                auto page = co_await ctx_.reads.run([&desk, from, upto](store::database& db) {
                    return stream::events_between(db, desk, from, upto, replay_page);
                });
                if (!page) {
                    begin_close(stream::close_code::try_again_later,
                                "The server could not read events.");
                    co_return false;
                }
                if (page->empty()) {
                    break; // seqs past a gap left by a removed report
                }
                for (const auto& e : *page) {
                    if (!co_await send(e->text)) {
                        co_return false;
                    }
                }
                from = page->back()->seq;
            }
        }
        co_return true;
    }

    net::awaitable<void> send_live(const seq_map& replayed) {
        while (!closing_) {
            auto events = queue_.take();
            if (events.empty()) {
                wake_.expires_at(net::steady_timer::time_point::max());
                co_await wake_.async_wait(use_tuple);
                continue;
            }
            for (const auto& e : events) {
                // Committed before the replay's snapshot: already sent.
                if (const auto at = replayed.find(e->desk);
                    at != replayed.end() && e->seq <= at->second) {
                    continue;
                }
                if (!co_await send(e->text)) {
                    co_return;
                }
            }
        }
    }

    net::awaitable<bool> send(const std::string& text) {
        if (closing_) {
            co_return false;
        }
        ws_.text(true);
        auto [ec, n] = co_await ws_.async_write(net::buffer(text), use_tuple);
        if (ec) {
            abandon();
            co_return false;
        }
        co_return !closing_;
    }

    // Reads until the peer closes or the connection fails; the client has
    // nothing more to say after its auth message.
    net::awaitable<void> read_until_closed() {
        beast::flat_buffer buffer;
        for (;;) {
            auto [ec, n] = co_await ws_.async_read(buffer, use_tuple);
            if (ec) {
                peer_gone();
                co_return;
            }
            buffer.clear();
        }
    }

    // A ping every interval; first a look at the token, so that one which
    // expired or was ended (logout) closes the stream (1008) within an
    // interval. A client that answered none of the last two pings is gone.
    net::awaitable<void> tick() {
        while (!closing_) {
            ticker_.expires_after(ctx_.ping_interval);
            auto [ec] = co_await ticker_.async_wait(use_tuple);
            if (ec || closing_) {
                co_return;
            }
            if (!ctx_.tokens.find(token_, auth::scope::staff)) {
                begin_close(stream::close_code::policy, "The token expired or was ended.");
                co_return;
            }
            if (unanswered_pings_ >= 2) {
                abandon();
                co_return;
            }
            ++unanswered_pings_;
            auto [ping_ec] = co_await ws_.async_ping({}, use_tuple);
            if (ping_ec) {
                co_return;
            }
        }
    }

    net::awaitable<void> close_at_deadline(stream::close_code code, std::string reason) {
        auto [ec] = co_await deadline_.async_wait(use_tuple);
        if (!ec) {
            begin_close(code, reason);
        }
    }

    // On the strand. Sends the close frame once; a client that takes no close
    // frame (it stopped reading) is cut off after the handshake timeout.
    void begin_close(stream::close_code code, const std::string& reason) {
        if (closing_) {
            return;
        }
        stop_everything();
        spawn(close_with(code, reason));
    }

    net::awaitable<void> close_with(stream::close_code code, std::string reason) {
        cut_.expires_after(ctx_.handshake_timeout);
        spawn(cut_at_deadline());
        co_await ws_.async_close(
            websocket::close_reason(static_cast<websocket::close_code>(code), reason), use_tuple);
        cut_.cancel();
        // The close handshake and TLS shutdown are done (or failed): a read
        // still waiting ends now.
        beast::get_lowest_layer(ws_).close();
    }

    net::awaitable<void> cut_at_deadline() {
        auto [ec] = co_await cut_.async_wait(use_tuple);
        if (!ec) {
            beast::get_lowest_layer(ws_).close();
        }
    }

    // The peer closed, or the connection failed or timed out.
    void peer_gone() {
        if (!closing_) {
            stop_everything();
        }
    }

    // A write failed: nothing more can be sent.
    void abandon() {
        if (!closing_) {
            stop_everything();
            beast::get_lowest_layer(ws_).close();
        }
    }

    void stop_everything() {
        closing_ = true;
        queue_.close();
        wake_.cancel();
        deadline_.cancel();
        ticker_.cancel();
    }

    // Runs `task` on the strand; run() returns only when every task ended.
    void spawn(net::awaitable<void> task) {
        ++running_;
        net::co_spawn(executor_, std::move(task),
                      [self = this->shared_from_this()](const std::exception_ptr& failure) {
                          if (failure) {
                              self->abandon();
                          }
                          --self->running_;
                          self->done_.cancel();
                      });
    }

    // The onion listener's upgrade answer carries no HSTS either.
    static constexpr transport over =
        std::is_same_v<Next, plain_stream> ? transport::onion_http : transport::https;

    websocket::stream<Next&> ws_;
    const stream_context& ctx_;
    const net::any_io_executor executor_; // the connection's strand
    stream::send_queue queue_;
    stream::event_hub::subscription subscription_;
    net::steady_timer wake_;     // the live sender waits here for the queue
    net::steady_timer done_;     // run() waits here for the tasks
    net::steady_timer deadline_; // the auth message's
    net::steady_timer ticker_;   // pings and the token's expiry
    net::steady_timer cut_;      // a close frame the client does not take
    std::string token_;          // looked up again at each tick; only in memory
    bool closing_ = false;       // on the strand
    int running_ = 0;            // tasks on the strand
    int unanswered_pings_ = 0;   // on the strand: reset by each pong
};

template <class Next>
net::awaitable<void> serve_on(Next& stream, upgrade_request request, const stream_context& ctx,
                              std::function<void()>& on_drain) {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream).socket().set_option(
        net::socket_base::send_buffer_size(stream_send_buffer), ignored);
    auto session = std::make_shared<stream_session<Next>>(stream, ctx);
    co_await session->run(std::move(request), on_drain);
}

} // namespace

net::awaitable<void> serve_stream(tls_stream& stream, upgrade_request request,
                                  const stream_context& ctx, std::function<void()>& on_drain) {
    return serve_on(stream, std::move(request), ctx, on_drain);
}

net::awaitable<void> serve_stream(plain_stream& stream, upgrade_request request,
                                  const stream_context& ctx, std::function<void()>& on_drain) {
    return serve_on(stream, std::move(request), ctx, on_drain);
}

} // namespace signaal::http
