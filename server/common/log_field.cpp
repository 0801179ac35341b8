#include "server/common/log_field.hpp"

namespace signaal {

namespace {

bool is_desk_id(std::string_view id) {
    if (id.empty() || id.size() > 32) {
        return false;
    }
    for (const char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

std::string cut(std::string_view text) {
    if (text.size() <= log_field::max_reason_bytes) {
        return std::string(text);
    }
    return std::string(text.substr(0, log_field::max_reason_bytes)) + "...";
}

} // namespace

log_field log_field::count(log_key key, std::uint64_t n) {
    return {key.name(), std::to_string(n)};
}

log_field log_field::word(log_key key, log_word value) {
    return {key.name(), std::string(value.text())};
}

log_field log_field::desk(std::string_view id) {
    return {"desk", is_desk_id(id) ? std::string(id) : "invalid"};
}

log_field log_field::listen(log_word scheme, std::string_view host, std::uint16_t port) {
    return {"listen",
            std::string(scheme.text()) + "://" + std::string(host) + ":" + std::to_string(port)};
}

log_field log_field::reason(const error& e) {
    return {"reason", cut(e.message)};
}

log_field log_field::startup_failure(const std::exception& e) {
    return {"reason", cut(e.what())};
}

} // namespace signaal
