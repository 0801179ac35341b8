#pragma once
// A real, migrated store file in a temp dir, and the policy the tests freeze with.
#include "server/stats/frozen_quarters.hpp"
#include "server/store/database.hpp"
#include "tests/store/temp_dir.hpp"

namespace signaal::stats::test {

/// categories health, robbery, violence; roles peer_expert, sex_worker;
/// desks care, municipality, police; health and robbery routed to care and
/// police, violence to all three; k = 5.
inline freeze_policy test_policy() {
    return freeze_policy{5,
                         {{"health", "robbery", "violence"},
                          {"peer_expert", "sex_worker"},
                          {"care", "municipality", "police"},
                          {{"health", {"care", "police"}},
                           {"robbery", {"care", "police"}},
                           {"violence", {"care", "municipality", "police"}}}}};
}

struct stats_db {
    store::test::temp_dir dir;
    store::database db = store::test::open_migrated(dir.db_path());
};

} // namespace signaal::stats::test
