#include "tools/inbox/consent_history.hpp"

#include "crypto/base64url.hpp"
#include "crypto/consent_signature.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "tools/inbox/printable.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace signaal::inbox {
namespace {

/// A list of desk ids, sorted; nullopt when it is not a list of valid ids.
std::optional<std::vector<std::string>> id_list(const json::value* v) {
    if (v == nullptr || !v->is_array()) {
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : v->as_array()) {
        if (!item.is_string() || !config::valid_id(item.as_string())) {
            return std::nullopt;
        }
        out.emplace_back(item.as_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + printable(item);
    }
    return out.empty() ? "-" : out;
}

std::vector<std::string> sorted(const std::set<std::string>& items) {
    return {items.begin(), items.end()};
}

bool has_duplicates(const std::vector<std::string>& sorted_items) {
    return std::adjacent_find(sorted_items.begin(), sorted_items.end()) != sorted_items.end();
}

/// Why a change does not stand on its own (numbering aside), or "".
std::string own_problem(const std::string& report_id, const consent_change& c,
                        const std::optional<crypto::bytes>& mailbox_pk) {
    if (c.add.empty() && c.remove.empty()) {
        return "it adds and removes nothing";
    }
    if (has_duplicates(c.add) || has_duplicates(c.remove)) {
        return "it names a desk twice";
    }
    for (const auto& desk : c.add) {
        if (std::binary_search(c.remove.begin(), c.remove.end(), desk)) {
            return "it adds and removes " + desk;
        }
    }
    if (!mailbox_pk) {
        return "the report has no mailbox key sealed inside, so no change can be the reporter's";
    }
    const auto signature = crypto::base64url_decode_exact(c.signature, crypto::signature_size);
    const auto message = crypto::consent_signed_bytes(
        report_id, static_cast<std::uint64_t>(c.change), c.add, c.remove);
    if (!signature || c.change < 1 || !crypto::verify_detached(*signature, message, *mailbox_pk)) {
        return "its signature does not verify against the mailbox key sealed in the report";
    }
    return {};
}

} // namespace

result<served_consent> read_served_consent(const json::value& report) {
    served_consent s;
    const auto malformed = [](const std::string& what) {
        return signaal::fail("the server's report view has a malformed " + what);
    };
    auto consent = id_list(json::find(report, "consent"));
    auto desks = id_list(json::find(report, "desks"));
    if (!consent || !desks) {
        return malformed("\"consent\" or \"desks\"");
    }
    s.consent = std::move(*consent);
    s.desks = std::move(*desks);
    if (json::find(report, "sealed_consent") == nullptr) {
        s.sealed_consent = s.consent; // a server before stepped consent
        s.sealed_desks = s.desks;
        return s;
    }
    auto sealed_consent = id_list(json::find(report, "sealed_consent"));
    auto sealed_desks = id_list(json::find(report, "sealed_desks"));
    auto pending = json::find(report, "pending") == nullptr
                       ? std::optional<std::vector<std::string>>(std::vector<std::string>{})
                       : id_list(json::find(report, "pending"));
    if (!sealed_consent || !sealed_desks || !pending) {
        return malformed("\"sealed_consent\", \"sealed_desks\" or \"pending\"");
    }
    s.sealed_consent = std::move(*sealed_consent);
    s.sealed_desks = std::move(*sealed_desks);
    s.pending = std::move(*pending);
    const auto* changes = json::find(report, "consent_changes");
    if (changes == nullptr) {
        return s;
    }
    if (!changes->is_array()) {
        return malformed("\"consent_changes\"");
    }
    for (const auto& item : changes->as_array()) {
        consent_change c;
        const auto* number = json::find(item, "change");
        const auto* day = json::find(item, "day");
        const auto* signature = json::find(item, "signature");
        auto add = id_list(json::find(item, "add"));
        auto remove = id_list(json::find(item, "remove"));
        if (number == nullptr || !number->is_int64() || day == nullptr || !day->is_string() ||
            signature == nullptr || !signature->is_string() || !add || !remove) {
            return malformed("consent change");
        }
        c.change = number->as_int64();
        c.day = std::string(day->as_string());
        c.signature = std::string(signature->as_string());
        c.add = std::move(*add);
        c.remove = std::move(*remove);
        s.changes.push_back(std::move(c));
    }
    return s;
}

consent_history check_consent_history(const std::string& report_id, const served_consent& served,
                                      const std::string& sealed_mailbox_pk) {
    consent_history h;
    const auto mailbox_pk =
        sealed_mailbox_pk.empty()
            ? std::nullopt
            : crypto::base64url_decode_exact(sealed_mailbox_pk, crypto::sign_public_key_size);
    std::set<std::string> consent(served.sealed_consent.begin(), served.sealed_consent.end());
    std::set<std::string> desks(served.sealed_desks.begin(), served.sealed_desks.end());
    std::int64_t due = 1;
    for (auto c : served.changes) {
        std::string problem = own_problem(report_id, c, mailbox_pk);
        c.verified = problem.empty();
        if (problem.empty() && c.change != due) {
            problem = "its number should be " + std::to_string(due) +
                      " (the changes are numbered 1, 2, … without a gap)";
        }
        for (const auto& desk : c.add) {
            if (problem.empty() && desks.contains(desk)) {
                problem = "it adds " + desk + ", which could read the report already";
            }
            consent.insert(desk);
            desks.insert(desk);
        }
        for (const auto& desk : c.remove) {
            if (problem.empty() && !desks.contains(desk)) {
                problem = "it removes " + desk + ", which could not read the report";
            }
            consent.erase(desk);
            desks.erase(desk);
        }
        if (problem.empty() && desks.empty()) {
            problem = "it leaves no desk to read the report";
        }
        if (!problem.empty()) {
            h.problems.push_back("change " + std::to_string(c.change) + ": " + problem);
        }
        c.problem = std::move(problem);
        h.changes.push_back(std::move(c));
        ++due;
    }
    h.replayed_consent = sorted(consent);
    h.replayed_desks = sorted(desks);
    if (h.replayed_consent != served.consent) {
        h.problems.push_back("replaying the changes from the sealed consent gives " +
                             listed(h.replayed_consent) + ", but the server serves consent " +
                             listed(served.consent));
    }
    std::set<std::string> readers(served.desks.begin(), served.desks.end());
    bool overlap = false;
    for (const auto& desk : served.pending) {
        overlap = !readers.insert(desk).second || overlap;
    }
    if (overlap) {
        h.problems.push_back("the server serves a desk as both holding the report and pending");
    }
    if (sorted(readers) != h.replayed_desks) {
        h.problems.push_back("replaying the changes from the sealed desks gives " +
                             listed(h.replayed_desks) + ", but the server serves desks " +
                             listed(served.desks) + " and pending " + listed(served.pending));
    }
    return h;
}

void print_consent_history(std::ostream& out, const consent_history& history) {
    for (const auto& c : history.changes) {
        out << "change " << c.change << ": " << printable(c.day) << ", add " << listed(c.add)
            << ", remove " << listed(c.remove) << ": ";
        if (c.problem.empty()) {
            out << "verified (signed with the mailbox key sealed in the report)\n";
        } else if (c.verified) {
            out << "signed by her, but REJECTED: " << printable(c.problem) << "\n";
        } else {
            out << "REJECTED: " << printable(c.problem) << "\n";
        }
    }
    if (history.holds()) {
        if (!history.changes.empty()) {
            out << "consent history: verified (" << history.changes.size()
                << (history.changes.size() == 1 ? " change" : " changes")
                << " replay from the sealed consent to the served consent, desks and pending)\n";
        }
        return;
    }
    out << "WARNING:  the consent history does not hold; do not forward this report:\n";
    for (const auto& problem : history.problems) {
        out << "  - " << printable(problem) << "\n";
    }
}

} // namespace signaal::inbox
