#include "tests/support/test_instance.hpp"

#include "crypto/base64url.hpp"
#include "crypto/key_id.hpp"
#include "server/startup.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_keys.hpp"
#include "server/store/statement.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SIGNAAL_SERVER_BIN
#error "SIGNAAL_SERVER_BIN must name the signaal-server binary"
#endif

namespace signaal::testing {
namespace {

std::filesystem::path make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "signaal-e2e-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

} // namespace

test_instance::test_instance(const std::string& reports_toml, const std::string& more_toml,
                             unsigned pow_difficulty)
    : dir_(make_temp_dir()), pow_difficulty_(pow_difficulty) {
    // A stand-in phone page: the static file path is tested here, the real page by the browser
    // tests.
    std::filesystem::create_directories(dir_ / "web");
    std::ofstream(dir_ / "web" / "index.html") << "<!doctype html><title>Signaal</title>";
    std::ofstream(dir_ / "web" / "index.html.gz") << "gzip-variant";
    std::ofstream(dir_ / "signaal.toml")
        << "[server]\nlisten = \"127.0.0.1:0\"\ndata_dir = \".\"\nthreads = 2\nweb_root = \"web\"\n"
        << "[reports]\npow_difficulty = " << pow_difficulty << "\n"
        << reports_toml << "\n"
        << more_toml << "\n";
    const auto path = store::migrated_database(dir_);
    auto db = store::database::open(path, store::open_mode::read_write_create);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    store::desk_keys table(*db);
    for (const std::string desk : {"care", "municipality", "police"}) {
        auto pair = crypto::box_keygen();
        const auto id = crypto::key_id_of(pair.public_key);
        desk_keypair key{pair.public_key, std::move(pair.secret_key), {id.begin(), id.end()}};
        if (auto added = table.add_current(desk, key.key_id, key.public_key, "2026-01-01");
            !added) {
            throw std::runtime_error(added.error().message);
        }
        keys_.emplace(desk, std::move(key));
    }
}

test_instance::~test_instance() {
    if (running()) {
        kill_hard();
    }
    if (reader_.joinable()) {
        reader_.join();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void test_instance::rotate_key(const std::string& desk, std::int64_t accept_until) {
    auto db = store::database::open(database(), store::open_mode::read_write_create);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    auto pair = crypto::box_keygen();
    const auto id = crypto::key_id_of(pair.public_key);
    desk_keypair key{pair.public_key, std::move(pair.secret_key), {id.begin(), id.end()}};
    store::desk_keys table(*db);
    if (auto rotated = table.rotate(desk, key.key_id, key.public_key, "2026-01-02", accept_until);
        !rotated) {
        throw std::runtime_error(rotated.error().message);
    }
    keys_.insert_or_assign(desk, std::move(key));
}

void test_instance::start() {
    int fds[2];
    if (::pipe(fds) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const auto config = (dir_ / "signaal.toml").string();
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(SIGNAAL_SERVER_BIN, SIGNAAL_SERVER_BIN, "--config", config.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(fds[1]);
    output_fd_ = fds[0];
    {
        std::lock_guard lock(output_mutex_);
        output_.clear();
        output_open_ = true;
    }
    if (reader_.joinable()) {
        reader_.join();
    }
    reader_ = std::thread([this, fd = output_fd_] {
        char buffer[4096];
        for (;;) {
            const auto n = ::read(fd, buffer, sizeof buffer);
            std::lock_guard lock(output_mutex_);
            if (n <= 0) {
                output_open_ = false;
                output_grew_.notify_all();
                break;
            }
            output_.append(buffer, static_cast<std::size_t>(n));
            output_grew_.notify_all();
        }
        ::close(fd);
    });
    const std::string marker = "event=listening listen=https://127.0.0.1:";
    if (wait_for_output(marker, std::chrono::seconds(60))) {
        std::lock_guard lock(output_mutex_);
        const auto at = output_.find(marker);
        const auto end = output_.find('\n', at);
        if (end != std::string::npos) {
            port_ = static_cast<std::uint16_t>(
                std::stoi(output_.substr(at + marker.size(), end - at - marker.size())));
            return;
        }
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("signaal-server exited at start:\n" + output());
    }
    throw std::runtime_error("signaal-server did not start:\n" + output());
}

bool test_instance::wait_for_output(const std::string& text,
                                    std::chrono::milliseconds timeout) const {
    std::unique_lock lock(output_mutex_);
    // A whole line: the marker and the newline that ends it.
    const auto complete = [&] {
        const auto at = output_.find(text);
        return at != std::string::npos && output_.find('\n', at) != std::string::npos;
    };
    output_grew_.wait_for(lock, timeout, [&] { return complete() || !output_open_; });
    return complete();
}

int test_instance::signal_and_wait(int signal) {
    if (!running()) {
        return -1;
    }
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    if (reader_.joinable()) {
        reader_.join();
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int test_instance::stop() {
    return signal_and_wait(SIGTERM);
}

void test_instance::kill_hard() {
    (void)signal_and_wait(SIGKILL);
}

std::string test_instance::output() const {
    std::lock_guard lock(output_mutex_);
    return output_;
}

http_reply test_instance::submit(https_client& client, json::object body) const {
    const auto pow = client.get("/api/v1/pow");
    if (pow.status != 200) {
        throw std::runtime_error("GET /api/v1/pow: " + std::to_string(pow.status));
    }
    const auto parsed = json::parse(pow.body);
    add_pow(body, std::string(parsed->at("token").as_string()),
            static_cast<unsigned>(parsed->at("difficulty").as_int64()));
    return client.post_json("/api/v1/reports", json::serialize(body));
}

std::int64_t count_rows(const std::filesystem::path& database, const std::string& table) {
    auto db = store::database::open(database, store::open_mode::read_only);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    // Table names come from the tests themselves, never from input.
    auto stmt = store::statement::prepare(*db, "SELECT count(*) FROM " + table);
    if (!stmt) {
        throw std::runtime_error(stmt.error().message);
    }
    if (auto row = stmt->step(); !row || !*row) {
        throw std::runtime_error("count failed");
    }
    return stmt->column_int64(0);
}

} // namespace signaal::testing
