#pragma once
// A report as GET /api/v1/reports/<id> serves it, opened with a trusted desk
// key (PROTOCOL.md §5): the envelope of one of the caller's desks gives the
// report key, the AD is rebuilt from the consent and desks it was sealed with,
// and the padding is stripped. A report whose envelope names a key that is not
// trusted (not granted, refused by a check, or not pinned) is refused.
#include "crypto/secret.hpp"
#include "server/json/json.hpp"
#include "tools/inbox/key_ring.hpp"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace signaal::inbox {

struct opened_report {
    std::string id;
    std::string received_day;
    std::string role;
    std::string category;
    std::vector<std::string> consent;
    std::vector<std::string> desks;
    std::vector<std::string> pending;
    std::map<std::string, std::string> status; // of the caller's desks
    bool count_only = false;
    const desk_key* opened_with = nullptr; // null for a count-only report
    json::object plaintext;
    crypto::secret_bytes report_key; // K, for sealing it to a newly added desk (forward)
    bool mailbox = false;            // the server says the report has a mailbox
    std::string sealed_box_pk;       // the `reply` inside the decrypted report (base64url),
    std::string sealed_mailbox_pk;   // empty when the reporter sealed none
    bool reply_keys_differ = false;  // the served reply keys are not the sealed ones
};

/// The served fields of a report, without opening it (list).
[[nodiscard]] result<opened_report> read_report_fields(const json::value& report);

/// Opens a served report; a refusal names the desk and key id.
[[nodiscard]] result<opened_report> open_report(const json::value& report, const key_ring& ring,
                                                const std::vector<std::string>& my_desks);

/// Writes the fields, then "text:" and the text as the reporter typed it
/// (control characters shown as \xNN).
void print_report(std::ostream& out, const opened_report& report);

/// "care: new, police: closed".
[[nodiscard]] std::string status_line(const std::map<std::string, std::string>& status);

} // namespace signaal::inbox
