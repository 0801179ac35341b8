#include "crypto/consent_signature.hpp"

#include "crypto/id_list.hpp"

namespace signaal::crypto {

bytes consent_signed_bytes(std::string_view report_id_b64, std::uint64_t change,
                           std::span<const std::string> add, std::span<const std::string> remove) {
    std::string text = "signaal/consent/v1\n";
    text.append(report_id_b64).append("\n");
    text.append(std::to_string(change)).append("\n");
    text.append(join_sorted(add)).append("\n");
    text.append(join_sorted(remove));
    const byte_view b = as_bytes(text);
    return {b.begin(), b.end()};
}

} // namespace signaal::crypto
