// HTTP/1.1 edge cases of RFC 9112 over the wire, against the real server.
#include "tests/e2e/helpers.hpp"

using namespace signaal;
using namespace signaal::testing;

BOOST_AUTO_TEST_CASE(http_edge_cases_over_the_wire) {
    test_instance instance;
    instance.start();
    auto client = instance.client();

    BOOST_TEST_CONTEXT("a Transfer-Encoding that does not end in chunked: 400, then closed") {
        // Read as the next request, the "body" would be served: it must not be.
        const auto reply = client.raw(
            "POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: gzip\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        BOOST_TEST(reply.status == 400u);
        BOOST_TEST(error_code_of(reply) == "bad_request");
        BOOST_TEST(reply.header("connection") == "close");
    }
    BOOST_TEST_CONTEXT("no Host: 400") {
        const auto reply = client.raw("GET /healthz HTTP/1.1\r\n\r\n");
        BOOST_TEST(reply.status == 400u);
        BOOST_TEST(error_code_of(reply) == "bad_request");
    }
    BOOST_TEST_CONTEXT("Expect: 100-continue: the interim answer, then the final one") {
        const std::string body = R"({"v": 2})";
        client.raw_begin("POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\n"
                         "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                         "Content-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n");
        BOOST_TEST(client.raw_read().status == 100u);
        const auto reply = client.raw_finish(body);
        BOOST_TEST(reply.status == 400u); // v must be 1: the body was read and checked
        BOOST_TEST(error_code_of(reply) == "bad_request");
    }
    BOOST_TEST(count_rows(instance.database(), "reports") == 0);
    BOOST_TEST(client.get("/healthz").status == 200u);
}
