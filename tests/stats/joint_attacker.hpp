#pragma once
// A reader who combines every table of a published quarter: enumerates every
// integer completion of the hidden rows that some set of reports could have
// produced, and returns each row's possible values. Written from the data
// model (PROTOCOL.md §5, §7, §8), not from server/stats: it uses nothing of
// the suppressor but the published rows it reads.
#include "server/stats/published_quarter.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace signaal::stats::test {

/// Per published row (same order), the values it can take; a shown row has
/// one. `routing`: category -> desks that may receive it (the public config).
/// Hidden counts are searched from 0 to `cap`.
[[nodiscard]] std::vector<std::set<std::int64_t>>
possible_values(const published_quarter& p,
                const std::map<std::string, std::set<std::string>>& routing, std::int64_t cap);

} // namespace signaal::stats::test
