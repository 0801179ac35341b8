#pragma once
// A reporter withdraws her report (PROTOCOL.md §7), inside one writer job:
// ciphertext, nonce, envelopes, messages, reply keys, consent changes,
// pending desks and status history are deleted for good (the connection runs with secure_delete);
// what §8 counts stays (received day, role, category, kind, desks, per desk the days of the first
// acknowledgement and close); every desk holding an envelope of the report gets `withdrawn`. The
// caller adds the withdrawal day (stats::mark_withdrawn) and forgets the report in the audit trail
// in the same job, and has the WAL checkpointed after the commit.
#include "server/common/result.hpp"
#include "server/store/write_job.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace signaal::store {

/// Withdraws the report `report_id` if its mailbox is `mailbox_pk`: the
/// report's desks, or nullopt (nothing changed) when there is no such report
/// with that mailbox (never was, another one, or already withdrawn).
[[nodiscard]] result<std::optional<std::vector<std::string>>>
withdraw_report(job_context& job, std::span<const std::uint8_t> report_id,
                std::span<const std::uint8_t> mailbox_pk);

} // namespace signaal::store
