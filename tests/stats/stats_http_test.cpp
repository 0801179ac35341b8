#define BOOST_TEST_MODULE stats_http_test
// GET /api/v1/stats over TLS on 127.0.0.1: the real router, the real writer
// and read pool on a real SQLite file, tokens issued by the real registry.
// Coordinators only; due quarters are frozen through the writer on request
// and by the daily run.
#include "crypto/pow.hpp"
#include "crypto/random.hpp"
#include "server/api/accepted_origins.hpp"
#include "server/api/challenge_store.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/router.hpp"
#include "server/api/services.hpp"
#include "server/api/sign_in_services.hpp"
#include "server/api/staff_watcher.hpp"
#include "server/api/static_files.hpp"
#include "server/api/stats_freeze_timer.hpp"
#include "server/auth/token_registry.hpp"
#include "server/config/settings.hpp"
#include "server/http/http_session.hpp"
#include "server/http/listener.hpp"
#include "server/http/tls_context.hpp"
#include "server/json/json.hpp"
#include "server/stats/render.hpp"
#include "server/stats/stats_answer.hpp"
#include "server/store/read_pool.hpp"
#include "server/store/report_writer.hpp"
#include "server/store/statement.hpp"
#include "server/tls/self_signed.hpp"
#include "tests/stats/known_quarter.hpp"
#include "tests/stats/report_rows.hpp"
#include "tests/store/temp_dir.hpp"
#include "tests/support/https_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <thread>

namespace signaal::stats {
namespace {

namespace net = boost::asio;

constexpr std::int64_t seconds_per_day = 86400;
const quarter q1_2026{2026, 1};

/// Everything the router needs, over a real store file holding the known quarter.
struct instance {
    store::test::temp_dir dir;
    config::settings settings = *config::load_defaults(dir.path());
    manual_clock clock{freeze_day(q1_2026) * seconds_per_day + 3600};
    store::report_writer writer{dir.db_path(), {}, clock};
    api::writer_sink sink{writer, 2048};
    std::unique_ptr<store::read_pool> reads;
    auth::token_registry tokens{clock, 100};
    api::pow_service pow{crypto::pow_tokens(crypto::random_secret(32)), clock, 8, 600};
    api::desk_directory desks{settings};
    api::static_files files{dir.path() / "web"};
    api::accepted_origins origins{{}};
    api::challenge_store challenges{clock, 60};
    std::optional<api::staff_watcher> watcher;
    std::optional<api::sign_in_services> sign_in;
    std::optional<api::services> services;
    std::optional<api::router> router;

    instance() {
        {
            auto db = store::test::open_migrated(dir.db_path());
            test::insert_known_quarter(db);
        }
        BOOST_REQUIRE(writer.start().has_value());
        auto pool = store::read_pool::open(dir.db_path(), 2);
        BOOST_REQUIRE(pool.has_value());
        reads = std::move(*pool);
        watcher.emplace(store::database::open(dir.db_path(), store::open_mode::read_only).value(),
                        [](const std::string&) {});
        sign_in.emplace(api::sign_in_services{origins, challenges, *watcher});
        services.emplace(
            api::services{settings, clock, pow, desks, sink, files, tokens, *reads, *sign_in});
        router.emplace(*services);
    }
    ~instance() { writer.stop(); }

    std::string token(auth::role role) {
        auth::principal who;
        who.staff_id = role == auth::role::coordinator ? "coordinator-demo" : "care-demo";
        who.role = role;
        if (role == auth::role::caseworker) {
            who.desks = {"care"};
        }
        const auto issued = tokens.issue(who, 600);
        BOOST_REQUIRE(issued.has_value());
        return issued->token;
    }

    /// The answer as stored, read without the route.
    stats_answer stored(quarter from, quarter to) {
        const auto range = quarter_range(from, to);
        auto a = reads->run_here([&](store::database& db) {
            return read_answer(db, *range, unix_day(clock.now_unix()), 5);
        });
        BOOST_REQUIRE_MESSAGE(a.has_value(), a.error().message);
        return *a;
    }
};

/// TLS on 127.0.0.1 in this process, every request handed to `handler`.
class local_server {
  public:
    explicit local_server(api::request_handler& handler)
        : dir_(make_dir()), tls_(make_tls(dir_)), tracker_(16),
          session_{{handler, limits_, tracker_, [](std::string_view) {}}, tracker_, tls_},
          acceptor_(net::make_strand(ioc_)) {
        const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
        acceptor_.open(endpoint.protocol());
        acceptor_.bind(endpoint);
        acceptor_.listen();
        net::co_spawn(acceptor_.get_executor(), http::accept_connections(acceptor_, ioc_, session_),
                      net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~local_server() {
        ioc_.stop();
        thread_.join();
        tracker_.abandon();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    testing::https_client client() const {
        return {"127.0.0.1", acceptor_.local_endpoint().port(), dir_ / "cert.pem"};
    }

  private:
    static std::filesystem::path make_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "signaal-stats-http-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        return pattern;
    }
    static net::ssl::context make_tls(const std::filesystem::path& dir) {
        const auto pair = tls::ensure_self_signed(dir);
        if (!pair) {
            throw std::runtime_error(pair.error().message);
        }
        return http::make_server_tls(pair->certificate, pair->private_key);
    }

    std::filesystem::path dir_;
    net::ssl::context tls_;
    config::limits limits_ = config::load_defaults(".")->limit;
    http::connection_tracker tracker_;
    http::session_context session_;
    net::io_context ioc_;
    net::ip::tcp::acceptor acceptor_;
    std::thread thread_;
};

testing::http_reply get(const local_server& server, const std::string& target,
                        const std::string& token) {
    auto client = server.client();
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) {
        headers.emplace_back("Authorization", "Bearer " + token);
    }
    return client.request("GET", target, {}, {}, headers);
}

std::string error_code(const testing::http_reply& reply) {
    const auto doc = json::parse(reply.body);
    BOOST_REQUIRE(doc.has_value());
    return std::string(doc->at("error").at("code").as_string());
}

std::int64_t frozen_count(instance& in) {
    return in.reads->run_here([](store::database& db) -> std::int64_t {
        auto st = store::statement::prepare(db, "SELECT count(*) FROM stats_quarters");
        BOOST_REQUIRE(st.has_value());
        BOOST_REQUIRE(*st->step());
        return st->column_int64(0);
    });
}

BOOST_AUTO_TEST_SUITE(stats_route)

BOOST_AUTO_TEST_CASE(a_coordinator_gets_the_frozen_quarters_as_json_and_csv) {
    instance in;
    local_server server(*in.router);
    const auto token = in.token(auth::role::coordinator);
    BOOST_TEST(frozen_count(in) == 0);

    const auto json = get(server, "/api/v1/stats?from=2026-Q1&to=2026-Q2", token);
    BOOST_TEST_REQUIRE(json.status == 200u, json.body);
    BOOST_TEST(json.header("content-type") == "application/json");
    BOOST_TEST(frozen_count(in) == 1); // frozen on this request, through the writer
    BOOST_TEST(json.body == render_json(in.stored(q1_2026, quarter{2026, 2})));
    BOOST_TEST(json.body.find(R"("not_yet":["2026-Q2"])") != std::string::npos);
    BOOST_TEST(json.body.find(R"("care":{"routed":17,"days_to_ack":{"0-7":9,"8-30":"<5")") !=
               std::string::npos);

    const auto csv = get(server, "/api/v1/stats?from=2026-Q1&to=2026-Q1&format=csv", token);
    BOOST_TEST_REQUIRE(csv.status == 200u, csv.body);
    BOOST_TEST(csv.header("content-type") == "text/csv");
    BOOST_TEST(csv.body == render_csv(in.stored(q1_2026, q1_2026)));
    BOOST_TEST(csv.body.rfind("quarter,table,desk,cell,count\n2026-Q1,n,,all,23\n", 0) == 0u);
    BOOST_TEST(frozen_count(in) == 1);
}

BOOST_AUTO_TEST_CASE(a_quarter_before_its_freeze_day_is_only_named) {
    instance in;
    in.clock.set((freeze_day(q1_2026) - 1) * seconds_per_day + 86399);
    local_server server(*in.router);
    const auto reply =
        get(server, "/api/v1/stats?from=2026-Q1&to=2026-Q1", in.token(auth::role::coordinator));
    BOOST_TEST_REQUIRE(reply.status == 200u, reply.body);
    BOOST_TEST(reply.body == R"({"k":5,"quarters":[],"not_yet":["2026-Q1"]})");
    BOOST_TEST(frozen_count(in) == 0);
}

BOOST_AUTO_TEST_CASE(only_coordinators_and_only_good_queries) {
    instance in;
    local_server server(*in.router);
    const auto coordinator = in.token(auth::role::coordinator);
    const std::string good = "/api/v1/stats?from=2026-Q1&to=2026-Q1";

    const auto none = get(server, good, "");
    BOOST_TEST(none.status == 401u);
    BOOST_TEST(error_code(none) == "unauthorized");
    const auto caseworker = get(server, good, in.token(auth::role::caseworker));
    BOOST_TEST(caseworker.status == 403u);
    BOOST_TEST(error_code(caseworker) == "forbidden");

    for (const char* bad :
         {"/api/v1/stats", "/api/v1/stats?from=2026-Q1", "/api/v1/stats?from=2026-Q5&to=2026-Q5",
          "/api/v1/stats?from=2026-Q2&to=2026-Q1", "/api/v1/stats?from=2000-Q1&to=2026-Q1",
          "/api/v1/stats?from=2026-Q1&to=2026-Q1&format=xml",
          "/api/v1/stats?from=26-Q1&to=2026-Q1"}) {
        const auto reply = get(server, bad, coordinator);
        BOOST_TEST(reply.status == 400u, bad);
        BOOST_TEST(error_code(reply) == "bad_request", bad);
    }
    auto client = server.client();
    const auto post = client.request("POST", good, "{}", "application/json",
                                     {{"Authorization", "Bearer " + coordinator}});
    BOOST_TEST(post.status == 405u);
    BOOST_TEST(post.header("allow") == "GET");
    BOOST_TEST(frozen_count(in) == 0); // nothing refused froze anything
    // The coordinator's own request still works after all that.
    BOOST_TEST(get(server, good, coordinator).status == 200u);
}

BOOST_AUTO_TEST_CASE(the_daily_run_freezes_due_quarters_on_its_own) {
    instance in;
    std::promise<result<std::size_t>> first_run;
    api::stats_freeze_timer timer(*in.reads, in.sink, in.settings, in.clock,
                                  std::chrono::hours(24));
    timer.on_run([&first_run, told = false](const result<std::size_t>& run) mutable {
        if (!told) {
            told = true;
            first_run.set_value(run);
        }
    });
    timer.start();
    const auto run = first_run.get_future().get();
    timer.stop();
    BOOST_REQUIRE_MESSAGE(run.has_value(), run.error().message);
    // 2026-Q1 holds the known reports; the run freezes from the earliest report's quarter
    // (2025-Q4, one report) to the last due one.
    BOOST_TEST(*run == 2u);
    BOOST_TEST(frozen_count(in) == 2);
    const auto again = timer.run_once();
    BOOST_REQUIRE(again.has_value());
    BOOST_TEST(*again == 0u); // nothing left to freeze
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
