#include "crypto/associated_data.hpp"

#include <algorithm>
#include <vector>

namespace signaal::crypto {

namespace {

/// Bytewise order: char_traits<char> compares as unsigned char.
std::string sorted_join(std::span<const std::string> items) {
    std::vector<std::string_view> sorted(items.begin(), items.end());
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i != 0) {
            out.push_back(',');
        }
        out.append(sorted[i]);
    }
    return out;
}

} // namespace

std::string report_ad(std::string_view role, std::string_view category,
                      std::span<const std::string> consent, std::span<const std::string> desks) {
    std::string ad = "signaal/report/v1\n";
    ad.append(role).append("\n");
    ad.append(category).append("\n");
    ad.append(sorted_join(consent)).append("\n");
    ad.append(sorted_join(desks));
    return ad;
}

std::string message_ad(std::string_view report_id_b64, std::string_view sender,
                       std::span<const std::string> recipients) {
    std::string ad = "signaal/message/v1\n";
    ad.append(report_id_b64).append("\n");
    ad.append(sender).append("\n");
    ad.append(sorted_join(recipients));
    return ad;
}

} // namespace signaal::crypto
