#pragma once
// The messages of a report as a desk reads them (PROTOCOL.md §7). A message
// from the reporter counts as hers only when its signature verifies against
// the mailbox_pk sealed INSIDE the report, never the one the server serves:
// whoever can write the database could swap that. Per sender, an n that
// repeats or falls below one already seen is flagged as a replay.
#include "server/json/json.hpp"
#include "tools/inbox/key_ring.hpp"
#include "tools/inbox/report_opener.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace signaal::inbox {

enum class message_verdict {
    verified,   // from the reporter, signed with the mailbox key sealed in the report
    desk_reply, // from a desk (sealed to the desk, so readable, but a desk signs nothing)
    rejected,   // claims to be the reporter's, and the signature does not bear it out
    unreadable, // no trusted key opens it, or it is damaged
};

struct opened_message {
    std::string id;
    std::string sender; // reporter | desk:<id>
    std::string day;
    std::vector<std::string> recipients;
    message_verdict verdict = message_verdict::unreadable;
    std::string why; // for rejected and unreadable
    std::int64_t n = 0;
    std::string lang;
    std::string text;
    std::string flag; // empty, or why it looks like a replay
};

/// Opens and judges every message of a served report (`report`, already
/// opened as `opened`), in the order served.
[[nodiscard]] std::vector<opened_message> open_messages(const json::value& report,
                                                        const opened_report& opened,
                                                        const key_ring& ring,
                                                        const std::vector<std::string>& my_desks);

/// 1 + the highest n among the readable messages of `sender`.
[[nodiscard]] std::int64_t next_n(const std::vector<opened_message>& messages,
                                  const std::string& sender);

/// Each message as a block: a header with sender, day and n, its verdict, and
/// its text (a rejected or unreadable one without text).
void print_messages(std::ostream& out, const std::vector<opened_message>& messages);
void print_message(std::ostream& out, const opened_message& message);

} // namespace signaal::inbox
