#include "server/common/logger.hpp"

#include "server/common/log_line.hpp"

namespace signaal {

logger::logger(log_level level, std::vector<log_sink> sinks)
    : level_(level), sinks_(std::move(sinks)) {}

void logger::log(log_level level, log_event event, std::initializer_list<log_field> fields) {
    if (!enabled(level)) {
        return;
    }
    const auto line = format_log_line(level, event, {fields.begin(), fields.size()});
    std::lock_guard lock(mutex_);
    for (const auto& sink : sinks_) {
        sink(line);
    }
}

} // namespace signaal
