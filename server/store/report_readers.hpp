#pragma once
// Who reads a report now (PROTOCOL.md §7, stepped consent): the desks holding
// an envelope, the desks the reporter added that wait for one (pending), the
// consent and desks it was sealed with (its AD), and every consent change she
// signed. The current consent is derived, never stored twice: the sealed
// consent with each change's added desks joined and removed desks taken out.
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signaal::store {

/// One signed change, as stored and served.
struct consent_change_record {
    std::int64_t change = 0;              // 1, 2, ... per report
    std::int64_t day = 0;                 // days since 1970-01-01 UTC
    std::vector<std::string> add, remove; // sorted
    std::vector<std::uint8_t> signature;  // 64 bytes, by the report's mailbox key
};

struct report_readers {
    std::vector<std::string> sealed_consent, sealed_desks; // sorted, as sealed (AD)
    std::vector<std::string> desks;                        // holding an envelope, sorted
    std::vector<std::string> pending;                      // added, waiting for an envelope, sorted
    std::vector<std::string> consent;                      // current, sorted
    std::vector<consent_change_record> changes;            // ascending
};

/// The sealed consent with `changes` applied in order: sorted, no repeats.
[[nodiscard]] std::vector<std::string>
current_consent(const std::vector<std::string>& sealed_consent,
                const std::vector<consent_change_record>& changes);

/// The readers of report `report_no` (inside the caller's transaction or job).
[[nodiscard]] result<report_readers> read_report_readers(database& db, std::int64_t report_no);

/// Is `id` in the sorted-or-not list `ids`?
[[nodiscard]] bool among(const std::vector<std::string>& ids, const std::string& id);

} // namespace signaal::store
