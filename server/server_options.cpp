#include "server/server_options.hpp"

namespace signaal {

const char* server_usage() {
    return "usage: signaal-server [--config FILE] [--listen HOST:PORT] [--data-dir DIR]\n"
           "\n"
           "Serves the Signaal API and phone page over HTTPS.\n"
           "  --config FILE      instance configuration (TOML); without it, the embedded defaults\n"
           "  --listen HOST:PORT overrides server.listen (port 0: any free port)\n"
           "  --data-dir DIR     overrides server.data_dir\n"
           "  --help             this text\n";
}

result<server_options> parse_server_options(const std::vector<std::string>& args) {
    server_options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            options.help = true;
            continue;
        }
        const bool takes_value = arg == "--config" || arg == "--listen" || arg == "--data-dir";
        if (!takes_value) {
            return fail("unknown option '" + arg + "' (see --help)");
        }
        if (i + 1 >= args.size() || args[i + 1].empty()) {
            return fail(arg + " needs a value");
        }
        const auto& value = args[++i];
        if (arg == "--config") {
            options.config_file = value;
        } else if (arg == "--listen") {
            options.listen = value;
        } else {
            options.data_dir = value;
        }
    }
    return options;
}

result<config::settings> load_server_settings(const server_options& options) {
    auto loaded = options.config_file ? config::load_file(*options.config_file)
                                      : config::load_defaults(std::filesystem::current_path());
    if (!loaded) {
        return loaded;
    }
    auto& settings = *loaded;
    if (options.listen) {
        auto address = config::parse_listen(*options.listen);
        if (!address) {
            return fail("--listen: " + address.error().message);
        }
        settings.listen_host = address->host;
        settings.listen_port = address->port;
    }
    if (options.data_dir) {
        settings.data_dir = std::filesystem::absolute(*options.data_dir);
    }
    return loaded;
}

} // namespace signaal
