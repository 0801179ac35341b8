#pragma once
// A report's consent changes as a desk client checks them (PROTOCOL.md §7,
// stepped consent). Each change must be signed with the mailbox_pk sealed
// INSIDE the report (never the reply key the server serves beside it: whoever
// can write the database could swap that), the numbers run 1, 2, … without a
// gap, and replaying the changes from the consent and desks the report was
// sealed with must give exactly the served consent and desks ∪ pending. A
// client forwards a report only when all of that holds.
#include "server/common/result.hpp"
#include "server/json/json.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace signaal::inbox {

struct consent_change {
    std::int64_t change = 0;
    std::string day;
    std::vector<std::string> add;
    std::vector<std::string> remove;
    std::string signature; // base64url, as served
    bool verified = false; // her signature, under the sealed mailbox key
    std::string problem;   // empty when the change is verified and fits the history
};

/// What a report view says about its readers (§6, §7), every list sorted.
struct served_consent {
    std::vector<std::string> sealed_consent;
    std::vector<std::string> sealed_desks;
    std::vector<std::string> consent; // current
    std::vector<std::string> desks;   // holding an envelope
    std::vector<std::string> pending; // waiting for one
    std::vector<consent_change> changes;
};

/// Reads the served fields; a malformed change list is an error. A view
/// without "sealed_consent" (a server before stepped consent) has no changes:
/// sealed and current are the same.
[[nodiscard]] result<served_consent> read_served_consent(const json::value& report);

struct consent_history {
    std::vector<consent_change> changes;       // each judged
    std::vector<std::string> replayed_consent; // sealed consent + added − removed
    std::vector<std::string> replayed_desks;   // sealed desks + added − removed
    std::vector<std::string> problems;         // sentences; empty when the history holds
    [[nodiscard]] bool holds() const { return problems.empty(); }
};

/// Judges the served history of `report_id` (as the caller asked for it:
/// the signature covers it) against `sealed_mailbox_pk` (base64url, from the
/// decrypted report; empty when the reporter sealed none).
[[nodiscard]] consent_history check_consent_history(const std::string& report_id,
                                                    const served_consent& served,
                                                    const std::string& sealed_mailbox_pk);

/// One line per change with its verdict, then the history's verdict (or a
/// WARNING with each problem). Nothing when there are no changes and nothing
/// is wrong.
void print_consent_history(std::ostream& out, const consent_history& history);

} // namespace signaal::inbox
