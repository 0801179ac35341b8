#include "server/common/log_line.hpp"

namespace signaal {

namespace {

bool bare(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '/' || c == '{' || c == '}' || c == ':' || c == '+' || c == '@' ||
           c == '[' || c == ']' || c == '-';
}

void append_value(std::string& line, std::string_view value) {
    bool plain = !value.empty();
    for (const char c : value) {
        plain = plain && bare(c);
    }
    if (plain) {
        line += value;
        return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    line += '"';
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            line += '\\';
            line += c;
        } else if (c == '\n') {
            line += "\\n";
        } else if (c == '\r') {
            line += "\\r";
        } else if (c == '\t') {
            line += "\\t";
        } else if (byte < 0x20 || byte >= 0x7f) {
            line += "\\x";
            line += hex[byte >> 4];
            line += hex[byte & 0x0f];
        } else {
            line += c;
        }
    }
    line += '"';
}

} // namespace

std::string format_log_line(log_level level, log_event event, std::span<const log_field> fields) {
    std::string line = "level=";
    line += log_level_name(level);
    line += " event=";
    line += event.name();
    for (const auto& f : fields) {
        line += ' ';
        line += f.key();
        line += '=';
        append_value(line, f.value());
    }
    line += '\n';
    return line;
}

} // namespace signaal
