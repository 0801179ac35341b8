#include "server/notify/notice.hpp"

namespace signaal::notify {

std::string compose_notice(std::string_view from, std::string_view desk_name,
                           std::string_view inbox_url) {
    std::string name;
    for (const char c : desk_name) {
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) {
            name += c;
        }
    }
    // The addresses travel in the SMTP envelope only, so colleagues do not see
    // each other's; the subject is plain ASCII, the desk's name (maybe not
    // ASCII) is in the UTF-8 body.
    std::string m;
    m += "From: " + std::string(from) + "\r\n";
    m += "To: undisclosed-recipients:;\r\n";
    m += "Subject: New signals\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: 8bit\r\n";
    m += "\r\n";
    m += "There are new signals for " + name + ".\r\n";
    m += "\r\n";
    m += std::string(inbox_url) + "\r\n";
    return m;
}

} // namespace signaal::notify
