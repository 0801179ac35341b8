#pragma once
// A quarter's true counts, read from the store as of its cut-off (PROTOCOL.md
// §8): the one-way tables before suppression. Never published as they are.
#include "server/common/result.hpp"
#include "server/stats/quarter.hpp"
#include "server/stats/suppression.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace signaal::store {
class database;
}

namespace signaal::stats {

/// The ids configured when a quarter is frozen: each table has a cell for
/// every one of them, whether it occurs or not.
struct configured_ids {
    std::vector<std::string> categories;
    std::vector<std::string> roles;
    std::vector<std::string> desks;
    /// Category -> the desks that may receive its reports (the public routing).
    std::map<std::string, std::vector<std::string>> routing;
};

struct desk_counts {
    std::string desk;
    std::vector<cell_count> days_to_ack; // 0-7, 8-30, 31+, never; the population is `routed`
    std::vector<cell_count> closed;      // yes, no
};

struct quarter_counts {
    quarter of;
    std::vector<cell_count> category;  // ids sorted bytewise; the population is `n`
    std::vector<cell_count> role;      // ids sorted bytewise
    std::vector<cell_count> kind;      // count_only, with_text
    std::vector<cell_count> withdrawn; // withdrawn, kept
    std::vector<desk_counts> desks;    // sorted bytewise by desk
    /// Category -> the desks its reports may reach: the configured routing plus
    /// every pair that occurs. A reader who knows the routing knows this; the
    /// joint suppression uses it (docs/statistics.md, "What a reader knows").
    std::map<std::string, std::set<std::string>> routes;
};

/// Counts the reports received in `q`, as of the end of its cut-off day:
/// acknowledged, closed or withdrawn means so on or before that day. A report
/// counts for the desks it has (its report_desks rows). Cells: every
/// configured id plus any that occurs, sorted bytewise. Reads only; run it in
/// one transaction for a consistent snapshot.
[[nodiscard]] result<quarter_counts> count_quarter(store::database& db, quarter q,
                                                   const configured_ids& ids);

} // namespace signaal::stats
