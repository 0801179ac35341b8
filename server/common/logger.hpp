#pragma once
// The server's log: one logfmt line per event (log_line.hpp), at or above the
// configured level ([log] level), to every sink. Thread-safe; each line is
// formatted whole and handed to each sink once.
//
// What it cannot say: fields come only from log_field's factories (numbers,
// fixed words, desk ids, the own listen address, error sentences), and keys
// naming addresses, ports, tokens, keys or payloads do not compile. No time of
// day: journald stamps each line, and the server keeps no clock text anywhere.
#include "server/common/log_field.hpp"
#include "server/common/log_level.hpp"
#include "server/common/log_sink.hpp"

#include <initializer_list>
#include <mutex>
#include <vector>

namespace signaal {

class logger {
  public:
    logger(log_level level, std::vector<log_sink> sinks);
    logger(const logger&) = delete;
    logger& operator=(const logger&) = delete;

    [[nodiscard]] log_level level() const { return level_; }
    /// Would a line at `level` be written?
    [[nodiscard]] bool enabled(log_level level) const { return level <= level_; }

    void log(log_level level, log_event event, std::initializer_list<log_field> fields = {});
    void error(log_event event, std::initializer_list<log_field> fields = {}) {
        log(log_level::error, event, fields);
    }
    void warn(log_event event, std::initializer_list<log_field> fields = {}) {
        log(log_level::warn, event, fields);
    }
    void info(log_event event, std::initializer_list<log_field> fields = {}) {
        log(log_level::info, event, fields);
    }
    void debug(log_event event, std::initializer_list<log_field> fields = {}) {
        log(log_level::debug, event, fields);
    }

  private:
    const log_level level_;
    std::mutex mutex_;
    std::vector<log_sink> sinks_; // called under mutex_
};

} // namespace signaal
