#include "server/http/server.hpp"
#include "server/store/data_dir.hpp"

#include "crypto/pow.hpp"
#include "server/api/accepted_origins.hpp"
#include "server/api/challenge_store.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/desk_key_refresher.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/retention_timer.hpp"
#include "server/api/router.hpp"
#include "server/api/services.hpp"
#include "server/api/sign_in_services.hpp"
#include "server/api/staff_watcher.hpp"
#include "server/api/static_files.hpp"
#include "server/api/stats_freeze_timer.hpp"
#include "server/auth/token_registry.hpp"
#include "server/common/clock.hpp"
#include "server/common/logger.hpp"
#include "server/http/connection_tracker.hpp"
#include "server/http/http_session.hpp"
#include "server/http/listener.hpp"
#include "server/http/metrics_listener.hpp"
#include "server/http/tls_context.hpp"
#include "server/metrics/counting_handler.hpp"
#include "server/metrics/server_metrics.hpp"
#include "server/notify/notifier.hpp"
#include "server/startup.hpp"
#include "server/store/database.hpp"
#include "server/store/instance_lock.hpp"
#include "server/store/read_pool.hpp"
#include "server/store/report_writer.hpp"
#include "server/stream/event_hub.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace signaal::http {
namespace net = boost::asio;

struct server::parts {
    // Live sign-in tokens kept at most (staff and mailbox); beyond, sign-in is busy.
    static constexpr std::size_t max_live_tokens = 100000;
    // Threads (and read-only connections) for the reads of staff and mailbox routes.
    static constexpr unsigned read_threads = 2;

    // TLS handshakes that did not complete are logged as a count this often.
    static constexpr std::chrono::minutes handshake_report_interval{10};

    parts(config::settings s, log_sink out, const tuning& tune)
        : settings(std::move(s)), logs(settings.logging, log_sinks(std::move(out))),
          data_dir_lock(lock_data_dir(settings.data_dir)),
          database_path(store::migrated_database(
              settings.data_dir,
              [this](const auto& m) {
                  logs.info("migration_applied",
                            {log_field::count("schema", static_cast<std::uint64_t>(m.version))});
              })),
          notices(settings, notify::make_transport(settings), clock,
                  [this](std::string_view sentence) {
                      // The notifier's sentence names the desk and the transport's
                      // fixed error text, never an address.
                      logs.warn("notification_failed",
                                {log_field::reason(error{std::string(sentence)})});
                  }),
          writer(database_path,
                 {.batch_max = settings.write_batch_max,
                  .max_pending = settings.limit.max_pending_writes},
                 clock),
          reports(writer, settings.limit.max_pending_writes), desks(settings),
          refresher(open_read_only(database_path), settings, clock, desks),
          pow(crypto::pow_tokens(startup::load_or_create_secret(settings.data_dir / "pow.key",
                                                                crypto::pow_key_size)),
              clock, settings.pow_difficulty, settings.pow_token_lifetime_seconds),
          files(settings.web_root), tls(make_tls(settings)),
          tracker(settings.limit.max_connections), tokens(clock, max_live_tokens),
          reads(open_read_pool(database_path)), origins(settings.origins),
          challenges(clock, settings.challenge_lifetime_seconds),
          staff_watch(open_read_only(database_path),
                      [this](const std::string& staff_id) { tokens.end_staff(staff_id); }),
          sign_in{origins, challenges, staff_watch},
          services{settings, clock, pow, desks, reports, files, tokens, *reads, sign_in},
          handler(services), counted(handler, metrics.requests),
          streams{.tokens = tokens,
                  .reads = *reads,
                  .hub = hub,
                  .tracker = tracker,
                  .ping_interval = std::chrono::seconds(settings.stream_ping_interval_seconds),
                  .send_queue_max = settings.stream_send_queue_max,
                  .auth_timeout = tune.stream_auth_timeout,
                  .handshake_timeout =
                      std::chrono::seconds(settings.limit.handshake_timeout_seconds),
                  .log = [this](log_event event) { logs.warn(event); }},
          stats_timer(*reads, reports, settings, clock),
          retention(reports, settings.retention_days, clock, tokens, challenges),
          session{{counted, settings.limit, tracker, [this](log_event event) { logs.error(event); },
                   stream_path},
                  tracker,
                  tls,
                  &streams,
                  &handshake_failures},
          onion_session{with_transport(session, transport::onion_http)} {
        logs.info(
            "started",
            {log_field::word("version", SIGNAAL_VERSION),
             log_field::count("schema", static_cast<std::uint64_t>(store::latest_schema_version())),
             log_field::word("log_level", level_word(settings.logging))});
        // Each durable commit's events go live, and mark their desks for a notice;
        // a disabled person's streams close.
        writer.set_event_listener([this](const std::vector<store::event_record>& committed) {
            hub.publish(committed);
            notices.note(committed);
        });
        writer.set_failure_listener([this](std::size_t lost) {
            logs.error("writer_batch_failed", {log_field::count("count", lost)});
        });
        writer.set_commit_observer(
            [this](const store::commit_stats& commit) { metrics.observe_commit(commit); });
        metrics.add_gauge("signaal_open_connections",
                          "Open HTTPS connections, live streams included.",
                          [this] { return static_cast<double>(tracker.open()); });
        metrics.add_gauge("signaal_open_streams", "Open live streams (/api/v1/stream).",
                          [this] { return static_cast<double>(hub.size()); });
        tokens.on_staff_ended([this](const std::string& staff_id) { hub.end_staff(staff_id); });
        if (auto started = writer.start(); !started) {
            throw std::runtime_error("cannot start the report writer: " + started.error().message);
        }
        if (!refresher.reload()) {
            throw std::runtime_error("cannot read the desk keys from " + database_path.string());
        }
        refresher.start();
        if (!staff_watch.check()) {
            throw std::runtime_error("cannot read the staff records from " +
                                     database_path.string());
        }
        staff_watch.start();
        stats_timer.on_run([this](const result<std::size_t>& run) {
            if (!run) {
                logs.error("stats_freeze_failed", {log_field::reason(run.error())});
            } else if (*run > 0) {
                logs.info("stats_quarters_frozen", {log_field::count("count", *run)});
            }
        });
        stats_timer.start();
        retention.on_run([this](const result<std::optional<api::retention_run>>& run) {
            if (!run) {
                logs.error("retention_failed", {log_field::reason(run.error())});
            } else if (*run && (*run)->reports > 0) {
                logs.info("retention_purged",
                          {log_field::count("reports", (*run)->reports),
                           log_field::count("before_day",
                                            static_cast<std::uint64_t>((*run)->before_day))});
            }
        });
        retention.start();
        notices.start();
    }

    static store::instance_lock lock_data_dir(const std::filesystem::path& data_dir) {
        store::prepare_data_dir(data_dir);
        auto locked = store::instance_lock::acquire(data_dir);
        if (!locked) {
            throw std::runtime_error(locked.error().message);
        }
        return std::move(*locked);
    }

    static store::database open_read_only(const std::filesystem::path& path) {
        auto db = store::database::open(path, store::open_mode::read_only);
        if (!db) {
            throw std::runtime_error("cannot open database " + path.string() + ": " +
                                     db.error().message);
        }
        return std::move(db).value();
    }

    static std::unique_ptr<store::read_pool> open_read_pool(const std::filesystem::path& path) {
        auto pool = store::read_pool::open(path, read_threads);
        if (!pool) {
            throw std::runtime_error("cannot open database " + path.string() + ": " +
                                     pool.error().message);
        }
        return std::move(pool).value();
    }

    static session_context with_transport(const session_context& base, transport over) {
        auto out = base;
        out.requests.over = over;
        return out;
    }

    static net::ssl::context make_tls(const config::settings& settings) {
        const auto pair = startup::tls_pair(settings);
        return make_server_tls(pair.certificate, pair.private_key);
    }

    static log_word level_word(log_level level) {
        switch (level) {
        case log_level::error:
            return "error";
        case log_level::warn:
            return "warn";
        case log_level::info:
            return "info";
        case log_level::debug:
            break;
        }
        return "debug";
    }

    // Logs the TLS handshakes that failed since the last report, if any: a count only.
    void report_handshake_failures() {
        if (const auto n = handshake_failures.exchange(0); n > 0) {
            logs.warn("tls_handshake_failures",
                      {log_field::count("count", n),
                       log_field::count("interval_seconds",
                                        std::chrono::seconds(handshake_report_interval).count())});
        }
    }

    static constexpr std::string_view stream_path = "/api/v1/stream";

    config::settings settings;
    logger logs; // before every part that logs
    signaal::system_clock clock;
    store::instance_lock data_dir_lock; // one server per data dir; restore checks it
    std::filesystem::path database_path;
    // Before the writer, whose thread publishes to them.
    notify::notifier notices; // mails "new signals" per desk, on its own thread
    metrics::server_metrics metrics;
    stream::event_hub hub;
    store::report_writer writer;
    api::writer_sink reports;
    api::desk_directory desks;
    api::desk_key_refresher refresher;
    api::pow_service pow;
    api::static_files files;
    net::ssl::context tls;
    connection_tracker tracker;
    auth::token_registry tokens;
    std::unique_ptr<store::read_pool> reads;
    api::accepted_origins origins;
    api::challenge_store challenges;
    api::staff_watcher staff_watch; // ends the tokens of whoever signaal-admin disables
    api::sign_in_services sign_in;
    api::services services;
    api::router handler;
    metrics::counting_handler counted; // the router, counted by route and status
    stream_context streams;
    api::stats_freeze_timer stats_timer; // freezes due quarters (PROTOCOL.md §8)
    api::retention_timer retention;      // purges reports past retention_days, daily
    std::atomic<std::uint64_t> handshake_failures{0};
    session_context session;
    session_context onion_session; // the same, over plain HTTP without HSTS
    std::mutex stop_mutex;
    std::function<void()> stop_request; // guarded by stop_mutex; set while run() serves
    bool stop_early = false;            // guarded by stop_mutex; stop() before run()
};

namespace {

net::ip::tcp::endpoint listen_on(net::ip::tcp::acceptor& acceptor, const std::string& host,
                                 std::uint16_t port) {
    const net::ip::tcp::endpoint endpoint(net::ip::make_address(host), port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    return acceptor.local_endpoint();
}

// "127.0.0.1", "[::1]": our own address, never a peer's.
std::string host_of(const net::ip::tcp::endpoint& at) {
    const auto address = at.address().to_string();
    return at.address().is_v6() ? "[" + address + "]" : address;
}

} // namespace

server::server(config::settings settings, log_sink log, tuning tune)
    : parts_(std::make_unique<parts>(std::move(settings), std::move(log), tune)) {}

auth::token_registry& server::tokens() {
    return parts_->tokens;
}

server::~server() {
    // Its thread logs through parts' log, whose mutex goes before the notifier
    // does: a server destroyed without run() ends that thread first.
    parts_->notices.stop();
}

void server::stop() {
    auto& p = *parts_;
    std::lock_guard lock(p.stop_mutex);
    if (p.stop_request) {
        p.stop_request();
    } else {
        p.stop_early = true;
    }
}

void server::run() {
    auto& p = *parts_;
    const auto& limits = p.settings.limit;
    const unsigned threads = p.settings.threads != 0
                                 ? p.settings.threads
                                 : std::max(1U, std::thread::hardware_concurrency());
    net::io_context ioc(static_cast<int>(threads));
    // Accepting, signals and the drain deadline all run on one strand.
    auto control = net::make_strand(ioc);

    net::ip::tcp::acceptor acceptor(control);
    const auto bound = listen_on(acceptor, p.settings.listen_host, p.settings.listen_port);
    // The onion service's plain-HTTP listener: the same routes, no TLS, no HSTS.
    net::ip::tcp::acceptor onion_acceptor(control);
    if (const auto& onion = p.settings.onion_listen) {
        if (!config::is_loopback(*onion)) {
            // The config loader refuses this already; this holds for settings made in code.
            throw std::runtime_error("server.onion_listen must be a loopback address: it serves "
                                     "plain HTTP");
        }
        listen_on(onion_acceptor, onion->host, onion->port);
    }
    // Only now is the port known (--listen 127.0.0.1:0): the loopback origins name it.
    p.origins.listening_on(bound.address().to_string(), bound.port());
    // SIGTERM is caught from here on: whoever saw the line below may stop us cleanly.
    net::signal_set signals(control, SIGINT, SIGTERM);
    p.logs.info("listening", {log_field::listen("https", host_of(bound), bound.port())});
    net::co_spawn(control, accept_connections(acceptor, ioc, p.session), net::detached);
    if (onion_acceptor.is_open()) {
        const auto onion_at = onion_acceptor.local_endpoint();
        p.logs.info("onion_listening",
                    {log_field::listen("http", host_of(onion_at), onion_at.port())});
        net::co_spawn(control, accept_connections(onion_acceptor, ioc, p.onion_session),
                      net::detached);
    }

    // Prometheus text on plain HTTP; the config allows a loopback address only.
    net::ip::tcp::acceptor metrics_acceptor(control);
    if (const auto& m = p.settings.metrics_listen) {
        const net::ip::tcp::endpoint at(net::ip::make_address(m->host), m->port);
        metrics_acceptor.open(at.protocol());
        metrics_acceptor.set_option(net::socket_base::reuse_address(true));
        metrics_acceptor.bind(at);
        metrics_acceptor.listen();
        const auto bound_at = metrics_acceptor.local_endpoint();
        p.logs.info("metrics_listening",
                    {log_field::listen("http", host_of(bound_at), bound_at.port())});
        net::co_spawn(control, serve_metrics(metrics_acceptor, ioc, p.metrics), net::detached);
    }

    // A count of failed handshakes every interval, never one line per peer.
    net::steady_timer handshake_report(control);
    std::function<void()> arm_handshake_report = [&] {
        handshake_report.expires_after(parts::handshake_report_interval);
        handshake_report.async_wait([&](const boost::system::error_code& ec) {
            if (!ec) {
                p.report_handshake_failures();
                arm_handshake_report();
            }
        });
    };
    arm_handshake_report();

    net::steady_timer drain_deadline(control);
    bool stopping = false; // on the control strand
    const auto begin_stop = [&] {
        if (std::exchange(stopping, true)) {
            return;
        }
        boost::system::error_code ignored;
        signals.cancel(ignored);
        p.logs.info("stopping", {log_field::count("drain_seconds", limits.drain_timeout_seconds)});
        acceptor.close(ignored);
        metrics_acceptor.close(ignored);
        onion_acceptor.close(ignored);
        handshake_report.cancel();
        drain_deadline.expires_after(std::chrono::seconds(limits.drain_timeout_seconds));
        drain_deadline.async_wait([&](const boost::system::error_code& timer_ec) {
            if (!timer_ec) {
                ioc.stop(); // connections that would not finish in time
            }
        });
        p.tracker.drain([&] { net::post(control, [&] { drain_deadline.cancel(); }); });
    };
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) {
            begin_stop();
        }
    });
    {
        std::lock_guard lock(p.stop_mutex);
        p.stop_request = [&control, &begin_stop] { net::post(control, begin_stop); };
        if (p.stop_early) {
            p.stop_request();
        }
    }

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) {
        pool.emplace_back([&ioc] { ioc.run(); });
    }
    ioc.run();
    for (auto& t : pool) {
        t.join();
    }
    {
        std::lock_guard lock(p.stop_mutex);
        p.stop_request = nullptr;
    }
    if (const auto cut = p.tracker.abandon(); cut > 0) {
        p.logs.warn("connections_cut", {log_field::count("count", cut)});
    }
    // Every report acknowledged was committed before its answer; this commits
    // any still queued whose client gave up waiting.
    p.refresher.stop();
    p.staff_watch.stop();
    p.stats_timer.stop(); // before the writer: its run waits on a writer job
    p.retention.stop();   // the same
    p.writer.stop();
    p.notices.stop();
    p.report_handshake_failures();
    p.logs.info("stopped");
}

} // namespace signaal::http
