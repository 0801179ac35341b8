// log_scan FILE --listen-host HOST... [--require-event NAME]...
// Reads every line a test's servers logged (SIGNAAL_LOG_FILE, tests/CMakeLists.txt)
// and fails, naming the line, on anything log_scan.hpp forbids; also when the
// file holds no line or lacks a required event (then the servers' lines did not
// reach the file, and a scan of nothing would pass).
#include "tests/log_scan/log_scan.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string file;
    std::vector<std::string> hosts;
    std::vector<std::string> required;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--listen-host" || args[i] == "--require-event") && i + 1 < args.size()) {
            (args[i] == "--listen-host" ? hosts : required).push_back(args[i + 1]);
            ++i;
        } else if (file.empty() && !args[i].starts_with("--")) {
            file = args[i];
        } else {
            std::cerr << "usage: log_scan FILE --listen-host HOST... [--require-event NAME]...\n";
            return 2;
        }
    }
    std::ifstream in(file);
    if (!in) {
        std::cerr << "log_scan: " << file << ": no log file; did the test run a server?\n";
        return 1;
    }
    std::map<std::string, std::size_t> events;
    std::size_t number = 0;
    std::size_t bad = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++number;
        if (const auto problem = signaal::testing::find_forbidden(line, hosts)) {
            ++bad;
            std::cerr << file << ":" << number << ": " << *problem << "\n    " << line << "\n";
        }
        ++events[signaal::testing::event_of(line)];
    }
    std::cout << file << ": " << number << " lines, " << bad << " refused\n";
    for (const auto& [event, count] : events) {
        std::cout << "  " << (event.empty() ? "(none)" : event) << ": " << count << "\n";
    }
    bool ok = bad == 0 && number > 0;
    for (const auto& event : required) {
        if (events.count(event) == 0) {
            std::cerr << file << ": no event=" << event << " line\n";
            ok = false;
        }
    }
    return ok ? 0 : 1;
}
