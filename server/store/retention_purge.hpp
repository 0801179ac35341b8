#pragma once
// Retention (config reports.retention_days): a report received before a day
// loses for good what a withdrawal takes (withdrawal.hpp): ciphertext, nonce,
// envelopes, messages with their envelopes, reply keys, the ticked consent
// beyond its desks, stepped-consent rows (schema 7, when present) and the
// status history; its events go too, and its id leaves the audit trail. What
// PROTOCOL.md §8 counts stays (received day, role, category, kind, desks, per
// desk the days of the first acknowledgement and close, the withdrawal day),
// so quarters frozen later still count the report. The connection runs with
// secure_delete; the caller checkpoints the WAL (TRUNCATE) after the commit.
//
// One event per desk is kept even when its report is purged: the desk's
// newest, because the next event's seq is the desk's max + 1 and a client that
// saw seq N must never be sent a new event numbered N or lower.
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <cstddef>
#include <cstdint>

namespace signaal::store {

struct purge_outcome {
    /// Reports whose text, keys or envelopes were purged in this call.
    std::size_t reports = 0;
    /// Whether any row changed (also events and audit rows of reports purged
    /// earlier or withdrawn): the caller then checkpoints the WAL.
    bool changed = false;
};

/// Purges at most `max_reports` reports received before `before_day` (days
/// since 1970-01-01) that still hold anything to purge, and, once fewer than
/// that were left, the events and audit report ids of every report received
/// before that day. Inside the caller's transaction (or savepoint): the
/// server's writer job, or signaal-admin's own. Call again while
/// `reports == max_reports`.
[[nodiscard]] result<purge_outcome> purge_reports_before(database& db, std::int64_t before_day,
                                                         std::size_t max_reports);

/// Checkpoints the WAL and truncates it to zero bytes, so no frame of what was
/// purged lingers in it. Fails when a reader kept it from finishing.
[[nodiscard]] status truncate_wal(database& db);

} // namespace signaal::store
