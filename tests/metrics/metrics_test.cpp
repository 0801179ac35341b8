#define BOOST_TEST_MODULE metrics_test
// Prometheus metrics (issue 11): route templates, histograms and counters
// alone, then the real server: requests, reports and a live stream, scraped
// over loopback from the plain-HTTP metrics listener and parsed.
#include <boost/test/unit_test.hpp>

#include "server/auth/token_registry.hpp"
#include "server/json/json.hpp"
#include "server/metrics/histogram.hpp"
#include "server/metrics/request_counts.hpp"
#include "server/metrics/route_template.hpp"
#include "server/metrics/server_metrics.hpp"
#include "tests/support/in_process_server.hpp"
#include "tests/support/report_builder.hpp"
#include "tests/support/test_instance.hpp"

#include <arpa/inet.h>
#include <map>
#include <netinet/in.h>
#include <regex>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace signaal::metrics {
namespace {

std::string_view template_of(std::string_view path) {
    return route_templates()[route_index(path)];
}

// One plain HTTP/1.1 exchange on 127.0.0.1; the whole answer (head and body).
std::string plain_http(std::uint16_t port, const std::string& method, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_REQUIRE(fd >= 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
    const std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    BOOST_REQUIRE(::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

// "name{labels}" -> value, for every sample line; every line is checked
// against the text format's grammar on the way.
std::map<std::string, double> samples_of(const std::string& body) {
    static const std::regex comment(R"(# (HELP|TYPE) [a-z_]+ .+)");
    static const std::regex sample(
        R"(([a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})?) ([0-9.e+-]+|\+Inf))");
    std::map<std::string, double> out;
    std::istringstream in(body);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, comment)) {
            continue;
        }
        BOOST_REQUIRE_MESSAGE(std::regex_match(line, m, sample), "not exposition text: " + line);
        out[m[1]] = std::stod(m[4]);
    }
    return out;
}

std::string plaintext(const std::string& text) {
    return json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
}

} // namespace

BOOST_AUTO_TEST_CASE(routes_are_counted_by_template_never_by_id) {
    BOOST_TEST(template_of("/api/v1/reports") == "/api/v1/reports");
    BOOST_TEST(template_of("/api/v1/reports/q83vEjRWeJCrze8SNFZ4kA") == "/api/v1/reports/{id}");
    BOOST_TEST(template_of("/api/v1/reports/q83vEjRWeJCrze8SNFZ4kA/status") ==
               "/api/v1/reports/{id}/status");
    BOOST_TEST(template_of("/api/v1/reports/x/messages") == "/api/v1/reports/{id}/messages");
    BOOST_TEST(template_of("/api/v1/desks/care/keys") == "/api/v1/desks/{desk}/keys");
    BOOST_TEST(template_of("/api/v1/mailbox/reports/abc") == "/api/v1/mailbox/reports/{id}");
    BOOST_TEST(template_of("/api/v1/staff/anna") == "/api/v1/staff/{id}");
    BOOST_TEST(template_of("/api/v1/reports//status") == "/api/other");
    BOOST_TEST(template_of("/api/v1/reports/a/b/c") == "/api/other");
    BOOST_TEST(template_of("/api/v1/config/") == "/api/other");
    BOOST_TEST(template_of("/api/v1/secret-token-here") == "/api/other");
    BOOST_TEST(template_of("/") == "static");
    BOOST_TEST(template_of("/assets/app-1234.js") == "static");
    for (const auto t : route_templates()) {
        BOOST_TEST(template_of(t) == t); // each template is its own route
    }
}

BOOST_AUTO_TEST_CASE(histograms_are_cumulative_with_sum_and_count) {
    histogram h({1, 4, 16}, 1.0);
    for (std::uint64_t v : {1, 2, 4, 5, 100}) {
        h.observe(v);
    }
    std::string out;
    h.write(out, "x", "Help.");
    BOOST_TEST(out == "# HELP x Help.\n# TYPE x histogram\n"
                      "x_bucket{le=\"1\"} 1\nx_bucket{le=\"4\"} 3\nx_bucket{le=\"16\"} 4\n"
                      "x_bucket{le=\"+Inf\"} 5\nx_sum 112\nx_count 5\n");
    histogram seconds({500, 1000000}, 1e6);
    seconds.observe(250);
    std::string s;
    seconds.write(s, "t", "T.");
    BOOST_TEST(s.find("t_bucket{le=\"0.0005\"} 1\n") != std::string::npos, s);
    BOOST_TEST(s.find("t_sum 0.00025\n") != std::string::npos, s);
}

BOOST_AUTO_TEST_CASE(unknown_statuses_are_counted_as_other) {
    request_counts c;
    c.add(route_index("/healthz"), 200);
    c.add(route_index("/healthz"), 299);
    std::string out;
    c.write(out);
    BOOST_TEST(out.find("{route=\"/healthz\",status=\"200\"} 1\n") != std::string::npos, out);
    BOOST_TEST(out.find("{route=\"/healthz\",status=\"other\"} 1\n") != std::string::npos, out);
}

// The real server: a scrape over loopback shows exactly what happened, and no
// report id, token or desk name among the labels.
BOOST_AUTO_TEST_CASE(a_scrape_of_the_real_server_shows_routes_reports_streams_and_commits) {
    testing::test_instance instance({}, "[metrics]\nlisten = \"127.0.0.1:0\"\n", 1);
    testing::in_process_server server(instance);
    const std::string marker = "event=metrics_listening listen=http://127.0.0.1:";
    BOOST_REQUIRE(server.wait_for_output(marker));
    const auto out = server.output();
    const auto at = out.find(marker) + marker.size();
    const auto port = static_cast<std::uint16_t>(std::stoi(out.substr(at))); // digits to the end

    auto client = server.client();
    for (int i = 0; i < 3; ++i) {
        BOOST_REQUIRE(client.get("/api/v1/config").status == 200u);
    }
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        testing::report_input in;
        in.consent = in.desks = {"care"};
        in.plaintext = plaintext("metrics");
        in.keys["care"] = &instance.key("care");
        const auto reply = instance.submit(client, testing::build_report(in));
        BOOST_REQUIRE_MESSAGE(reply.status == 201u, reply.body);
        ids.emplace_back(json::parse(reply.body)->at("id").as_string());
    }
    BOOST_TEST(client.get("/api/v1/reports/" + ids[0]).status == 401u);
    BOOST_TEST(client.get("/api/v1/nothing-here").status == 404u);

    auth::principal who;
    who.scope = auth::scope::staff;
    who.staff_id = "anna";
    who.role = auth::role::caseworker;
    who.desks = {"care"};
    const auto token = server.server().tokens().issue(who, 3600);
    BOOST_REQUIRE(token.has_value());
    auto ws = server.stream();
    ws.send(json::serialize(
        json::object{{"type", "auth"}, {"token", token->token}, {"after", json::object{}}}));
    for (;;) { // the replayed events, then ready: the stream is subscribed
        const auto m = ws.read();
        BOOST_REQUIRE(!m.closed);
        if (json::parse(m.text)->at("type").as_string() == "ready") {
            break;
        }
    }

    const auto answer = plain_http(port, "GET", "/metrics");
    BOOST_REQUIRE(answer.starts_with("HTTP/1.1 200 OK\r\n"));
    BOOST_TEST(answer.find("Content-Type: text/plain; version=0.0.4") != std::string::npos);
    const auto body = answer.substr(answer.find("\r\n\r\n") + 4);
    const auto s = samples_of(body);
    const auto value = [&](const std::string& name) {
        const auto it = s.find(name);
        BOOST_TEST_REQUIRE((it != s.end()), name << " missing in:\n" << body);
        return it->second;
    };
    BOOST_TEST(value(R"(signaal_http_requests_total{route="/api/v1/config",status="200"})") == 3);
    BOOST_TEST(value(R"(signaal_http_requests_total{route="/api/v1/pow",status="200"})") == 4);
    BOOST_TEST(value(R"(signaal_http_requests_total{route="/api/v1/reports",status="201"})") == 4);
    BOOST_TEST(value(R"(signaal_http_requests_total{route="/api/v1/reports/{id}",status="401"})") ==
               1);
    BOOST_TEST(value(R"(signaal_http_requests_total{route="/api/other",status="404"})") == 1);
    BOOST_TEST(value("signaal_reports_accepted_total") == 4);
    BOOST_TEST(value("signaal_open_streams") == 1);
    BOOST_TEST(value("signaal_open_connections") >= 1); // the stream, at least
    const auto batches = value("signaal_commit_batch_size_count");
    BOOST_TEST(batches >= 1);
    BOOST_TEST(value("signaal_commit_batch_size_sum") >= 4);
    BOOST_TEST(value(R"(signaal_commit_batch_size_bucket{le="+Inf"})") == batches);
    BOOST_TEST(value("signaal_commit_duration_seconds_count") == batches);
    BOOST_TEST(value("signaal_commit_duration_seconds_sum") > 0);
    for (const auto& id : ids) {
        BOOST_TEST(body.find(id) == std::string::npos);
    }
    BOOST_TEST(body.find(token->token) == std::string::npos);
    BOOST_TEST(body.find("care") == std::string::npos);
    BOOST_TEST(body.find("anna") == std::string::npos);
    BOOST_TEST(body.find("127.0.0.1") == std::string::npos);

    BOOST_TEST(plain_http(port, "GET", "/").starts_with("HTTP/1.1 404"));
    const auto post = plain_http(port, "POST", "/metrics");
    BOOST_TEST(post.starts_with("HTTP/1.1 405"));
    BOOST_TEST(post.find("Allow: GET") != std::string::npos);
}

} // namespace signaal::metrics
