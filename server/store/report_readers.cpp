#include "server/store/report_readers.hpp"

#include "server/store/id_list.hpp"
#include "server/store/statement.hpp"

#include <algorithm>
#include <set>

namespace signaal::store {

namespace {

result<std::vector<std::string>> desk_column(database& db, const char* sql,
                                             std::int64_t report_no) {
    auto st = statement::prepare(db, sql);
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    std::vector<std::string> out;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return fail("cannot read the report's desks: " + row.error().message);
        }
        if (!*row) {
            return out;
        }
        out.push_back(st->column_text(0));
    }
}

} // namespace

bool among(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::vector<std::string> current_consent(const std::vector<std::string>& sealed_consent,
                                         const std::vector<consent_change_record>& changes) {
    std::set<std::string> now(sealed_consent.begin(), sealed_consent.end());
    for (const auto& c : changes) {
        now.insert(c.add.begin(), c.add.end());
        for (const auto& gone : c.remove) {
            now.erase(gone);
        }
    }
    return {now.begin(), now.end()};
}

result<report_readers> read_report_readers(database& db, std::int64_t report_no) {
    report_readers out;
    auto sealed = statement::prepare(db, "SELECT consent, desks FROM reports WHERE no = ?1");
    if (!sealed) {
        return sealed.error();
    }
    sealed->bind(1, report_no);
    auto row = sealed->step();
    if (!row) {
        return fail("cannot read the report: " + row.error().message);
    }
    if (!*row) {
        return fail("no such report");
    }
    out.sealed_consent = split_ids(sealed->column_text(0));
    out.sealed_desks = split_ids(sealed->column_text(1));

    auto desks =
        desk_column(db, "SELECT desk FROM envelopes WHERE report_no = ?1 ORDER BY desk", report_no);
    if (!desks) {
        return desks.error();
    }
    out.desks = std::move(*desks);
    auto pending = desk_column(
        db, "SELECT desk FROM pending_desks WHERE report_no = ?1 ORDER BY desk", report_no);
    if (!pending) {
        return pending.error();
    }
    out.pending = std::move(*pending);

    auto changes = statement::prepare(db, "SELECT change_no, day, added, removed, signature "
                                          "FROM consent_changes WHERE report_no = ?1 "
                                          "ORDER BY change_no");
    if (!changes) {
        return changes.error();
    }
    changes->bind(1, report_no);
    for (;;) {
        auto c = changes->step();
        if (!c) {
            return fail("cannot read the consent changes: " + c.error().message);
        }
        if (!*c) {
            break;
        }
        out.changes.push_back({changes->column_int64(0), changes->column_int64(1),
                               split_ids(changes->column_text(2)),
                               split_ids(changes->column_text(3)), changes->column_blob(4)});
    }
    out.consent = current_consent(out.sealed_consent, out.changes);
    return out;
}

} // namespace signaal::store
