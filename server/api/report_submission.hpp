#pragma once
// Checks a POST /api/v1/reports body against PROTOCOL.md §5, before anything
// is stored, in the protocol's order: types and lengths and the bucket (400),
// known ids (422), consent ∩ routing (422), key ids (409). A pure function: the
// load check comes before it, the proof of work after it (the caller's).
#include "server/api/desk_keys_view.hpp"
#include "server/api/message.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"
#include "server/store/records.hpp"

#include <optional>

namespace signaal::api {

struct submission {
    store::report_record report; // id and received_day left empty
    std::vector<std::uint8_t> pow_token;
    std::vector<std::uint8_t> pow_nonce;
    bool has_pow = false; // a missing proof of work is the caller's 403
};

/// The checked submission, or the first refusal. `now_unix` decides whether a
/// rotated-out desk key is still in its grace period.
[[nodiscard]] answer_or<submission> check_submission(const json::value& body,
                                                     const config::settings& settings,
                                                     const desk_keys_view& keys,
                                                     std::int64_t now_unix);

} // namespace signaal::api
