// Intake benchmark, every figure in one run, on the same disk:
//   - a bare SQLite table (one row per report holding the same padded payload,
//     the same group commit, WAL, synchronous=FULL): the limit;
//   - the store path (report_writer, no HTTP);
//   - HTTPS intake, keep-alive clients (token fetch, proof of work, post);
//   - HTTPS intake with a new TLS connection per report;
//   - WAL bytes written per report, bare and store;
//   - HTTPS intake with --preload reports already stored, beside the empty run;
//   - nginx, one worker, same certificate: new TLS connections per second
//     (when nginx is installed).
//
//   intake_bench [--clients N] [--seconds S] [--preload N] [--pow-bits B]
#include "crypto/random.hpp"
#include "server/common/clock.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/report_writer.hpp"
#include "server/store/statement.hpp"
#include "tests/support/test_instance.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

extern char** environ;

using namespace signaal;
using namespace signaal::testing;
using steady = std::chrono::steady_clock;

namespace {

struct options {
    unsigned clients = 16;
    double seconds = 10;
    std::size_t preload = 1'000'000;
    unsigned pow_bits = 8;
};

struct figures {
    double per_second = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    std::size_t count = 0;
};

constexpr std::size_t batch_max = 512;
constexpr std::size_t ciphertext_size = 4096 + 16; // the 4 KiB bucket
constexpr std::size_t envelope_size = 80;

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[at];
}

// About 2 KiB of text: pads into the 4 KiB bucket.
std::string payload_text(unsigned i) {
    std::string text = "Benchmark report " + std::to_string(i) + ": ";
    while (text.size() < 2000) {
        text += "klant werd agressief en betaalde niet. ";
    }
    return json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
}

// Runs `clients` threads for `seconds`; each calls make_step(client index) once
// and then the step in a loop, which does one report and returns whether it
// succeeded (closed loop: the batch is as large as the queue).
template <typename MakeStep> figures measure(unsigned clients, double seconds, MakeStep make_step) {
    std::atomic<bool> stop{false};
    std::atomic<bool> failed{false};
    std::mutex mutex;
    std::vector<double> latencies;
    std::vector<std::thread> threads;
    const auto start = steady::now();
    for (unsigned c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            auto step = make_step(c);
            std::vector<double> mine;
            while (!stop) {
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
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) {
        t.join();
    }
    if (failed) {
        throw std::runtime_error("a valid report was refused");
    }
    const double elapsed = std::chrono::duration<double>(steady::now() - start).count();
    figures f;
    f.count = latencies.size();
    f.per_second = static_cast<double>(f.count) / elapsed;
    f.p50_ms = percentile(latencies, 0.50);
    f.p99_ms = percentile(latencies, 0.99);
    return f;
}

store::write_request store_request(const test_instance& instance, const std::string& day) {
    store::write_request r;
    r.report.id = crypto::random_bytes(16);
    r.report.received_day = day;
    r.report.role = "sex_worker";
    r.report.category = "physical_violence";
    r.report.consent = {"care", "police"};
    r.report.desks = r.report.consent;
    r.report.nonce = crypto::random_bytes(24);
    r.report.ciphertext = crypto::random_bytes(ciphertext_size);
    for (const auto& desk : r.report.desks) {
        r.report.envelopes.push_back(
            {desk, instance.key(desk).key_id, crypto::random_bytes(envelope_size)});
    }
    r.pow_token_hash = crypto::random_bytes(32);
    return r;
}

// The limit: one table, one row per report with the same bytes, the same
// group commit (every queued row, up to batch_max, in one transaction).
class bare_table {
  public:
    explicit bare_table(const std::filesystem::path& path) {
        auto db = store::database::open(path, store::open_mode::read_write_create);
        if (!db || !db->exec("CREATE TABLE IF NOT EXISTS bare (no INTEGER PRIMARY KEY, "
                             "payload BLOB NOT NULL)")) {
            throw std::runtime_error("bare table: cannot create");
        }
        db_.emplace(std::move(*db));
        auto insert = store::statement::prepare(*db_, "INSERT INTO bare (payload) VALUES (?1)");
        if (!insert) {
            throw std::runtime_error("bare table: cannot prepare");
        }
        insert_.emplace(std::move(*insert));
        thread_ = std::thread([this] { run(); });
    }
    ~bare_table() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    void put(std::vector<std::uint8_t> payload, std::promise<bool>& done) {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(payload), &done});
        wake_.notify_one();
    }

  private:
    struct item {
        std::vector<std::uint8_t> payload;
        std::promise<bool>* done;
    };
    void run() {
        for (;;) {
            std::vector<item> batch;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) {
                    return;
                }
                while (!queue_.empty() && batch.size() < batch_max) {
                    batch.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                }
            }
            bool ok = static_cast<bool>(db_->exec("BEGIN IMMEDIATE"));
            for (auto& i : batch) {
                insert_->reset();
                insert_->bind(1, i.payload);
                ok = ok && insert_->run();
            }
            ok = ok && db_->exec("COMMIT");
            for (auto& i : batch) {
                i.done->set_value(ok);
            }
        }
    }
    std::optional<store::database> db_;
    std::optional<store::statement> insert_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<item> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

std::vector<std::uint8_t> bare_payload(const store::write_request& r) {
    std::vector<std::uint8_t> p = r.report.id;
    p.insert(p.end(), r.report.nonce.begin(), r.report.nonce.end());
    p.insert(p.end(), r.report.ciphertext.begin(), r.report.ciphertext.end());
    for (const auto& e : r.report.envelopes) {
        p.insert(p.end(), e.key_id.begin(), e.key_id.end());
        p.insert(p.end(), e.sealed.begin(), e.sealed.end());
    }
    p.insert(p.end(), r.pow_token_hash.begin(), r.pow_token_hash.end());
    return p;
}

// WAL bytes per report: a reader holds a snapshot from before the run, so no
// frame written during it can be checkpointed or overwritten; the WAL's growth
// is then every byte the run wrote to it.
struct wal_meter {
    explicit wal_meter(const std::filesystem::path& db_path)
        : wal_(db_path.string() + "-wal"),
          reader_(*store::database::open(db_path, store::open_mode::read_only)) {
        (void)reader_.exec("BEGIN");
        auto st = store::statement::prepare(reader_, "SELECT count(*) FROM sqlite_schema");
        (void)st->step(); // the snapshot starts here and stays until the meter goes
        pinned_.emplace(std::move(*st));
        before_ = size();
    }
    ~wal_meter() {
        pinned_.reset();
        (void)reader_.exec("COMMIT");
    }
    std::uintmax_t size() const {
        std::error_code ec;
        const auto s = std::filesystem::file_size(wal_, ec);
        return ec ? 0 : s;
    }
    double per_report(std::size_t reports) const {
        return reports == 0 ? 0
                            : static_cast<double>(size() - before_) / static_cast<double>(reports);
    }

  private:
    std::filesystem::path wal_;
    store::database reader_;
    std::optional<store::statement> pinned_;
    std::uintmax_t before_ = 0;
};

struct path_figures {
    figures rate;
    double wal_bytes_per_report = 0;
};

// Rate over `seconds`, then WAL bytes per report over a short second run.
template <typename Put>
path_figures run_path(unsigned clients, double seconds, const std::filesystem::path& db,
                      const test_instance& instance, Put put) {
    auto make = [&](unsigned) {
        return [&] { return put(store_request(instance, utc_day(default_clock().now_unix()))); };
    };
    path_figures out;
    out.rate = measure(clients, seconds, make);
    {
        // An empty WAL to start from: its growth is then what the run writes.
        auto rw = store::database::open(db, store::open_mode::read_write_create);
        if (!rw || !rw->exec("PRAGMA wal_checkpoint(TRUNCATE)")) {
            throw std::runtime_error("cannot checkpoint before measuring the WAL");
        }
    }
    wal_meter meter(db);
    const auto metered = measure(clients, std::min(seconds, 2.0), make);
    out.wal_bytes_per_report = meter.per_report(metered.count);
    return out;
}

path_figures run_bare(unsigned clients, double seconds, const test_instance& instance) {
    const auto dir = instance.dir() / "bare";
    std::filesystem::create_directories(dir);
    const auto db = dir / "bare.db";
    bare_table table(db);
    return run_path(clients, seconds, db, instance, [&](store::write_request r) {
        std::promise<bool> done;
        auto ok = done.get_future();
        table.put(bare_payload(r), done);
        return ok.get();
    });
}

store::writer_options writer_options() {
    store::writer_options o;
    o.batch_max = batch_max;
    o.max_pending = 100'000;
    return o;
}

path_figures run_store(unsigned clients, double seconds, const test_instance& instance) {
    const auto dir = instance.dir() / "store";
    std::filesystem::create_directories(dir);
    const auto db = store::migrated_database(dir);
    store::report_writer writer(db, writer_options(), default_clock());
    if (!writer.start()) {
        throw std::runtime_error("writer did not start");
    }
    return run_path(clients, seconds, db, instance, [&](store::write_request r) {
        std::promise<store::write_outcome> done;
        auto outcome = done.get_future();
        writer.submit(std::move(r), [&done](store::write_outcome o) { done.set_value(o); });
        return outcome.get() == store::write_outcome::committed;
    });
}

// Stores `count` reports of the benchmark's shape straight through the writer,
// as fast as it takes them.
void preload(const test_instance& instance, std::size_t count) {
    store::report_writer writer(instance.database(), writer_options(), default_clock());
    if (!writer.start()) {
        throw std::runtime_error("writer did not start");
    }
    const auto day = utc_day(default_clock().now_unix() - 86'400 * 3);
    std::atomic<std::size_t> committed{0};
    std::size_t last_shown = 0;
    const auto start = steady::now();
    for (std::size_t i = 0; i < count; ++i) {
        while (!writer.submit(store_request(instance, day), [&](store::write_outcome o) {
            if (o == store::write_outcome::committed) {
                ++committed;
            }
        })) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1)); // queue full
        }
        if (i - last_shown >= 100'000) {
            last_shown = i;
            std::fprintf(stderr, "  preloaded %zu\n", i);
        }
    }
    writer.stop();
    if (committed != count) {
        throw std::runtime_error("preload: not every report was stored");
    }
    // The preloaded tokens were spent days ago: a restart prunes them, as it would
    // on a server that ran for months.
    store::report_writer again(instance.database(), writer_options(), default_clock());
    if (!again.start()) {
        throw std::runtime_error("writer did not start");
    }
    again.stop();
    std::printf("%-40s %zu reports in %.0f s\n", "preload (store path, batch 512)", count,
                std::chrono::duration<double>(steady::now() - start).count());
}

// Over HTTPS: fetch a token, solve it, post, wait for the 201.
figures run_server(unsigned clients, double seconds, const test_instance& instance,
                   const std::vector<json::object>& bodies, bool new_connection) {
    return measure(clients, seconds, [&](unsigned c) {
        return [&, client = instance.client(), i = std::size_t{c}]() mutable {
            if (new_connection) {
                client = instance.client();
            }
            const auto reply = instance.submit(client, bodies[i % bodies.size()]);
            i += clients;
            if (reply.status != 201) {
                std::cerr << "unexpected " << reply.status << ": " << reply.body << "\n";
            }
            return reply.status == 201;
        };
    });
}

std::uint16_t free_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

// nginx, one worker, the instance's certificate: a new TLS connection and one
// small GET per report. nullopt when nginx is not installed.
std::optional<figures> run_nginx(unsigned clients, double seconds, const test_instance& instance) {
    const char* candidates[] = {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"};
    const char* binary = nullptr;
    for (const char* c : candidates) {
        if (std::filesystem::exists(c)) {
            binary = c;
        }
    }
    if (binary == nullptr) {
        return std::nullopt;
    }
    const auto dir = instance.dir() / "nginx";
    std::filesystem::create_directories(dir);
    const auto port = free_port();
    std::ofstream(dir / "nginx.conf")
        << "worker_processes 1;\ndaemon off;\nmaster_process on;\npid " << (dir / "nginx.pid")
        << ";\nerror_log " << (dir / "error.log") << ";\n"
        << "events { worker_connections 4096; }\nhttp {\n  access_log off;\n"
        << "  client_body_temp_path " << (dir / "body") << ";\n  proxy_temp_path "
        << (dir / "proxy") << ";\n  fastcgi_temp_path " << (dir / "fastcgi")
        << ";\n  uwsgi_temp_path " << (dir / "uwsgi") << ";\n  scgi_temp_path " << (dir / "scgi")
        << ";\n  server {\n    listen 127.0.0.1:" << port << " ssl;\n"
        << "    ssl_certificate " << (instance.dir() / "tls" / "cert.pem") << ";\n"
        << "    ssl_certificate_key " << (instance.dir() / "tls" / "key.pem") << ";\n"
        << "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache off;\n"
        << "    location / { return 200 '{}'; }\n  }\n}\n";
    const std::string conf = (dir / "nginx.conf").string();
    const std::string prefix = dir.string() + "/";
    const char* argv[] = {binary, "-p", prefix.c_str(), "-c", conf.c_str(), nullptr};
    pid_t pid = -1;
    if (::posix_spawn(&pid, binary, nullptr, nullptr, const_cast<char* const*>(argv), environ) !=
        0) {
        throw std::runtime_error("cannot start nginx");
    }
    // Ready when it answers.
    const auto deadline = steady::now() + std::chrono::seconds(10);
    for (;;) {
        try {
            https_client probe("127.0.0.1", port, instance.certificate());
            if (probe.get("/").status == 200) {
                break;
            }
        } catch (const std::exception&) {
        }
        if (steady::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            throw std::runtime_error("nginx did not start; see " + (dir / "error.log").string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto f = measure(clients, seconds, [&](unsigned) {
        return [&] {
            https_client client("127.0.0.1", port, instance.certificate());
            return client.get("/").status == 200;
        };
    });
    ::kill(pid, SIGQUIT);
    ::waitpid(pid, nullptr, 0);
    return f;
}

void print(const char* name, const figures& f) {
    std::printf("%-40s %9.1f reports/s   p50 %7.2f ms   p99 %7.2f ms   (%zu)\n", name, f.per_second,
                f.p50_ms, f.p99_ms, f.count);
}

std::vector<json::object> bodies_for(const test_instance& instance) {
    std::vector<json::object> bodies;
    for (unsigned i = 0; i < 256; ++i) {
        report_input in;
        in.consent = {"care", "police"};
        in.desks = {"care", "police"};
        in.keys = {{"care", &instance.key("care")}, {"police", &instance.key("police")}};
        in.plaintext = payload_text(i);
        bodies.push_back(build_report(in));
    }
    return bodies;
}

} // namespace

int main(int argc, char** argv) {
    options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool known =
            arg == "--clients" || arg == "--seconds" || arg == "--preload" || arg == "--pow-bits";
        if (known && i + 1 < argc) {
            const double value = std::stod(argv[++i]);
            if (value < 0 || (value == 0 && (arg == "--clients" || arg == "--seconds"))) {
                std::cerr << "intake_bench: " << arg << " must be positive\n";
                return 2;
            }
            if (arg == "--clients") {
                opt.clients = static_cast<unsigned>(value);
            } else if (arg == "--seconds") {
                opt.seconds = value;
            } else if (arg == "--preload") {
                opt.preload = static_cast<std::size_t>(value);
            } else {
                opt.pow_bits = static_cast<unsigned>(value);
            }
        } else {
            std::cerr << "usage: intake_bench [--clients N] [--seconds S] [--preload N] "
                         "[--pow-bits B]\n";
            return arg == "--help" ? 0 : 2;
        }
    }
    try {
        const std::string limits = "[limits]\nmax_pending_writes = 100000";
        test_instance instance({}, limits, opt.pow_bits);
        const auto bodies = bodies_for(instance);
        std::printf("intake_bench: %u clients, %.0f s per phase, 4 KiB bucket, 2 envelopes, "
                    "proof of work %u bits, preload %zu\n",
                    opt.clients, opt.seconds, opt.pow_bits, opt.preload);

        const auto bare = run_bare(opt.clients, opt.seconds, instance);
        print("bare table (the limit)", bare.rate);
        const auto stored = run_store(opt.clients, opt.seconds, instance);
        print("store path", stored.rate);
        std::printf("%-40s %9.0f bare   %9.0f store\n", "WAL bytes per report",
                    bare.wal_bytes_per_report, stored.wal_bytes_per_report);

        instance.start();
        const auto keep_alive = run_server(opt.clients, opt.seconds, instance, bodies, false);
        print("HTTPS intake, keep-alive (empty)", keep_alive);
        const auto fresh = run_server(opt.clients, opt.seconds, instance, bodies, true);
        print("HTTPS intake, new TLS connection each", fresh);
        const auto nginx = run_nginx(opt.clients, opt.seconds, instance);
        if (nginx) {
            print("nginx 1 worker, new TLS connection + GET", *nginx);
        } else {
            std::printf("%-40s not installed: no figure\n", "nginx");
        }
        instance.stop();

        std::optional<figures> loaded;
        if (opt.preload > 0) {
            test_instance big({}, limits, opt.pow_bits);
            const auto big_bodies = bodies_for(big);
            preload(big, opt.preload);
            big.start();
            loaded = run_server(opt.clients, opt.seconds, big, big_bodies, false);
            char name[64];
            std::snprintf(name, sizeof name, "HTTPS intake, keep-alive (%zu stored)", opt.preload);
            print(name, *loaded);
            big.stop();
        }

        std::printf("store / bare: %.0f%% (goal 70%%)   HTTPS / bare: %.0f%% (goal 50%%)",
                    100.0 * stored.rate.per_second / bare.rate.per_second,
                    100.0 * keep_alive.per_second / bare.rate.per_second);
        if (loaded) {
            std::printf("   preloaded / empty: %.0f%% (goal 80%%)",
                        100.0 * loaded->per_second / keep_alive.per_second);
        }
        if (nginx) {
            std::printf("   new connections / nginx: %.0f%%",
                        100.0 * fresh.per_second / nginx->per_second);
        }
        std::printf("\n");
    } catch (const std::exception& e) {
        std::cerr << "intake_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
