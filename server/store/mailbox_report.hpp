#pragma once
// The report a mailbox serves (PROTOCOL.md §7), found by the mailbox_pk that
// signed in. A receipt no report carries and a withdrawn report (its reply
// keys are gone) both find nothing: the same path, the same empty mailbox.
#include "server/common/result.hpp"
#include "server/store/database.hpp"
#include "server/store/messages.hpp"
#include "server/store/report_readers.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace signaal::store {

struct mailbox_report {
    std::int64_t no = 0;
    std::vector<std::uint8_t> id; // 16 bytes
    std::string received_day;     // YYYY-MM-DD
    std::string category;
    // Current desks (holding an envelope), pending desks, current consent and
    // every consent change (PROTOCOL.md §7; the mailbox view's extension in
    // docs/protocol-notes.md): what her page needs for her next change.
    std::vector<std::string> desks, pending, consent;
    std::vector<consent_change_record> consent_changes;
    std::map<std::string, std::string> status; // every desk of the report
    std::vector<std::uint8_t> box_pk;          // the report's reply box_pk
};

/// The report whose reply_mailbox_pk is `mailbox_pk`, or nullopt.
[[nodiscard]] result<std::optional<mailbox_report>>
find_mailbox_report(database& db, std::span<const std::uint8_t> mailbox_pk);

/// The reply box_pk of report `report_no`; empty when it has no mailbox.
[[nodiscard]] result<std::vector<std::uint8_t>> reply_box_of(database& db, std::int64_t report_no);

struct mailbox_view {
    std::optional<mailbox_report> report;
    std::vector<message_record> messages; // those with a `reporter` envelope, cut to it
};

/// GET /api/v1/mailbox in one snapshot.
[[nodiscard]] result<mailbox_view> read_mailbox(database& db,
                                                std::span<const std::uint8_t> mailbox_pk);

} // namespace signaal::store
