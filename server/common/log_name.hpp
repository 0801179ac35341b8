#pragma once
// The fixed words of a log line: event names, field keys and word values. They
// are string literals checked when the code compiles (consteval), so no text
// that arrived over the network can become one. A field key may not name what
// a log must never hold (an address, a port, a token, a key, a payload): such a
// key does not compile.
#include <array>
#include <string_view>

namespace signaal {

namespace log_rules {

/// [a-z][a-z0-9_]*, at most 48 characters: event names and field keys.
constexpr bool is_name(std::string_view s) {
    if (s.empty() || s.size() > 48 || s[0] < 'a' || s[0] > 'z') {
        return false;
    }
    for (const char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

/// The parts of a field key (split at '_') that name what is never logged.
inline constexpr std::array<std::string_view, 27> forbidden_key_parts{
    "addr",       "address",  "ip",         "peer",     "remote",    "client", "port",
    "host",       "agent",    "token",      "bearer",   "key",       "keys",   "secret",
    "seed",       "password", "passphrase", "cookie",   "payload",   "body",   "text",
    "ciphertext", "nonce",    "sealed",     "envelope", "envelopes", "receipt"};

/// A name no part of which is forbidden: "desk", "count", "schema" pass; "peer_ip",
/// "token", "desk_key" do not.
constexpr bool is_allowed_key(std::string_view s) {
    if (!is_name(s)) {
        return false;
    }
    std::size_t begin = 0;
    while (begin <= s.size()) {
        const auto end = s.find('_', begin);
        const auto part =
            s.substr(begin, end == std::string_view::npos ? s.size() - begin : end - begin);
        for (const auto forbidden : forbidden_key_parts) {
            if (part == forbidden) {
                return false;
            }
        }
        if (end == std::string_view::npos) {
            break;
        }
        begin = end + 1;
    }
    return true;
}

/// A fixed value from the code (an error category, a route template, a version,
/// a scheme): [A-Za-z0-9_./{}+-], 1 to 64 characters. No ':' or '@', so it
/// cannot hold an address with a port.
constexpr bool is_word(std::string_view s) {
    if (s.empty() || s.size() > 64) {
        return false;
    }
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '{' ||
                        c == '}' || c == '+' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace log_rules

/// What happened: "listening", "migration_applied". A literal; checked at compile time.
class log_event {
  public:
    consteval log_event(const char* name) : name_(name) { // NOLINT: literals convert
        if (!log_rules::is_name(name_)) {
            throw "an event name is [a-z][a-z0-9_]*";
        }
    }
    [[nodiscard]] constexpr std::string_view name() const { return name_; }
    constexpr operator std::string_view() const { return name_; } // NOLINT: reads as its name

  private:
    std::string_view name_;
};

/// A field's key: a literal that names nothing a log must never hold.
class log_key {
  public:
    consteval log_key(const char* name) : name_(name) { // NOLINT: literals convert
        if (!log_rules::is_allowed_key(name_)) {
            throw "a field key is [a-z][a-z0-9_]* and names no address, port, token, key or "
                  "payload";
        }
    }
    [[nodiscard]] constexpr std::string_view name() const { return name_; }

  private:
    std::string_view name_;
};

/// A fixed value from the code: an error category, a route template, a version.
class log_word {
  public:
    consteval log_word(const char* word) : word_(word) { // NOLINT: literals convert
        if (!log_rules::is_word(word_)) {
            throw "a word value is [A-Za-z0-9_./{}+-], 1 to 64 characters";
        }
    }
    [[nodiscard]] constexpr std::string_view text() const { return word_; }

  private:
    std::string_view word_;
};

} // namespace signaal
