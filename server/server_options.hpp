#pragma once
// signaal-server's command line: --config FILE [--listen HOST:PORT] [--data-dir DIR].
#include "server/config/listen_address.hpp"
#include "server/config/settings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace signaal {

struct server_options {
    std::optional<std::filesystem::path> config_file; // absent: the embedded defaults
    std::optional<std::string> listen;
    std::optional<std::filesystem::path> data_dir;
    bool help = false;
};

[[nodiscard]] result<server_options> parse_server_options(const std::vector<std::string>& args);

/// The configuration the options name, with --listen and --data-dir applied.
[[nodiscard]] result<config::settings> load_server_settings(const server_options& options);

[[nodiscard]] const char* server_usage();

} // namespace signaal
