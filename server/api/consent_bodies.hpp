#pragma once
// The shape checks of the two bodies of stepped consent (PROTOCOL.md §7),
// `400` for anything of the wrong type or length, before any other check: a
// reporter's {"report_id", "change", "add", "remove", "signature"} and a
// caseworker's {"envelopes": {desk: {"key_id", "sealed"}}}.
#include "server/api/message.hpp"
#include "server/json/json.hpp"
#include "server/store/records.hpp"
#include "server/store/report_readers.hpp"

#include <cstdint>
#include <vector>

namespace signaal::api {

struct consent_change_body {
    std::vector<std::uint8_t> report_id; // 16 bytes
    store::consent_change_record change; // add and remove sorted; no day yet
};

/// `change` a whole number from 1; `add` and `remove` arrays of desk ids, not
/// both empty, no id twice and none in both; sorted here, as they are signed.
[[nodiscard]] answer_or<consent_change_body> read_consent_change(const json::value& body);

/// At least one envelope; each desk id valid, key_id 8 bytes, sealed 80 bytes.
/// Sorted by desk.
[[nodiscard]] answer_or<std::vector<store::envelope>>
read_forward_envelopes(const json::value& body);

} // namespace signaal::api
