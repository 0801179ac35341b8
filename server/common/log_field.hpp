#pragma once
// One key=value of a log line. Fields are made only by the factories below,
// each for one kind of value the server may log: numbers, fixed words of the
// code, desk ids, the server's own listen address, and the plain sentence of a
// signaal::error. There is no factory for text that came over the network.
#include "server/common/log_name.hpp"
#include "server/common/result.hpp"

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace signaal {

class log_field {
  public:
    /// A number: a count, a schema version, seconds.
    [[nodiscard]] static log_field count(log_key key, std::uint64_t n);
    /// A fixed word of the code: an error category, a route template, a version.
    [[nodiscard]] static log_field word(log_key key, log_word value);
    /// `desk=ID`; a value that is not a desk id ([a-z0-9_-]{1,32}) is written as "invalid".
    [[nodiscard]] static log_field desk(std::string_view id);
    /// `listen=SCHEME://HOST:PORT`: the server's OWN bound address, never a peer's
    /// (the log scan allows an address in this field only).
    [[nodiscard]] static log_field listen(log_word scheme, std::string_view host,
                                          std::uint16_t port);
    /// `reason="..."`: the sentence of a signaal::error, which never holds request
    /// data or secrets (result.hpp). Quoted and escaped; cut at max_reason_bytes.
    [[nodiscard]] static log_field reason(const error& e);
    /// `reason="..."` for an exception thrown at start-up, before anything was
    /// served (start-up throws plain messages about files and settings only).
    [[nodiscard]] static log_field startup_failure(const std::exception& e);

    static constexpr std::size_t max_reason_bytes = 300;

    [[nodiscard]] std::string_view key() const { return key_; }
    /// The value as given (the line formatter quotes and escapes it).
    [[nodiscard]] const std::string& value() const { return value_; }

  private:
    log_field(std::string_view key, std::string value) : key_(key), value_(std::move(value)) {}

    std::string_view key_; // always a literal
    std::string value_;
};

} // namespace signaal
