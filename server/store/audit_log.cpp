#include "server/store/audit_log.hpp"

#include "server/config/settings.hpp"
#include "server/store/day_number.hpp"
#include "server/store/statement.hpp"

#include <array>
#include <limits>
#include <utility>

namespace signaal::store {
namespace {

constexpr std::size_t report_id_size = 16;

constexpr std::array<std::pair<audit_action, std::string_view>, 8> action_words{{
    {audit_action::sign_in, "sign_in"},
    {audit_action::grant, "grant"},
    {audit_action::key_upload, "key_upload"},
    {audit_action::report_opened, "report_opened"},
    {audit_action::status_change, "status_change"},
    {audit_action::message_sent, "message_sent"},
    {audit_action::forward, "forward"},
    {audit_action::disable, "disable"},
}};

} // namespace

std::string_view to_string(audit_action action) {
    for (const auto& [a, word] : action_words) {
        if (a == action) {
            return word;
        }
    }
    return "unknown";
}

std::optional<audit_action> audit_action_named(std::string_view word) {
    for (const auto& [a, w] : action_words) {
        if (w == word) {
            return a;
        }
    }
    return std::nullopt;
}

status audit_log::append(const audit_entry& entry) {
    const auto day = day_number(entry.day);
    if (!day) {
        return fail("audit day must be YYYY-MM-DD");
    }
    if (!config::valid_id(entry.staff)) {
        return fail("audit staff id must match [a-z0-9_-]{1,32}");
    }
    if (!entry.report_id.empty() && entry.report_id.size() != report_id_size) {
        return fail("audit report id must be 16 bytes");
    }
    auto stmt = statement::prepare(db_, "INSERT INTO audit (day, staff, action, report_id) "
                                        "VALUES (?1, ?2, ?3, ?4)");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind(1, *day);
    stmt->bind(2, entry.staff);
    stmt->bind(3, to_string(entry.action));
    stmt->bind_blob_or_null(4, entry.report_id);
    if (auto s = stmt->run(); !s) {
        return fail("cannot append to the audit trail: " + s.error().message);
    }
    return {};
}

result<std::vector<audit_entry>> audit_log::list(std::optional<std::string_view> from_day) {
    std::int64_t from = std::numeric_limits<std::int64_t>::min();
    if (from_day) {
        const auto day = day_number(*from_day);
        if (!day) {
            return fail("audit day must be YYYY-MM-DD");
        }
        from = *day;
    }
    auto stmt = statement::prepare(db_, "SELECT day, staff, action, report_id FROM audit "
                                        "WHERE day >= ?1 ORDER BY day, rowid");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind(1, from);
    std::vector<audit_entry> entries;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return fail("cannot read the audit trail: " + row.error().message);
        }
        if (!*row) {
            return entries;
        }
        audit_entry e;
        e.day = day_text(stmt->column_int64(0));
        e.staff = stmt->column_text(1);
        const auto action = audit_action_named(stmt->column_text(2));
        if (!action) {
            return fail("the audit trail holds an unknown action");
        }
        e.action = *action;
        if (!stmt->column_is_null(3)) {
            e.report_id = stmt->column_blob(3);
        }
        entries.push_back(std::move(e));
    }
}

status audit_log::forget_report(std::span<const std::uint8_t> report_id) {
    if (report_id.size() != report_id_size) {
        return fail("audit report id must be 16 bytes");
    }
    auto stmt = statement::prepare(db_, "UPDATE audit SET report_id = NULL WHERE report_id = ?1");
    if (!stmt) {
        return stmt.error();
    }
    stmt->bind(1, report_id);
    if (auto s = stmt->run(); !s) {
        return fail("cannot update the audit trail: " + s.error().message);
    }
    return {};
}

write_job audit_job(audit_entry entry, std::function<void(status)> done) {
    return {
        [entry = std::move(entry)](job_context& job) { return audit_log(job.db()).append(entry); },
        std::move(done)};
}

} // namespace signaal::store
