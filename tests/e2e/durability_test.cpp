// A 201 is a promise: the report survives kill -9, and so does the record of
// spent proof-of-work tokens.
#include "crypto/base64url.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/support/report_reader.hpp"

#include <thread>

using namespace signaal;
using namespace signaal::testing;

BOOST_AUTO_TEST_CASE(acknowledged_reports_survive_kill_9) {
    test_instance instance;
    instance.start();
    std::vector<std::string> ids;
    {
        auto client = instance.client();
        for (int i = 0; i < 20; ++i) {
            const auto reply = instance.submit(
                client, sealed_report(instance, {"care", "police"}, "report " + std::to_string(i)));
            BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
            ids.emplace_back(parse_body(reply).at("id").as_string());
        }
    }
    instance.kill_hard(); // right after the last 201: no clean shutdown, no checkpoint
    auto reader = report_reader::open(instance.database());
    BOOST_REQUIRE(reader);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto found = reader->find(crypto::base64url_decode(ids[i]).value());
        BOOST_REQUIRE(found);
        BOOST_REQUIRE(found->has_value());
        BOOST_TEST(open_report(**found, "police", instance.key("police")).value_or("<none>") ==
                   plaintext("report " + std::to_string(i)));
    }
}

BOOST_AUTO_TEST_CASE(a_spent_token_stays_spent_across_a_restart) {
    test_instance instance;
    instance.start();
    json::object first = sealed_report(instance, {"care"}, "one");
    {
        auto client = instance.client();
        const std::string token(parse_body(client.get("/api/v1/pow")).at("token").as_string());
        add_pow(first, token, instance.pow_difficulty());
        BOOST_TEST(client.post_json("/api/v1/reports", json::serialize(first)).status == 201u);
    }
    instance.kill_hard();
    instance.start();
    auto client = instance.client();
    auto again = sealed_report(instance, {"care"}, "two");
    member(again, "pow") = member(first, "pow");
    const auto reply = client.post_json("/api/v1/reports", json::serialize(again));
    BOOST_TEST(reply.status == 403u);
    BOOST_TEST(error_code_of(reply) == "pow_invalid");
    BOOST_TEST(count_rows(instance.database(), "reports") == 1);
}

BOOST_AUTO_TEST_CASE(sigterm_lets_a_request_in_flight_finish) {
    test_instance instance;
    instance.start();
    auto client = instance.client();
    auto body = sealed_report(instance, {"care"}, "in flight");
    const std::string token(parse_body(client.get("/api/v1/pow")).at("token").as_string());
    add_pow(body, token, instance.pow_difficulty());
    const auto text = json::serialize(body);
    auto in_flight = instance.client();
    // The server's 100 Continue is the event that it has read the header.
    in_flight.raw_begin("POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\n"
                        "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                        "Content-Length: " +
                        std::to_string(text.size()) + "\r\n\r\n");
    BOOST_REQUIRE_EQUAL(in_flight.raw_read().status, 100u);
    std::thread stopper([&] { BOOST_TEST(instance.stop() == 0); });
    // Its "stopping" line is the event that it is draining, with our request open.
    BOOST_TEST(instance.wait_for_output("event=stopping"));
    const auto reply = in_flight.raw_finish(text);
    stopper.join();
    BOOST_TEST(reply.status == 201u);
    BOOST_TEST(reply.header("connection") == "close");
    BOOST_TEST(count_rows(instance.database(), "reports") == 1);
}
