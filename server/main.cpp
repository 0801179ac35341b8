// signaal-server: parses its command line and runs the server.
#include "server/http/server.hpp"
#include "server/server_options.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    const auto parsed = signaal::parse_server_options({argv + 1, argv + argc});
    if (!parsed) {
        std::cerr << "signaal-server: " << parsed.error().message << "\n";
        return 2;
    }
    if (parsed->help) {
        std::cout << signaal::server_usage();
        return 0;
    }
    auto settings = signaal::load_server_settings(*parsed);
    if (!settings) {
        std::cerr << "signaal-server: " << settings.error().message << "\n";
        return 2;
    }
    try {
        signaal::http::server server(std::move(*settings));
        server.run(std::cout);
    } catch (const std::exception& e) {
        std::cerr << "signaal-server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
