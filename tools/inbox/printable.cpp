#include "tools/inbox/printable.hpp"

#include <cstdio>

namespace signaal::inbox {

std::string printable(std::string_view text, bool keep_line_ends) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool line_end = c == '\n' || c == '\t';
        // C1 controls arrive in UTF-8 as 0xC2 0x80..0x9F.
        const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                        static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if ((c < 0x20 && !(keep_line_ends && line_end)) || c == 0x7F || c1) {
            char buffer[8];
            const unsigned shown = c1 ? static_cast<unsigned char>(text[++i]) : c;
            std::snprintf(buffer, sizeof buffer, "\\x%02X", shown);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

} // namespace signaal::inbox
