// The live stream end to end: the real server in this process (TLS on
// loopback, the real writer, database and read pool), reports sent through
// the real intake, tokens straight from the server's token registry.
#include "server/auth/principal.hpp"
#include "server/auth/token_registry.hpp"
#include "tests/support/in_process_server.hpp"
#include "tests/support/test_instance.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <thread>

using namespace signaal;
using namespace signaal::testing;
using namespace std::chrono_literals;

namespace {

json::value parse(const std::string& text) {
    auto parsed = json::parse(text);
    BOOST_REQUIRE_MESSAGE(parsed, "not JSON: " + text);
    return *parsed;
}

std::string plaintext(const std::string& text) {
    return json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
}

// A stream's view of one event.
struct seen_event {
    std::string desk;
    std::int64_t seq = 0;
    std::string report_id;
    std::string kind;
};

struct fixture {
    explicit fixture(const std::string& more_toml = {}, http::server::tuning tune = {})
        : instance({}, more_toml, 1), server(instance, tune) {}

    /// A caseworker's token for `desks`, lasting `lifetime`.
    std::string token(const std::string& staff, std::vector<std::string> desks,
                      std::chrono::seconds lifetime = 1h,
                      auth::role role = auth::role::caseworker) {
        auth::principal who;
        who.scope = auth::scope::staff;
        who.staff_id = staff;
        who.role = role;
        who.desks = std::move(desks);
        auto issued = server.server().tokens().issue(who, lifetime.count());
        BOOST_REQUIRE(issued.has_value());
        return issued->token;
    }

    /// Sends a report with this consent through the intake; its id.
    std::string report(std::vector<std::string> consent) {
        report_input in;
        in.category = "physical_violence";
        std::sort(consent.begin(), consent.end());
        in.consent = consent;
        in.desks = consent;
        in.plaintext = plaintext("stream test");
        for (const auto& desk : in.desks) {
            in.keys[desk] = &instance.key(desk);
        }
        if (!intake) {
            intake.emplace(server.client());
        }
        const auto reply = instance.submit(*intake, build_report(in));
        BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
        return std::string(parse(reply.body).at("id").as_string());
    }

    /// Opens a stream and authenticates; the events before `ready`, and `ready`'s seqs.
    wss_client open(const std::string& token, const std::map<std::string, std::int64_t>& after,
                    std::vector<seen_event>& replayed, std::map<std::string, std::int64_t>& ready,
                    const wss_client::options& opts = {}) {
        auto ws = server.stream(opts);
        json::object seqs;
        for (const auto& [desk, seq] : after) {
            seqs.emplace(desk, seq);
        }
        ws.send(json::serialize(json::object{{"type", "auth"}, {"token", token}, {"after", seqs}}));
        for (;;) {
            const auto m = ws.read();
            BOOST_REQUIRE_MESSAGE(!m.closed, "closed before ready: " + m.close_reason);
            const auto doc = parse(m.text);
            if (doc.at("type").as_string() == "ready") {
                for (const auto& [desk, seq] : doc.at("seq").as_object()) {
                    ready[std::string(desk)] = seq.as_int64();
                }
                return ws;
            }
            replayed.push_back(event_of(m));
        }
    }

    wss_client open(const std::string& token,
                    const std::map<std::string, std::int64_t>& after = {}) {
        std::vector<seen_event> replayed;
        std::map<std::string, std::int64_t> ready;
        return open(token, after, replayed, ready);
    }

    static seen_event event_of(const wss_client::message& m) {
        BOOST_REQUIRE_MESSAGE(!m.closed, "closed: " + m.close_reason);
        const auto doc = parse(m.text);
        BOOST_REQUIRE(doc.at("type").as_string() == "event");
        return {std::string(doc.at("desk").as_string()), doc.at("seq").as_int64(),
                std::string(doc.at("report_id").as_string()),
                std::string(doc.at("kind").as_string())};
    }

    test_instance instance;
    in_process_server server;
    std::optional<https_client> intake;
};

// The close a stream ends with, after any events still on their way.
wss_client::message close_of(wss_client& ws) {
    for (;;) {
        auto m = ws.read();
        if (m.closed) {
            return m;
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(live)

BOOST_AUTO_TEST_CASE(a_report_committed_after_ready_arrives_live_on_its_desks_streams_only) {
    fixture f;
    auto care = f.open(f.token("anna", {"care"}));
    auto police = f.open(f.token("piet", {"police"}));

    const auto first = f.report({"care"});
    const auto e = fixture::event_of(care.read());
    BOOST_TEST(e.desk == "care");
    BOOST_TEST(e.seq == 1);
    BOOST_TEST(e.report_id == first);
    BOOST_TEST(e.kind == "report");

    // Police's first event is its own: care's report never reached it, and
    // police's seq shows no trace of it.
    const auto second = f.report({"care", "police"});
    const auto p = fixture::event_of(police.read());
    BOOST_TEST(p.desk == "police");
    BOOST_TEST(p.seq == 1);
    BOOST_TEST(p.report_id == second);
    const auto c = fixture::event_of(care.read());
    BOOST_TEST(c.seq == 2);
    BOOST_TEST(c.report_id == second);
}

BOOST_AUTO_TEST_CASE(the_upgrade_answer_sets_no_cookie_and_carries_the_security_headers) {
    fixture f;
    auto ws = f.server.stream();
    const auto& reply = ws.upgrade_reply();
    BOOST_TEST(reply.status == 101u);
    BOOST_TEST(!reply.has_header("set-cookie"));
    BOOST_TEST(reply.header("server") == "signaal"); // not Beast and its version
    BOOST_TEST(reply.header("content-security-policy").find("connect-src 'self'") !=
               std::string::npos);
    BOOST_TEST(reply.has_header("strict-transport-security"));
}

BOOST_AUTO_TEST_CASE(a_ping_comes_every_interval) {
    fixture f("[stream]\nping_interval_seconds = 1\n");
    auto ws = f.open(f.token("anna", {"care"}));
    BOOST_TEST(ws.wait_for_ping(10s));
}

// Clients say nothing after auth. A stream whose client answers the pings
// stays open however long it is quiet (Beast's idle timeout would end it
// after two intervals), and the next event still arrives.
BOOST_AUTO_TEST_CASE(a_quiet_stream_that_answers_pings_stays_open) {
    fixture f("[stream]\nping_interval_seconds = 1\n");
    auto ws = f.open(f.token("anna", {"care"}));
    std::string id;
    std::thread reporter([&] {
        // Waits on the client's ping count, not on a clock.
        for (int i = 0; i < 2000 && ws.pings() < 4; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        id = f.report({"care"});
    });
    const auto m = ws.read();
    reporter.join();
    BOOST_TEST(ws.pings() >= 4u);
    BOOST_REQUIRE_MESSAGE(!m.closed, "closed: " << m.close_reason);
    BOOST_TEST(fixture::event_of(m).report_id == id);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(replay)

BOOST_AUTO_TEST_CASE(
    a_client_that_reconnects_with_its_last_seq_misses_nothing_and_gets_nothing_twice) {
    fixture f;
    const auto token = f.token("anna", {"care", "police"});
    std::map<std::string, std::string> ids; // "desk/seq" -> report id
    {
        auto ws = f.open(token);
        ids["care/1"] = f.report({"care"});
        ids["care/2"] = f.report({"care"});
        BOOST_TEST(fixture::event_of(ws.read()).seq == 1);
        BOOST_TEST(fixture::event_of(ws.read()).seq == 2);
        ws.close();
    }
    // While it is away: more for care, some for police, some for municipality only.
    ids["care/3"] = f.report({"care"});
    ids["police/1"] = ids["care/4"] = f.report({"care", "police"});
    f.report({"municipality"});
    ids["police/2"] = f.report({"police"});

    std::vector<seen_event> replayed;
    std::map<std::string, std::int64_t> ready;
    auto ws = f.open(token, {{"care", 2}}, replayed, ready);
    std::vector<std::string> got;
    for (const auto& e : replayed) {
        got.push_back(e.desk + "/" + std::to_string(e.seq));
        BOOST_TEST(e.report_id == ids[e.desk + "/" + std::to_string(e.seq)]);
    }
    std::sort(got.begin(), got.end());
    BOOST_TEST(got == (std::vector<std::string>{"care/3", "care/4", "police/1", "police/2"}),
               boost::test_tools::per_element());
    BOOST_TEST(ready.at("care") == 4);
    BOOST_TEST(ready.at("police") == 2);
    BOOST_TEST(ready.size() == 2u); // the caller's desks only

    // Live after ready: the next one, once.
    const auto next = f.report({"police"});
    const auto live = fixture::event_of(ws.read());
    BOOST_TEST(live.desk == "police");
    BOOST_TEST(live.seq == 3);
    BOOST_TEST(live.report_id == next);
}

// Reports keep committing while the client connects, replays and goes again:
// across every reconnect the seqs it sees run 1, 2, 3, ... with no gap and no
// repeat, whether an event came in the replay or live.
BOOST_AUTO_TEST_CASE(reconnecting_while_reports_commit_leaves_no_gap_and_no_duplicate) {
    fixture f;
    const auto token = f.token("anna", {"care"});
    constexpr std::int64_t total = 60;
    std::atomic<bool> failed{false};
    std::thread sender([&] {
        try {
            auto client = f.server.client();
            for (std::int64_t i = 0; i < total; ++i) {
                report_input in;
                in.category = "physical_violence";
                in.consent = {"care"};
                in.desks = {"care"};
                in.plaintext = plaintext("concurrent");
                in.keys["care"] = &f.instance.key("care");
                if (f.instance.submit(client, build_report(in)).status != 201u) {
                    failed = true;
                }
            }
        } catch (const std::exception&) {
            failed = true;
        }
    });
    std::int64_t last = 0;
    int connections = 0;
    while (last < total && connections < 200) {
        ++connections;
        std::vector<seen_event> replayed;
        std::map<std::string, std::int64_t> ready;
        auto ws = f.open(token, {{"care", last}}, replayed, ready);
        for (const auto& e : replayed) {
            BOOST_REQUIRE_EQUAL(e.seq, last + 1);
            last = e.seq;
        }
        BOOST_REQUIRE_EQUAL(ready.at("care"), last);
        // A few live events (or none, when all are in), then away again.
        for (int i = 0; i < 3 && last < total; ++i) {
            const auto e = fixture::event_of(ws.read());
            BOOST_REQUIRE_EQUAL(e.seq, last + 1);
            last = e.seq;
        }
        ws.close();
    }
    sender.join();
    BOOST_TEST(!failed.load());
    BOOST_TEST(last == total);
    BOOST_TEST(connections > 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(closes)

BOOST_AUTO_TEST_CASE(bad_auth_closes_with_1008) {
    fixture f;
    const auto good = f.token("anna", {"care"});
    const auto coordinator = f.token("cora", {}, 1h, auth::role::coordinator);
    for (const std::string& first : std::vector<std::string>{
             std::string(
                 R"({"type":"auth","token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})"),
             std::string(R"({"type":"auth","token":")") + coordinator + R"("})",
             std::string("not json"),
             std::string(R"({"type":"hello","token":")") + good + R"("})",
         }) {
        BOOST_TEST_CONTEXT(first) {
            auto ws = f.server.stream();
            ws.send(first);
            const auto m = ws.read();
            BOOST_TEST(m.closed);
            BOOST_TEST(m.close_code == 1008);
        }
    }
}

BOOST_AUTO_TEST_CASE(no_auth_message_in_time_closes_with_1008) {
    fixture f({}, {.stream_auth_timeout = 200ms});
    auto ws = f.server.stream();
    const auto m = ws.read();
    BOOST_TEST(m.closed);
    BOOST_TEST(m.close_code == 1008);
}

// The token is looked at again before each ping. It lives 4 s: long enough
// for the handshake and replay on a slow sanitizer build, so the stream
// reaches `ready` before its token runs out.
BOOST_AUTO_TEST_CASE(a_token_that_expires_while_streaming_closes_with_1008) {
    fixture f("[stream]\nping_interval_seconds = 1\n");
    auto ws = f.open(f.token("anna", {"care"}, 4s));
    const auto m = close_of(ws);
    BOOST_TEST(m.close_code == 1008, "closed with " << m.close_code << ": " << m.close_reason);
}

BOOST_AUTO_TEST_CASE(a_token_ended_by_logout_closes_its_stream_with_1008) {
    fixture f("[stream]\nping_interval_seconds = 1\n");
    const auto token = f.token("anna", {"care"});
    auto ws = f.open(token);
    BOOST_TEST(f.server.server().tokens().end(token));
    BOOST_TEST(close_of(ws).close_code == 1008);
}

BOOST_AUTO_TEST_CASE(disabling_a_person_closes_their_streams_with_1008_and_no_one_elses) {
    fixture f;
    auto laptop = f.open(f.token("anna", {"care"}));
    auto tablet = f.open(f.token("anna", {"care"}));
    auto colleague = f.open(f.token("piet", {"care"}));
    f.server.server().tokens().end_staff("anna");
    BOOST_TEST(close_of(laptop).close_code == 1008);
    BOOST_TEST(close_of(tablet).close_code == 1008);
    const auto id = f.report({"care"});
    BOOST_TEST(fixture::event_of(colleague.read()).report_id == id);
}

// The client stops reading; the server's writes back up on the socket, the
// queue behind them fills, and the stream is closed with 1013. The client
// then gets what was already on its way, with no gap, and the close.
BOOST_AUTO_TEST_CASE(a_client_that_does_not_read_is_closed_with_1013) {
    fixture f("[stream]\nsend_queue_max = 4\n");
    std::vector<seen_event> replayed;
    std::map<std::string, std::int64_t> ready;
    auto ws = f.open(f.token("anna", {"care"}), {}, replayed, ready, {.receive_buffer = 4096});
    auto client = f.server.client();
    int sent = 0;
    while (!f.server.wait_for_output("event=stream_overflow", 0ms) && sent < 5000) {
        report_input in;
        in.category = "physical_violence";
        in.consent = {"care"};
        in.desks = {"care"};
        in.plaintext = plaintext("never read");
        in.keys["care"] = &f.instance.key("care");
        BOOST_REQUIRE(f.instance.submit(client, build_report(in)).status == 201u);
        ++sent;
    }
    BOOST_TEST_REQUIRE(f.server.wait_for_output("event=stream_overflow", 0ms));
    std::int64_t last = 0;
    for (;;) {
        const auto m = ws.read();
        if (m.closed) {
            BOOST_TEST(m.close_code == 1013);
            break;
        }
        const auto e = fixture::event_of(m);
        BOOST_REQUIRE_EQUAL(e.seq, last + 1);
        last = e.seq;
    }
    BOOST_TEST(last < sent);
}

BOOST_AUTO_TEST_CASE(shutting_down_closes_streams_with_1012_and_does_not_wait_for_them) {
    fixture f("[limits]\ndrain_timeout_seconds = 60\n");
    auto ws = f.open(f.token("anna", {"care"}));
    std::thread stopper([&] { f.server.stop(); });
    const auto m = close_of(ws);
    stopper.join();
    BOOST_TEST(m.close_code == 1012); // service restart: reconnect and resume
    BOOST_TEST(f.server.output().find("event=connections_cut") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(streams_count_against_max_connections) {
    fixture f("[limits]\nmax_connections = 2\n");
    auto one = f.open(f.token("anna", {"care"}));
    auto two = f.open(f.token("piet", {"care"}));
    BOOST_CHECK_THROW(f.server.stream(), std::exception);
    one.close();
    two.close();
}

BOOST_AUTO_TEST_SUITE_END()
