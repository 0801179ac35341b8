#pragma once
// Checks a POST /api/v1/reports body against PROTOCOL.md §5, before anything
// is stored: types and lengths, bucket, known ids, consent ∩ routing, key ids.
// The proof of work's token and nonce are only checked for shape here; the
// caller verifies them last, as the protocol orders.
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

struct submission_result {
    std::optional<submission> value;
    response refusal; // meaningful when value is empty
};

[[nodiscard]] submission_result check_submission(const json::value& body,
                                                 const config::settings& settings,
                                                 const desk_keys_view& keys);

} // namespace signaal::api
