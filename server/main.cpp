// signaal-server: parses its command line and runs the server. Every line it
// writes goes through the logger (server/common/logger.hpp) to standard error.
#include "server/common/logger.hpp"
#include "server/http/server.hpp"
#include "server/server_options.hpp"

#include <exception>
#include <iostream>
#include <unistd.h>

int main(int argc, char** argv) {
    // Until the configuration is read, errors only (they are all a failed start).
    signaal::logger boot(signaal::log_level::error,
                         signaal::log_sinks(signaal::fd_sink(STDERR_FILENO)));
    const auto parsed = signaal::parse_server_options({argv + 1, argv + argc});
    if (!parsed) {
        boot.error("bad_command_line", {signaal::log_field::reason(parsed.error())});
        return 2;
    }
    if (parsed->help) {
        std::cout << signaal::server_usage();
        return 0;
    }
    auto settings = signaal::load_server_settings(*parsed);
    if (!settings) {
        boot.error("bad_config", {signaal::log_field::reason(settings.error())});
        return 2;
    }
    try {
        signaal::http::server server(std::move(*settings), signaal::fd_sink(STDERR_FILENO));
        server.run();
    } catch (const std::exception& e) {
        boot.error("start_failed", {signaal::log_field::startup_failure(e)});
        return 1;
    }
    return 0;
}
