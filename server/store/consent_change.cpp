#include "server/store/consent_change.hpp"

#include "server/store/id_list.hpp"
#include "server/store/mailbox_report.hpp"
#include "server/store/statement.hpp"
#include "server/store/write_job.hpp"

#include <optional>
#include <string_view>

namespace signaal::store {

namespace {

using kind = consent_change_outcome::kind;

// Runs `sql` with ?1 = the report's number and, when given, ?2 = a desk.
status run_for(database& db, const char* sql, std::int64_t report_no,
               std::optional<std::string_view> desk) {
    auto st = statement::prepare(db, sql);
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    if (desk) {
        st->bind(2, *desk);
    }
    if (auto ran = st->run(); !ran) {
        return fail("cannot change the report's desks: " + ran.error().message);
    }
    return {};
}

/// The refusal of the desks check, in the order of PROTOCOL.md §7; nullopt: go on.
std::optional<consent_change_outcome> check_desks(const consent_change_request& request,
                                                  const report_readers& readers) {
    auto refuse = [](kind what, std::string why) {
        consent_change_outcome out;
        out.what = what;
        out.why = std::move(why);
        return out;
    };
    const auto& c = request.change;
    // A removed desk need not be served any more: it only has to read the
    // report or wait for it.
    for (const auto& desk : c.add) {
        if (!among(request.known, desk)) {
            return refuse(kind::unknown_desk, {});
        }
    }
    for (const auto& desk : c.add) {
        if (!among(request.routed, desk)) {
            return refuse(kind::consent_violation,
                          "A desk can be added only when the report's category goes to it.");
        }
        if (among(readers.desks, desk) || among(readers.pending, desk)) {
            return refuse(kind::consent_violation, "That desk can already read the report, or "
                                                   "is waiting for it.");
        }
    }
    std::size_t holding_left = readers.desks.size();
    for (const auto& desk : c.remove) {
        if (among(readers.desks, desk)) {
            --holding_left;
        } else if (!among(readers.pending, desk)) {
            return refuse(kind::consent_violation,
                          "A desk can be removed only when it reads the report or waits for it.");
        }
    }
    if (holding_left == 0) {
        return refuse(kind::consent_violation,
                      "At least one desk that reads the report must remain.");
    }
    return std::nullopt;
}

/// Every byte of `desk`'s access to the report goes: its report envelope, its
/// message envelopes (a message left with none goes too) and its status row.
status remove_holder(database& db, std::int64_t report_no, const std::string& desk) {
    for (const char* sql : {
             "DELETE FROM envelopes WHERE report_no = ?1 AND desk = ?2",
             "DELETE FROM message_envelopes WHERE recipient = ?2 AND message_no IN "
             "(SELECT no FROM messages WHERE report_no = ?1)",
             "DELETE FROM report_desks WHERE report_no = ?1 AND desk = ?2",
         }) {
        if (auto done = run_for(db, sql, report_no, desk); !done) {
            return done;
        }
    }
    return run_for(db,
                   "DELETE FROM messages WHERE report_no = ?1 AND NOT EXISTS "
                   "(SELECT 1 FROM message_envelopes e WHERE e.message_no = messages.no)",
                   report_no, std::nullopt);
}

status store_change(database& db, std::int64_t report_no, const consent_change_record& c) {
    auto st = statement::prepare(db, "INSERT INTO consent_changes "
                                     "(report_no, change_no, day, added, removed, signature) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    st->bind(2, c.change);
    st->bind(3, c.day);
    st->bind(4, join_ids(c.add));
    st->bind(5, join_ids(c.remove));
    st->bind(6, c.signature);
    if (auto ran = st->run(); !ran) {
        return fail("cannot store the consent change: " + ran.error().message);
    }
    return {};
}

} // namespace

result<consent_change_outcome> apply_consent_change(job_context& job,
                                                    const consent_change_request& request) {
    consent_change_outcome out;
    database& db = job.db();
    // Again in the writer: a withdrawal or another change may have come in between.
    auto report = find_mailbox_report(db, request.mailbox_pk);
    if (!report) {
        return report.error();
    }
    if (!*report || (*report)->id != request.report_id) {
        return out; // not_found
    }
    const std::int64_t no = (*report)->no;
    auto readers = read_report_readers(db, no);
    if (!readers) {
        return readers.error();
    }
    const auto& c = request.change;
    if (c.change != static_cast<std::int64_t>(readers->changes.size()) + 1) {
        out.what = kind::stale_change;
        return out;
    }
    if (auto refused = check_desks(request, *readers)) {
        return std::move(*refused);
    }

    bool removed_a_holder = false;
    for (const auto& desk : c.remove) {
        if (among(readers->desks, desk)) {
            if (auto gone = remove_holder(db, no, desk); !gone) {
                return gone.error();
            }
            if (auto event = job.add_event(desk, no, request.report_id, "withdrawn"); !event) {
                return event.error();
            }
            removed_a_holder = true;
        } else if (auto gone = run_for(db,
                                       "DELETE FROM pending_desks WHERE report_no = ?1 AND "
                                       "desk = ?2",
                                       no, desk);
                   !gone) {
            return gone.error();
        }
    }
    for (const auto& desk : c.add) {
        if (auto added = run_for(db, "INSERT INTO pending_desks (report_no, desk) VALUES (?1, ?2)",
                                 no, desk);
            !added) {
            return added.error();
        }
    }
    if (auto stored = store_change(db, no, c); !stored) {
        return stored.error();
    }
    auto now = read_report_readers(db, no);
    if (!now) {
        return now.error();
    }
    for (const auto& desk : now->desks) {
        if (auto event = job.add_event(desk, no, request.report_id, "consent"); !event) {
            return event.error();
        }
    }
    if (removed_a_holder) {
        job.checkpoint_after_commit(); // no frame of the deleted envelopes lingers in the WAL
    }
    out.what = kind::applied;
    out.desks = std::move(now->desks);
    out.pending = std::move(now->pending);
    return out;
}

} // namespace signaal::store
