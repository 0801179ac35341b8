// Restart (issue 11): SIGTERM to the real server process closes live streams
// with 1012 (service restart: reconnect), loses nothing acknowledged, and the
// server restarted on the same data dir serves the stream from the client's
// last seq with no gap and nothing twice.
#include "tests/e2e/helpers.hpp"
#include "tests/support/staff_member.hpp"
#include "tests/support/wss_client.hpp"

#include <thread>

using namespace signaal;
using namespace signaal::testing;

namespace {

struct seen_event {
    std::int64_t seq = 0;
    std::string report_id;
};

/// Reads the replay up to "ready": its events and ready's seq for care.
std::pair<std::vector<seen_event>, std::int64_t> replay(wss_client& stream) {
    std::vector<seen_event> events;
    for (;;) {
        const auto m = stream.read();
        BOOST_REQUIRE_MESSAGE(!m.closed, "closed " << m.close_code << " " << m.close_reason);
        const auto doc = json::parse(m.text).value();
        if (doc.at("type").as_string() == "ready") {
            return {events, doc.at("seq").at("care").as_int64()};
        }
        events.push_back({doc.at("seq").as_int64(), std::string(doc.at("report_id").as_string())});
    }
}

std::string submitted(const test_instance& instance, https_client& client,
                      const std::string& text) {
    const auto reply = instance.submit(client, sealed_report(instance, {"care"}, text));
    BOOST_REQUIRE_EQUAL(reply.status, 201u);
    return std::string(parse_body(reply).at("id").as_string());
}

std::string origin(const test_instance& instance) {
    return "https://127.0.0.1:" + std::to_string(instance.port());
}

wss_client open_stream(const test_instance& instance, const std::string& token,
                       std::int64_t after) {
    wss_client stream("127.0.0.1", instance.port(), instance.certificate());
    stream.send(json::serialize(json::object{
        {"type", "auth"}, {"token", token}, {"after", json::object{{"care", after}}}}));
    return stream;
}

} // namespace

BOOST_AUTO_TEST_SUITE(restart)

BOOST_AUTO_TEST_CASE(
    sigterm_tells_streams_to_reconnect_and_the_restarted_server_resumes_without_gap) {
    test_instance instance;
    staff_member ann;
    ann.id = "ann";
    ann.desks = {"care"};
    ann.add_to(instance.database());
    instance.start();
    auto client = instance.client();
    std::vector<std::string> ids{submitted(instance, client, "one"),
                                 submitted(instance, client, "two")};

    auto stream = open_stream(instance, signed_in_token(client, ann, origin(instance)), 0);
    const auto [first, ready] = replay(stream);
    BOOST_TEST(ready == 2);
    BOOST_REQUIRE_EQUAL(first.size(), 2u);
    ids.push_back(submitted(instance, client, "three")); // live
    auto live = stream.read();
    BOOST_REQUIRE(!live.closed);
    BOOST_TEST(json::parse(live.text).value().at("seq").as_int64() == 3);
    std::int64_t last_seq = 3;

    // SIGTERM while the stream is open: the client is told to reconnect.
    int exit_status = -1;
    std::thread stopper([&] { exit_status = instance.stop(); });
    const auto closed = stream.read();
    stopper.join();
    BOOST_TEST(closed.closed);
    BOOST_TEST(closed.close_code == 1012u);
    BOOST_TEST(exit_status == 0);

    // The same data dir, a new process: reports come while the client is away.
    instance.start();
    client = instance.client();
    ids.push_back(submitted(instance, client, "four"));
    ids.push_back(submitted(instance, client, "five"));
    // Sign-ins end on a restart (tokens live in memory); the client signs in again.
    auto resumed = open_stream(instance, signed_in_token(client, ann, origin(instance)), last_seq);
    const auto [missed, ready_again] = replay(resumed);
    BOOST_REQUIRE_EQUAL(missed.size(), 2u);
    BOOST_TEST(missed[0].seq == 4);
    BOOST_TEST(missed[0].report_id == ids[3]);
    BOOST_TEST(missed[1].seq == 5);
    BOOST_TEST(missed[1].report_id == ids[4]);
    BOOST_TEST(ready_again == 5);
    ids.push_back(submitted(instance, client, "six"));
    live = resumed.read();
    BOOST_REQUIRE(!live.closed);
    BOOST_TEST(json::parse(live.text).value().at("seq").as_int64() == 6);
    resumed.close();
    BOOST_TEST(instance.stop() == 0);
    // Every acknowledged report is stored.
    BOOST_TEST(count_rows(instance.database(), "reports") == 6);
}

BOOST_AUTO_TEST_SUITE_END()
