// Intake benchmark: N keep-alive TLS clients post sealed 4 KiB-bucket reports
// to the real server; compared with the raw grouped durable insert rate of the
// same payloads through the store on the same disk.
//
//   intake_bench [--clients N] [--seconds S]
#include "crypto/random.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/report_writer.hpp"
#include "tests/support/test_instance.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace signaal;
using namespace signaal::testing;
using steady = std::chrono::steady_clock;

namespace {

struct options {
    unsigned clients = 16;
    double seconds = 10;
};

struct figures {
    double per_second = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    std::size_t count = 0;
};

double percentile(std::vector<double>& values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[at];
}

// About 2 KiB of text: pads into the 4 KiB bucket.
std::string payload_text(unsigned i) {
    std::string text = "Benchmark report " + std::to_string(i) + ": ";
    while (text.size() < 2000)
        text += "klant werd agressief en betaalde niet. ";
    return json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
}

// Runs `clients` threads for `seconds`; each calls make_step(client index) once
// and then the step in a loop, which does one report and returns whether it
// succeeded. With rate_per_client > 0 each thread paces itself (open loop);
// the pause is not part of a report's latency.
template <typename MakeStep>
figures measure(unsigned clients, double seconds, double rate_per_client, MakeStep make_step) {
    std::atomic<bool> stop{false};
    std::atomic<bool> failed{false};
    std::mutex mutex;
    std::vector<double> latencies;
    std::vector<std::thread> threads;
    const auto start = steady::now();
    for (unsigned c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            auto step = make_step(c);
            std::vector<double> mine;
            auto next = steady::now();
            while (!stop) {
                if (rate_per_client > 0) {
                    std::this_thread::sleep_until(next);
                    next += std::chrono::duration_cast<steady::duration>(
                        std::chrono::duration<double>(1.0 / rate_per_client));
                }
                const auto t0 = steady::now();
                if (!step()) {
                    failed = true;
                    break;
                }
                mine.push_back(
                    std::chrono::duration<double, std::milli>(steady::now() - t0).count());
            }
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads)
        t.join();
    if (failed)
        throw std::runtime_error("a valid report was refused");
    const double elapsed = std::chrono::duration<double>(steady::now() - start).count();
    figures f;
    f.count = latencies.size();
    f.per_second = static_cast<double>(f.count) / elapsed;
    f.p50_ms = percentile(latencies, 0.50);
    f.p99_ms = percentile(latencies, 0.99);
    return f;
}

// The same shape of report straight into the store: grouped durable commits, no HTTP.
figures run_raw(unsigned clients, double seconds, const test_instance& instance) {
    const auto dir = instance.dir() / "raw";
    std::filesystem::create_directories(dir);
    store::report_writer writer(store::migrated_database(dir), 512, 100000);
    if (!writer.start())
        throw std::runtime_error("writer did not start");
    auto f = measure(clients, seconds, 0, [&](unsigned) {
        return [&] {
            store::write_request r;
            r.report.id = crypto::random_bytes(16);
            r.report.received_day = "2026-11-28";
            r.report.role = "sex_worker";
            r.report.category = "physical_violence";
            r.report.consent = {"care", "police"};
            r.report.desks = r.report.consent;
            r.report.nonce = crypto::random_bytes(24);
            r.report.ciphertext = crypto::random_bytes(4096 + 16);
            for (const auto& desk : r.report.desks)
                r.report.envelopes.push_back(
                    {desk, instance.key(desk).key_id, crypto::random_bytes(80)});
            r.pow_token_hash = crypto::random_bytes(32);
            r.pow_expires = 4102444800;
            std::promise<store::write_outcome> done;
            auto outcome = done.get_future();
            writer.submit(std::move(r), [&done](store::write_outcome o) { done.set_value(o); });
            return outcome.get() == store::write_outcome::committed;
        };
    });
    writer.stop();
    return f;
}

// Over HTTPS: fetch a token, post, wait for the 201.
figures run_server(unsigned clients, double seconds, const test_instance& instance,
                   const std::vector<json::object>& bodies, double rate_per_client) {
    return measure(clients, seconds, rate_per_client, [&](unsigned c) {
        return [&, client = instance.client(), i = std::size_t{c}]() mutable {
            const auto reply = instance.submit(client, bodies[i % bodies.size()]);
            i += clients;
            if (reply.status != 201)
                std::cerr << "unexpected " << reply.status << ": " << reply.body << "\n";
            return reply.status == 201;
        };
    });
}

void print(const char* name, const figures& f) {
    std::printf("%-34s %9.1f reports/s   p50 %7.2f ms   p99 %7.2f ms   (%zu reports)\n", name,
                f.per_second, f.p50_ms, f.p99_ms, f.count);
}

} // namespace

int main(int argc, char** argv) {
    options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--clients" || arg == "--seconds") && i + 1 < argc) {
            const double value = std::stod(argv[++i]);
            if (value <= 0) {
                std::cerr << "intake_bench: " << arg << " must be positive\n";
                return 2;
            }
            if (arg == "--clients")
                opt.clients = static_cast<unsigned>(value);
            else
                opt.seconds = value;
        } else {
            std::cerr << "usage: intake_bench [--clients N] [--seconds S]\n";
            return arg == "--help" ? 0 : 2;
        }
    }
    try {
        // Difficulty 0: the benchmark measures the server, not the phone's proof of work.
        test_instance instance({}, "[limits]\nmax_pending_writes = 100000", 0);
        std::vector<json::object> bodies;
        for (unsigned i = 0; i < 256; ++i) {
            report_input in;
            in.consent = {"care", "police"};
            in.desks = {"care", "police"};
            in.keys = {{"care", &instance.key("care")}, {"police", &instance.key("police")}};
            in.plaintext = payload_text(i);
            bodies.push_back(build_report(in));
        }
        std::printf("intake_bench: %u clients, %.0f s per phase, 4 KiB bucket, 2 envelopes\n",
                    opt.clients, opt.seconds);
        const auto raw = run_raw(opt.clients, opt.seconds, instance);
        print("raw grouped durable inserts", raw);
        instance.start();
        const auto peak = run_server(opt.clients, opt.seconds, instance, bodies, 0);
        print("HTTPS intake, closed loop (peak)", peak);
        const auto half = run_server(opt.clients, opt.seconds, instance, bodies,
                                     peak.per_second / 2 / opt.clients);
        print("HTTPS intake at half the peak rate", half);
        std::printf("intake / raw: %.0f%%\n", 100.0 * peak.per_second / raw.per_second);
        instance.stop();
    } catch (const std::exception& e) {
        std::cerr << "intake_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
