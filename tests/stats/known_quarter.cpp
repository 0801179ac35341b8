#include "tests/stats/known_quarter.hpp"

#include "tests/stats/report_rows.hpp"

namespace signaal::stats::test {

void insert_known_quarter(store::database& db) {
    const std::int64_t jan10 = day("2026-01-10"), mar31 = day("2026-03-31");
    const std::int64_t cutoff = day("2026-04-08");
    for (int i = 0; i < 23; ++i) {
        report_row r;
        r.received_day = jan10;
        r.category = i < 6 ? "health" : i < 8 ? "other" : i < 11 ? "robbery" : "violence";
        r.role = i < 3 ? "peer_expert" : "sex_worker";
        if (i < 7) {
            r.withdrawn_day = day("2026-02-01") + i;
        } else if (i == 7) {
            r.withdrawn_day = cutoff + 1; // after the cut-off: still kept in Q1's tables
        }
        if (i < 17) {
            desk_days care{"care", std::nullopt, std::nullopt};
            if (i < 9) {
                care.ack_day = jan10 + (i < 8 ? i : 7); // 0..7 days: within a week
            } else if (i < 15) {
                care.ack_day = jan10 + (i == 9 ? 8 : i == 10 ? 30 : 12); // 8-30
            } else if (i == 15) {
                care.ack_day = jan10 + 31; // 31+
            }
            if (i == 14 || i == 16) {
                r.received_day = mar31; // i == 14: acknowledged on the cut-off day itself
                care.ack_day = i == 14 ? std::optional(cutoff) : std::optional(cutoff + 1);
            }
            if (i < 10) {
                care.closed_day = day("2026-03-01");
            } else if (i == 10) {
                care.closed_day = cutoff + 1; // closed after the cut-off: "no"
            }
            r.desks.push_back(care);
            if (i < 3) {
                r.desks.push_back({"police", jan10 + 1, std::nullopt});
            }
        } else if (i == 17) {
            r.desks.push_back({"police", std::nullopt, std::nullopt});
        }
        // i >= 18: count only (no desks)
        insert_report(db, r);
    }
    insert_report(db, report_row{day("2025-12-31"), "sex_worker", "violence", {}, {}});
    insert_report(db, report_row{day("2026-04-01"), "sex_worker", "violence", {}, {}});
}

const char* const known_rows = "n,,all,23\n"
                               "category,,health,6\n"
                               "category,,other,<5\n"
                               "category,,robbery,<5\n"
                               "category,,violence,12\n"
                               "role,,peer_expert,<5\n"
                               "role,,sex_worker,<5\n"
                               "kind,,count_only,5\n"
                               "kind,,with_text,18\n"
                               "withdrawn,,withdrawn,7\n"
                               "withdrawn,,kept,16\n"
                               "routed,care,all,17\n"
                               "days_to_ack,care,0-7,9\n"
                               "days_to_ack,care,8-30,<5\n"
                               "days_to_ack,care,31+,<5\n"
                               "days_to_ack,care,never,<5\n"
                               "closed,care,yes,10\n"
                               "closed,care,no,7\n"
                               "routed,municipality,all,<5\n"
                               "days_to_ack,municipality,0-7,<5\n"
                               "days_to_ack,municipality,8-30,<5\n"
                               "days_to_ack,municipality,31+,<5\n"
                               "days_to_ack,municipality,never,<5\n"
                               "closed,municipality,yes,<5\n"
                               "closed,municipality,no,<5\n"
                               "routed,police,all,<5\n"
                               "days_to_ack,police,0-7,<5\n"
                               "days_to_ack,police,8-30,<5\n"
                               "days_to_ack,police,31+,<5\n"
                               "days_to_ack,police,never,<5\n"
                               "closed,police,yes,<5\n"
                               "closed,police,no,<5\n";

} // namespace signaal::stats::test
