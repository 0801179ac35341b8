// Live stream benchmark (issue 8), on the real server in a child process:
//   - memory: the server's resident memory with --idle idle authenticated
//     WebSocket streams, above its idle baseline, per stream;
//   - latency: --streams caseworker streams connected, reports arriving at
//     --rate per second for --seconds; the time from a report's 201 (as its
//     sender reads it) to its event on each stream (as that stream reads it),
//     p50 and p99 over every (report, stream) pair.
// The child issues the tokens from its own token registry (no sign-in needed)
// and hands them over a pipe. Clients run in this process, one thread for the
// streams and one sending reports (proof-of-work difficulty 0).
//
//   stream_bench [--streams N] [--rate R] [--seconds S] [--idle N]
#include "server/auth/principal.hpp"
#include "server/auth/token_registry.hpp"
#include "server/config/settings.hpp"
#include "server/http/server.hpp"
#include "tests/support/test_instance.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace signaal;
using namespace signaal::testing;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using steady = std::chrono::steady_clock;

namespace {

struct options {
    unsigned streams = 200;
    unsigned rate = 200;
    double seconds = 10;
    unsigned idle = 1000;
};

options parse_options(int argc, char** argv) {
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--streams") {
            o.streams = static_cast<unsigned>(std::stoul(value));
        } else if (flag == "--rate") {
            o.rate = static_cast<unsigned>(std::stoul(value));
        } else if (flag == "--seconds") {
            o.seconds = std::stod(value);
        } else if (flag == "--idle") {
            o.idle = static_cast<unsigned>(std::stoul(value));
        } else {
            throw std::runtime_error("unknown option " + flag);
        }
    }
    return o;
}

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

long resident_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

// The server in a child process; its stdout (tokens, then the log) on a pipe.
struct child_server {
    child_server(const test_instance& instance, std::size_t tokens) {
        int fds[2];
        if (::pipe(fds) != 0) {
            throw std::runtime_error("pipe failed");
        }
        std::cout.flush();
        pid = ::fork();
        if (pid == 0) {
            ::close(fds[0]);
            ::dup2(fds[1], STDOUT_FILENO);
            ::close(fds[1]);
            run_child(instance, tokens);
            ::_exit(0);
        }
        ::close(fds[1]);
        out = ::fdopen(fds[0], "r");
        // The server's log lines (level=...) and the tokens share the pipe.
        while (token_list.size() < tokens) {
            if (auto line = next_line(); !line.starts_with("level=")) {
                token_list.push_back(std::move(line));
            }
        }
        const std::string marker = "event=listening listen=https://127.0.0.1:";
        for (;;) {
            const auto line = next_line();
            if (const auto at = line.find(marker); at != std::string::npos) {
                port = static_cast<std::uint16_t>(std::stoi(line.substr(at + marker.size())));
                break;
            }
        }
        // The rest of the log is not read; a thread drains it so the child never blocks.
        drain = std::thread([f = out] {
            char buffer[4096];
            while (std::fread(buffer, 1, sizeof buffer, f) > 0) {
            }
        });
    }

    ~child_server() {
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
        drain.join();
        std::fclose(out);
    }

    static void run_child(const test_instance& instance, std::size_t tokens) {
        auto settings = config::load_file(instance.dir() / "signaal.toml");
        if (!settings) {
            std::cerr << settings.error().message << "\n";
            ::_exit(1);
        }
        http::server server(std::move(*settings), stream_sink(std::cout));
        for (std::size_t i = 0; i < tokens; ++i) {
            auth::principal who;
            who.scope = auth::scope::staff;
            who.staff_id = "bench-" + std::to_string(i);
            who.role = auth::role::caseworker;
            who.desks = {"care"};
            std::cout << server.tokens().issue(who, 8 * 3600)->token << "\n";
        }
        std::cout.flush();
        server.run();
    }

    std::string next_line() {
        std::string line;
        for (int c = std::fgetc(out); c != EOF && c != '\n'; c = std::fgetc(out)) {
            line.push_back(static_cast<char>(c));
        }
        return line;
    }

    pid_t pid = -1;
    FILE* out = nullptr;
    std::uint16_t port = 0;
    std::vector<std::string> token_list;
    std::thread drain;
};

// Many streams on one thread; each records when each report's event arrived.
struct stream_clients {
    stream_clients(std::uint16_t p, const std::filesystem::path& ca) : port(p) {
        tls.set_verify_mode(ssl::verify_peer);
        tls.load_verify_file(ca.string());
    }

    net::awaitable<void> one(std::string token, std::size_t index) {
        constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
        websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, tls);
        auto& tcp = beast::get_lowest_layer(ws);
        const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
        tcp.expires_after(std::chrono::seconds(30));
        if (auto [ec] = co_await tcp.async_connect(endpoint, use_tuple); ec) {
            ++failed;
            co_return;
        }
        SSL_set_tlsext_host_name(ws.next_layer().native_handle(), "localhost");
        if (auto [ec] =
                co_await ws.next_layer().async_handshake(ssl::stream_base::client, use_tuple);
            ec) {
            ++failed;
            co_return;
        }
        tcp.expires_never();
        if (auto [ec] = co_await ws.async_handshake("localhost", "/api/v1/stream", use_tuple); ec) {
            ++failed;
            co_return;
        }
        const auto auth = R"({"type":"auth","token":")" + token + R"("})";
        if (auto [ec, n] = co_await ws.async_write(net::buffer(auth), use_tuple); ec) {
            ++failed;
            co_return;
        }
        beast::flat_buffer buffer;
        for (;;) {
            auto [ec, n] = co_await ws.async_read(buffer, use_tuple);
            if (ec) {
                if (!stopping) {
                    ++failed;
                }
                co_return;
            }
            const auto now = steady::now();
            const auto text = beast::buffers_to_string(buffer.data());
            buffer.clear();
            if (text.find(R"("type":"ready")") != std::string::npos) {
                ++ready;
                continue;
            }
            const std::string key = R"("report_id":")";
            const auto at = text.find(key);
            if (at != std::string::npos) {
                const auto from = at + key.size();
                arrivals[index].emplace_back(text.substr(from, text.find('"', from) - from), now);
                ++events;
            }
        }
    }

    void start(const std::vector<std::string>& tokens) {
        arrivals.resize(tokens.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            net::co_spawn(ioc, one(tokens[i], i), net::detached);
        }
        thread = std::thread([this] { ioc.run(); });
    }

    bool wait_until(const std::atomic<std::size_t>& counter, std::size_t target,
                    std::chrono::seconds limit) {
        const auto end = steady::now() + limit;
        while (counter.load() < target && failed.load() == 0 && steady::now() < end) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return counter.load() >= target;
    }

    void stop() {
        stopping = true;
        ioc.stop();
        thread.join();
    }

    std::uint16_t port;
    net::io_context ioc;
    ssl::context tls{ssl::context::tls_client};
    std::vector<std::vector<std::pair<std::string, steady::time_point>>> arrivals;
    std::atomic<std::size_t> ready{0};
    std::atomic<std::size_t> events{0};
    std::atomic<std::size_t> failed{0};
    std::atomic<bool> stopping{false};
    std::thread thread;
};

json::object care_report(const test_instance& instance, unsigned i) {
    report_input in;
    in.category = "physical_violence";
    in.consent = {"care"};
    in.desks = {"care"};
    in.plaintext = json::serialize(json::object{
        {"v", 1}, {"lang", "nl"}, {"text", "Stream benchmark report " + std::to_string(i)}});
    in.keys["care"] = &instance.key("care");
    return build_report(in);
}

void raise_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void memory_phase(const options& o) {
    test_instance instance({}, "[limits]\nmax_connections = " + std::to_string(o.idle + 64) + "\n",
                           0);
    child_server server(instance, o.idle + 1);
    // Warm up: one stream and one report, so lazily made parts are in the baseline.
    {
        stream_clients warm(server.port, instance.certificate());
        warm.start({server.token_list.back()});
        warm.wait_until(warm.ready, 1, std::chrono::seconds(30));
        auto client = https_client("127.0.0.1", server.port, instance.certificate());
        instance.submit(client, care_report(instance, 0));
        warm.wait_until(warm.events, 1, std::chrono::seconds(30));
        warm.stop();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // the warm-up stream closes
    const auto baseline = resident_kib(server.pid);
    stream_clients idle(server.port, instance.certificate());
    std::vector<std::string> tokens(server.token_list.begin(),
                                    server.token_list.begin() + static_cast<long>(o.idle));
    idle.start(tokens);
    if (!idle.wait_until(idle.ready, o.idle, std::chrono::seconds(120))) {
        std::cout << "memory: only " << idle.ready.load() << " of " << o.idle
                  << " streams got ready (" << idle.failed.load() << " failed)\n";
    }
    std::this_thread::sleep_for(std::chrono::seconds(1)); // let the server settle
    const auto loaded = resident_kib(server.pid);
    const double per = static_cast<double>(loaded - baseline) * 1024.0 / o.idle;
    std::printf("memory: server RSS %ld KiB idle, %ld KiB with %u idle streams: %.1f KB per "
                "stream (goal <= 40 KB)\n",
                baseline, loaded, o.idle, per / 1000.0);
    idle.stop();
}

void latency_phase(const options& o) {
    test_instance instance(
        {}, "[limits]\nmax_connections = " + std::to_string(o.streams + 64) + "\n", 0);
    child_server server(instance, o.streams);
    stream_clients streams(server.port, instance.certificate());
    streams.start(server.token_list);
    if (!streams.wait_until(streams.ready, o.streams, std::chrono::seconds(60))) {
        std::cout << "latency: only " << streams.ready.load() << " streams got ready\n";
        streams.stop();
        return;
    }
    std::map<std::string, steady::time_point> acknowledged; // report id -> its 201 read
    std::mutex acknowledged_mutex;
    std::atomic<unsigned> refused{0};
    const auto total = static_cast<unsigned>(o.rate * o.seconds);
    const auto interval = std::chrono::nanoseconds(1'000'000'000 / o.rate);
    const auto start = steady::now();
    // Several senders, each on its own connection, keep to the arrival rate
    // even when one waits for a commit.
    constexpr unsigned senders = 4;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < senders; ++t) {
        threads.emplace_back([&, t] {
            auto client = https_client("127.0.0.1", server.port, instance.certificate());
            for (unsigned i = t; i < total; i += senders) {
                // Made ahead of its slot, so building a report adds no delay.
                auto body = care_report(instance, i + 1);
                std::this_thread::sleep_until(start + i * interval);
                const auto reply = instance.submit(client, std::move(body));
                const auto now = steady::now();
                if (reply.status != 201) {
                    ++refused;
                    continue;
                }
                const auto id = json::parse(reply.body)->at("id").as_string();
                std::lock_guard lock(acknowledged_mutex);
                acknowledged.emplace(std::string(id), now);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    const auto elapsed = std::chrono::duration<double>(steady::now() - start).count();
    const auto expected = acknowledged.size() * o.streams;
    streams.wait_until(streams.events, expected, std::chrono::seconds(30));
    streams.stop();

    std::vector<double> ms;
    std::size_t early = 0;
    for (const auto& per_stream : streams.arrivals) {
        for (const auto& [id, at] : per_stream) {
            const auto found = acknowledged.find(id);
            if (found == acknowledged.end()) {
                continue;
            }
            const double d = std::chrono::duration<double, std::milli>(at - found->second).count();
            if (d < 0) {
                ++early; // the event overtook the 201 it follows
            }
            ms.push_back(std::max(0.0, d));
        }
    }
    std::printf("latency: %u streams, %zu reports in %.1f s (%.0f/s, %u refused), %zu of %zu "
                "events arrived (%zu before their 201 was read)\n",
                o.streams, acknowledged.size(), elapsed,
                static_cast<double>(acknowledged.size()) / elapsed, refused.load(), ms.size(),
                expected, early);
    std::printf("latency: 201 to event p50 %.2f ms, p99 %.2f ms (goal p99 < 5 ms)\n",
                percentile(ms, 0.50), percentile(ms, 0.99));
}

} // namespace

int main(int argc, char** argv) {
    try {
        const auto o = parse_options(argc, argv);
        raise_file_limit();
        std::signal(SIGPIPE, SIG_IGN);
        memory_phase(o);
        latency_phase(o);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "stream_bench: " << e.what() << "\n";
        return 1;
    }
}
