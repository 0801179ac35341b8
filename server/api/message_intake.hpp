#pragma once
// The shape checks of the two message bodies of PROTOCOL.md §7 (`400` for
// anything of the wrong type or length): a reporter's
// {"report_id", "nonce", "ciphertext", "envelopes", "signature"} and a desk's
// {"desk", "nonce", "ciphertext", "envelopes"}. What the envelopes may be
// addressed to, and the signature, are checked by the routes afterwards.
#include "server/api/message.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"
#include "server/store/messages.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signaal::api {

struct message_submission {
    std::vector<std::uint8_t> report_id; // the reporter's body only
    std::string desk;                    // the desk's body only
    store::message_record message;       // recipients sorted; no id or day yet
};

/// Desk envelopes {"key_id", "sealed"}; `reporter` {"sealed"}.
[[nodiscard]] answer_or<message_submission> read_reporter_message(const json::value& body,
                                                                  const config::settings& settings);

/// Desk envelopes {"key_id", "sealed"}; `reporter` {"key_id", "nonce", "box"}.
[[nodiscard]] answer_or<message_submission> read_desk_reply(const json::value& body,
                                                            const config::settings& settings);

} // namespace signaal::api
