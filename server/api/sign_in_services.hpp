#pragma once
// What staff sign-in needs besides the shared services: the origins a
// signature may name, the outstanding challenges, and who was disabled.
#include "server/api/accepted_origins.hpp"
#include "server/api/challenge_store.hpp"
#include "server/api/staff_watcher.hpp"

namespace signaal::api {

struct sign_in_services {
    accepted_origins& origins;
    challenge_store& challenges;
    const staff_watcher& disabled; // is_disabled(), as of its last check
};

} // namespace signaal::api
