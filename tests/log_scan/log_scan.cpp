#include "tests/log_scan/log_scan.hpp"

#include "server/common/log_name.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace signaal::testing {

namespace {

// level=W event=NAME, then key=value fields: bare values of the plain
// characters, or quoted ones with backslash escapes.
const std::regex structured(R"(level=(error|warn|info|debug) event=[a-z][a-z0-9_]*)"
                            R"(( [a-z][a-z0-9_]*=("([^"\\]|\\.)*"|[A-Za-z0-9_./{}:+@\[\]-]+))*)");
const std::regex field(R"(([a-z][a-z0-9_]*)=("([^"\\]|\\.)*"|[A-Za-z0-9_./{}:+@\[\]-]+))");
const std::regex listen_value(R"(https?://(\[[0-9a-fA-F:.]+\]|[0-9.]+|[a-z0-9.-]+):[0-9]{1,5})");

const std::regex ipv4(R"((^|[^0-9.])([0-9]{1,3}\.){3}[0-9]{1,3}([^0-9.]|$))");
const std::regex
    ipv6(R"((^|[^0-9A-Za-z:])[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}([^0-9A-Za-z:]|$))");
const std::regex port(R"(:[0-9]{1,5}([^0-9]|$))");
// PROTOCOL.md §1: every binary value (token, key, id) is base64url without
// padding. A run right after '/' is a path's component (a temporary folder
// named in an error sentence), not a value of the protocol.
const std::regex base64_run(R"((^|[^/A-Za-z0-9_-])([A-Za-z0-9_-]{22,}))");
const std::regex hex_run(R"([0-9A-Fa-f]{32,})");
const std::regex receipt_groups(
    R"((^|[^0-9A-Za-z])[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}([^0-9A-Za-z]|$))");
const std::regex receipt_plain(R"((^|[^0-9A-Za-z])([0-9A-Za-z]{16})([^0-9A-Za-z]|$))");

bool has_all_classes(std::string_view s) {
    const auto any = [&](auto pred) { return std::any_of(s.begin(), s.end(), pred); };
    return any([](char c) { return c >= 'A' && c <= 'Z'; }) &&
           any([](char c) { return c >= 'a' && c <= 'z'; }) &&
           any([](char c) { return c >= '0' && c <= '9'; });
}

bool has_digit_and_letter(std::string_view s) {
    const auto any = [&](auto pred) { return std::any_of(s.begin(), s.end(), pred); };
    return any([](char c) { return c >= '0' && c <= '9'; }) &&
           any([](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::string event_of(std::string_view line) {
    static const std::regex event(R"(^level=[a-z]+ event=([a-z][a-z0-9_]*))");
    std::match_results<std::string_view::const_iterator> m;
    if (std::regex_search(line.begin(), line.end(), m, event)) {
        return m[1].str();
    }
    return {};
}

std::optional<std::string> find_forbidden(std::string_view line,
                                          const std::vector<std::string>& listen_hosts) {
    if (!std::regex_match(line.begin(), line.end(), structured)) {
        return "not one structured line (level=... event=... key=value ...)";
    }
    // Every key must be one the logger allows; the listen field's address must be ours.
    std::string rest; // the line without its listen= field, for the checks below
    auto from = line.begin();
    for (std::regex_iterator<std::string_view::const_iterator> it(line.begin(), line.end(), field),
         end;
         it != end; ++it) {
        const auto& m = *it;
        const auto key = m[1].str();
        const auto value = m[2].str();
        if (key != "level" && key != "event" && key != "listen" &&
            !log_rules::is_allowed_key(key)) {
            return "a field named " + key;
        }
        if (key == "listen") {
            std::smatch v;
            if (!std::regex_match(value, v, listen_value)) {
                return "a listen field that is not SCHEME://HOST:PORT";
            }
            auto host = v[1].str();
            if (host.starts_with('[')) {
                host = host.substr(1, host.size() - 2);
            }
            if (std::find(listen_hosts.begin(), listen_hosts.end(), host) == listen_hosts.end()) {
                return "a listen address that is not a configured one: " + host;
            }
            rest.append(from, m[0].first);
            from = m[0].second;
        }
    }
    rest.append(from, line.end());

    if (std::regex_search(rest, ipv4)) {
        return "an IPv4 address outside the listen field";
    }
    if (std::regex_search(rest, ipv6)) {
        return "an IPv6 address outside the listen field";
    }
    if (std::regex_search(rest, port)) {
        return "a port number (:N) outside the listen field";
    }
    const auto text = lower(rest);
    for (const auto* word : {"bearer", "authorization", "cookie", "user-agent", "user_agent"}) {
        if (text.find(word) != std::string::npos) {
            return std::string("the word \"") + word + "\" (a token or header)";
        }
    }
    for (const auto* word : {"ciphertext", "nonce", "sealed", "envelope", "mailbox_pk", "box_pk"}) {
        if (text.find(word) != std::string::npos) {
            return std::string("a payload field name: ") + word;
        }
    }
    for (std::sregex_iterator it(rest.begin(), rest.end(), base64_run), end; it != end; ++it) {
        if (has_all_classes((*it)[2].str())) {
            return "a base64 run of " + std::to_string((*it)[2].length()) +
                   " characters (a token, key or id)";
        }
    }
    if (std::smatch m; std::regex_search(rest, m, hex_run)) {
        return "a hex run of " + std::to_string(m.length()) + " characters (a key or hash)";
    }
    if (std::regex_search(rest, receipt_groups)) {
        return "a receipt code (XXXX-XXXX-XXXX-XXXX)";
    }
    for (std::sregex_iterator it(rest.begin(), rest.end(), receipt_plain), end; it != end; ++it) {
        if (has_digit_and_letter((*it)[2].str())) {
            return "a receipt code (16 characters)";
        }
    }
    return std::nullopt;
}

} // namespace signaal::testing
