#include "tests/support/in_process_server.hpp"

#include "server/config/settings.hpp"

#include <stdexcept>
#include <streambuf>

namespace signaal::testing {

// Collects what the server prints, and wakes those waiting for a line.
class in_process_server::capture : public std::streambuf {
  public:
    std::string text() const {
        std::lock_guard lock(mutex_);
        return text_;
    }
    bool wait_for(const std::string& needle, std::chrono::milliseconds timeout) const {
        std::unique_lock lock(mutex_);
        return grew_.wait_for(lock, timeout,
                              [&] { return text_.find(needle) != std::string::npos; });
    }

  protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) {
            const char ch = traits_type::to_char_type(c);
            xsputn(&ch, 1);
        }
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        std::lock_guard lock(mutex_);
        text_.append(s, static_cast<std::size_t>(n));
        grew_.notify_all();
        return n;
    }

  private:
    mutable std::mutex mutex_;
    mutable std::condition_variable grew_;
    std::string text_;
};

in_process_server::in_process_server(const test_instance& instance, http::server::tuning tuning)
    : certificate_(instance.certificate()), capture_(std::make_unique<capture>()),
      out_(std::make_unique<std::ostream>(capture_.get())) {
    auto settings = config::load_file(instance.dir() / "signaal.toml");
    if (!settings) {
        throw std::runtime_error(settings.error().message);
    }
    server_ = std::make_unique<http::server>(std::move(*settings), stream_sink(*out_), tuning);
    thread_ = std::thread([this] { server_->run(); });
    const std::string marker = "event=listening listen=https://127.0.0.1:";
    if (!capture_->wait_for(marker, std::chrono::seconds(30))) {
        stop();
        throw std::runtime_error("the server did not start:\n" + output());
    }
    const auto text = output();
    const auto at = text.find(marker) + marker.size();
    port_ = static_cast<std::uint16_t>(std::stoi(text.substr(at, text.find('\n', at) - at)));
}

in_process_server::~in_process_server() {
    stop();
}

https_client in_process_server::client() const {
    return {"127.0.0.1", port_, certificate_};
}

wss_client in_process_server::stream(const wss_client::options& opts) const {
    return {"127.0.0.1", port_, certificate_, opts};
}

std::string in_process_server::output() const {
    return capture_->text();
}

bool in_process_server::wait_for_output(const std::string& text,
                                        std::chrono::milliseconds timeout) const {
    return capture_->wait_for(text, timeout);
}

void in_process_server::stop() {
    if (thread_.joinable()) {
        server_->stop();
        thread_.join();
    }
}

} // namespace signaal::testing
