#include "tests/e2e/staff_instance.hpp"

#include "crypto/pow.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/desk_key_refresher.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/router.hpp"
#include "server/api/services.hpp"
#include "server/api/static_files.hpp"
#include "server/auth/token_registry.hpp"
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/http/connection_tracker.hpp"
#include "server/http/http_session.hpp"
#include "server/http/listener.hpp"
#include "server/http/tls_context.hpp"
#include "server/startup.hpp"
#include "server/store/read_pool.hpp"
#include "server/store/report_writer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace signaal::testing {
namespace net = boost::asio;

namespace {

config::settings load_settings(const test_instance& on_disk) {
    auto loaded = config::load_file(on_disk.dir() / "signaal.toml");
    if (!loaded) {
        throw std::runtime_error(loaded.error().message);
    }
    return std::move(*loaded);
}

template <class T> T value_or_throw(result<T> r) {
    if (!r) {
        throw std::runtime_error(r.error().message);
    }
    return std::move(*r);
}

constexpr std::int64_t day_seconds = 86'400;
constexpr std::int64_t token_lifetime = 3'600;

} // namespace

// As server::parts in server/http/server.cpp, with a manual clock.
struct staff_instance::parts {
    explicit parts(const test_instance& on_disk)
        : settings(load_settings(on_disk)), clock(system_clock{}.now_unix()),
          writer(on_disk.database(),
                 {.batch_max = settings.write_batch_max,
                  .max_pending = settings.limit.max_pending_writes},
                 clock),
          reports(writer, settings.limit.max_pending_writes), desks(settings),
          refresher(value_or_throw(
                        store::database::open(on_disk.database(), store::open_mode::read_only)),
                    settings, clock, desks),
          pow(crypto::pow_tokens(startup::load_or_create_secret(settings.data_dir / "pow.key",
                                                                crypto::pow_key_size)),
              clock, settings.pow_difficulty, settings.pow_token_lifetime_seconds),
          files(settings.web_root), tls(make_tls(settings)),
          tracker(settings.limit.max_connections), tokens(clock, 1000),
          reads(value_or_throw(store::read_pool::open(on_disk.database(), 2))),
          services{settings, clock, pow, desks, reports, files, tokens, *reads}, handler(services),
          session{{handler, settings.limit, tracker, [](std::string_view) {}}, tracker, tls},
          ioc(2), acceptor(net::make_strand(ioc)) {
        if (auto started = writer.start(); !started) {
            throw std::runtime_error(started.error().message);
        }
        if (auto loaded = refresher.reload(); !loaded) {
            throw std::runtime_error(loaded.error().message);
        }
        const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
        acceptor.open(endpoint.protocol());
        acceptor.bind(endpoint);
        acceptor.listen();
        net::co_spawn(acceptor.get_executor(), http::accept_connections(acceptor, ioc, session),
                      net::detached);
        for (int i = 0; i < 2; ++i) {
            threads.emplace_back([this] { ioc.run(); });
        }
    }

    ~parts() {
        ioc.stop();
        for (auto& t : threads) {
            t.join();
        }
        tracker.abandon(); // no drain hook outlives ioc
        reads.reset();     // reads in flight finish; their answers queue on the stopped ioc
        writer.stop();     // jobs in flight finish the same way
    }

    static net::ssl::context make_tls(const config::settings& settings) {
        const auto pair = startup::tls_pair(settings);
        return http::make_server_tls(pair.certificate, pair.private_key);
    }

    config::settings settings;
    manual_clock clock;
    store::report_writer writer;
    api::writer_sink reports;
    api::desk_directory desks;
    api::desk_key_refresher refresher;
    api::pow_service pow;
    api::static_files files;
    net::ssl::context tls;
    http::connection_tracker tracker;
    auth::token_registry tokens;
    std::unique_ptr<store::read_pool> reads;
    api::services services;
    api::router handler;
    http::session_context session;
    net::io_context ioc;
    net::ip::tcp::acceptor acceptor;
    std::vector<std::thread> threads;
};

staff_instance::staff_instance() : parts_(std::make_unique<parts>(on_disk_)) {}

staff_instance::~staff_instance() = default;

https_client staff_instance::client() const {
    return {"127.0.0.1", parts_->acceptor.local_endpoint().port(), on_disk_.certificate()};
}

std::string staff_instance::caseworker(const std::string& id, std::vector<std::string> desks) {
    std::sort(desks.begin(), desks.end());
    auth::principal who{auth::scope::staff, id, auth::role::caseworker, std::move(desks), {}};
    auto issued = parts_->tokens.issue(std::move(who), token_lifetime);
    if (!issued) {
        throw std::runtime_error("the token registry is full");
    }
    return issued->token;
}

std::string staff_instance::coordinator(const std::string& id) {
    auth::principal who{auth::scope::staff, id, auth::role::coordinator, {}, {}};
    auto issued = parts_->tokens.issue(std::move(who), token_lifetime);
    if (!issued) {
        throw std::runtime_error("the token registry is full");
    }
    return issued->token;
}

void staff_instance::end_token(const std::string& token) {
    (void)parts_->tokens.end(token);
}

std::string staff_instance::today() const {
    return utc_day(parts_->clock.now_unix());
}

void staff_instance::advance_days(int days) {
    parts_->clock.advance(days * day_seconds);
}

} // namespace signaal::testing
