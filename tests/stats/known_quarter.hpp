#pragma once
// The known data set of the stats tests and docs/statistics.md: 23 reports in
// 2026-Q1, and the rows it publishes with k = 5 under test_policy().
#include "server/store/database.hpp"

namespace signaal::stats::test {

/// 23 reports in 2026-Q1 (docs/statistics.md walks through the same tables),
/// plus one on each side of the quarter that must not count.
void insert_known_quarter(store::database& db);

/// Its published rows, "table,desk,cell,count" per line.
extern const char* const known_rows;

} // namespace signaal::stats::test
