#pragma once
// A sealed message as served (PROTOCOL.md §7): {"id", "report_id", "day",
// "sender", "recipients", "nonce", "ciphertext", "envelopes"} plus
// "signature" from the reporter. The envelopes are those the record holds,
// already cut down to what the reader may open.
#include "server/json/json.hpp"
#include "server/store/messages.hpp"

#include <cstdint>
#include <span>

namespace signaal::api {

[[nodiscard]] json::object message_document(const store::message_record& message,
                                            std::span<const std::uint8_t> report_id);

[[nodiscard]] json::array message_list(const std::vector<store::message_record>& messages,
                                       std::span<const std::uint8_t> report_id);

} // namespace signaal::api
