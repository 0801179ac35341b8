#pragma once
// A report as one reader (a caseworker with some desks) may see it
// (PROTOCOL.md §6 "Inbox and reports"): the stored fields of §5 with the
// envelopes cut down to the reader's desks, and the status of each of the
// reader's desks that the report has. A report that none of the reader's desks
// holds an envelope of, or waits for one of (pending, §7 stepped consent), is
// not found, exactly as one that does not exist.
#include "server/common/result.hpp"
#include "server/store/database.hpp"
#include "server/store/messages.hpp"
#include "server/store/records.hpp"
#include "server/store/report_readers.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace signaal::store {

struct report_view {
    std::vector<std::uint8_t> id; // 16 bytes
    std::string received_day;     // YYYY-MM-DD
    std::string role, category;
    // Current consent and desks (holding an envelope), those as sealed (for
    // the AD), the pending desks and every signed change (§7 stepped consent).
    std::vector<std::string> consent, desks;
    std::vector<std::string> sealed_consent, sealed_desks, pending;
    std::vector<consent_change_record> consent_changes;
    std::vector<std::uint8_t> nonce, ciphertext;              // empty for count-only
    std::vector<envelope> envelopes;                          // the reader's desks only
    std::vector<std::uint8_t> reply_box_pk, reply_mailbox_pk; // empty without a mailbox
    std::map<std::string, std::string> status;                // the reader's desks only
    std::vector<message_record> messages; // with an envelope for the reader's desks, cut to them
};

/// The report's internal number, the reader's desks it is routed to (that
/// hold an envelope of it) and the reader's desks it is pending for, both
/// sorted; nullopt when the report does not exist or is neither routed nor
/// pending for any of `reader_desks`. A reader with pending desks only may
/// read the view, and nothing else (PROTOCOL.md §7: 403).
struct routed_report {
    std::int64_t no = 0;
    std::vector<std::string> reader_desks;
    std::vector<std::string> pending_reader_desks;
};
[[nodiscard]] result<std::optional<routed_report>>
find_routed_report(database& db, std::span<const std::uint8_t> id,
                   const std::vector<std::string>& reader_desks);

/// The report as `reader_desks` see it, read in one snapshot; nullopt when
/// find_routed_report() would give nullopt.
[[nodiscard]] result<std::optional<report_view>>
read_report_view(database& db, std::span<const std::uint8_t> id,
                 const std::vector<std::string>& reader_desks);

} // namespace signaal::store
