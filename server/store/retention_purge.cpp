#include "server/store/retention_purge.hpp"

#include "server/store/messages.hpp"
#include "server/store/statement.hpp"

#include <vector>

namespace signaal::store {

namespace {

status run_for(database& db, const char* sql, std::int64_t value) {
    auto st = statement::prepare(db, sql);
    if (!st) {
        return st.error();
    }
    st->bind(1, value);
    if (auto ran = st->run(); !ran) {
        return fail("cannot purge: " + ran.error().message);
    }
    return {};
}

result<bool> table_exists(database& db, const char* name) {
    auto st = statement::prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, std::string_view(name));
    auto row = st->step();
    if (!row) {
        return row.error();
    }
    return *row;
}

// Stepped consent (schema 7) keeps a report's consent changes and pending
// desks; older schemas have neither table.
constexpr const char* consent_tables[] = {"consent_changes", "pending_desks"};

} // namespace

result<purge_outcome> purge_reports_before(database& db, std::int64_t before_day,
                                           std::size_t max_reports) {
    std::vector<std::string> consent_rows;
    for (const char* table : consent_tables) {
        auto exists = table_exists(db, table);
        if (!exists) {
            return exists.error();
        }
        if (*exists) {
            consent_rows.push_back(table);
        }
    }
    // What is left to purge of a report: its text and keys, the consent beyond
    // its desks, envelopes, messages, stepped-consent rows (withdrawn reports
    // have none of these any more).
    std::string holds =
        "nonce IS NOT NULL OR ciphertext IS NOT NULL OR reply_box_pk IS NOT NULL OR "
        "reply_mailbox_pk IS NOT NULL OR consent <> desks OR "
        "EXISTS (SELECT 1 FROM envelopes WHERE report_no = r.no) OR "
        "EXISTS (SELECT 1 FROM messages WHERE report_no = r.no)";
    for (const auto& table : consent_rows) {
        holds += " OR EXISTS (SELECT 1 FROM " + table + " WHERE report_no = r.no)";
    }
    auto find = statement::prepare(db, "SELECT no FROM reports r WHERE received_day < ?1 AND (" +
                                           holds + ") ORDER BY no LIMIT ?2");
    if (!find) {
        return find.error();
    }
    find->bind(1, before_day);
    find->bind(2, static_cast<std::int64_t>(max_reports));
    std::vector<std::int64_t> due;
    for (;;) {
        auto row = find->step();
        if (!row) {
            return fail("cannot read the reports to purge: " + row.error().message);
        }
        if (!*row) {
            break;
        }
        due.push_back(find->column_int64(0));
    }
    find->reset();

    purge_outcome out;
    for (const std::int64_t no : due) {
        if (auto gone = delete_messages(db, no); !gone) {
            return gone.error();
        }
        for (const auto& table : consent_rows) {
            const std::string sql = "DELETE FROM " + table + " WHERE report_no = ?1";
            if (auto done = run_for(db, sql.c_str(), no); !done) {
                return done.error();
            }
        }
        // As a withdrawal: consent becomes desks (the ticks beyond the routing
        // are not §8's); the status keeps only what ack_day and closed_day say.
        for (const char* sql : {
                 "DELETE FROM envelopes WHERE report_no = ?1",
                 "UPDATE reports SET nonce = NULL, ciphertext = NULL, reply_box_pk = NULL, "
                 "reply_mailbox_pk = NULL, consent = desks WHERE no = ?1",
                 "UPDATE report_desks SET "
                 "status = CASE WHEN closed_day IS NOT NULL THEN 'closed' "
                 "WHEN ack_day IS NOT NULL THEN 'acknowledged' ELSE 'new' END, "
                 "status_day = coalesce(closed_day, ack_day, "
                 "(SELECT received_day FROM reports WHERE no = ?1)) WHERE report_no = ?1",
             }) {
            if (auto done = run_for(db, sql, no); !done) {
                return done.error();
            }
        }
    }
    out.reports = due.size();
    out.changed = !due.empty();
    if (due.size() == max_reports && max_reports > 0) {
        return out; // more to come: events and audit rows in the last call
    }

    // Events and audit report ids of every report received before the day,
    // withdrawn ones included. A desk's newest event stays (see the header).
    for (const char* sql : {
             "DELETE FROM events WHERE report_no IN "
             "(SELECT no FROM reports WHERE received_day < ?1) "
             "AND seq < (SELECT max(e.seq) FROM events e WHERE e.desk = events.desk)",
             "UPDATE audit SET report_id = NULL WHERE report_id IS NOT NULL AND report_id IN "
             "(SELECT id FROM reports WHERE received_day < ?1)",
         }) {
        if (auto done = run_for(db, sql, before_day); !done) {
            return done.error();
        }
        out.changed = out.changed || db.changes() > 0;
    }
    return out;
}

status truncate_wal(database& db) {
    // TRUNCATE waits (busy handler) for readers on older snapshots; its first
    // column says whether it still could not finish.
    auto st = statement::prepare(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (!st) {
        return st.error();
    }
    auto row = st->step();
    if (!row) {
        return fail("cannot checkpoint the WAL: " + row.error().message);
    }
    if (*row && st->column_int64(0) != 0) {
        return fail("the WAL could not be truncated: a reader holds an old snapshot");
    }
    return {};
}

} // namespace signaal::store
