#pragma once
// The answer as JSON and as CSV, byte for byte as PROTOCOL.md §8 shows them.
#include "server/stats/stats_answer.hpp"

#include <string>

namespace signaal::stats {

/// {"k": 5, "quarters": [{"quarter", "n", "tables": {...}, "desks": {...}}],
/// "not_yet": [...]}: counts as numbers, suppressed cells as "<k". A quarter
/// frozen with another k than the answer's carries its own "k" after "quarter".
[[nodiscard]] std::string render_json(const stats_answer& answer);

/// text/csv: header quarter,table,desk,cell,count, one row per published
/// cell in the JSON's order, LF line ends.
[[nodiscard]] std::string render_csv(const stats_answer& answer);

} // namespace signaal::stats
