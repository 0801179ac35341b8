#include "crypto/associated_data.hpp"

#include "crypto/id_list.hpp"

namespace signaal::crypto {

std::string report_ad(std::string_view role, std::string_view category,
                      std::span<const std::string> consent, std::span<const std::string> desks) {
    std::string ad = "signaal/report/v1\n";
    ad.append(role).append("\n");
    ad.append(category).append("\n");
    ad.append(join_sorted(consent)).append("\n");
    ad.append(join_sorted(desks));
    return ad;
}

std::string message_ad(std::string_view report_id_b64, std::string_view sender,
                       std::span<const std::string> recipients) {
    std::string ad = "signaal/message/v1\n";
    ad.append(report_id_b64).append("\n");
    ad.append(sender).append("\n");
    ad.append(join_sorted(recipients));
    return ad;
}

} // namespace signaal::crypto
