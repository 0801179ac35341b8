#pragma once
// A report's consent changes as served (PROTOCOL.md §7), in the report view
// and the mailbox view alike: [{"change", "day", "add", "remove",
// "signature"}], ascending, so any desk can check each against the
// `mailbox_pk` inside the decrypted report.
#include "server/json/json.hpp"
#include "server/store/report_readers.hpp"

#include <vector>

namespace signaal::api {

[[nodiscard]] json::array
consent_change_list(const std::vector<store::consent_change_record>& changes);

} // namespace signaal::api
