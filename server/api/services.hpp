#pragma once
// What the request handlers work with; owned by the server, shared by all connections.
#include "server/api/desk_directory.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/sign_in_services.hpp"
#include "server/api/static_files.hpp"
#include "server/auth/token_registry.hpp"
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/store/read_pool.hpp"

namespace signaal::api {

struct services {
    const config::settings& settings;
    const signaal::clock& time;
    const pow_service& pow;
    desk_directory& desks; // not const: a key upload asks it to refresh (refresh_now)
    report_sink& reports;  // the single writer: reports, and every other change (submit_job)
    const static_files& files;
    auth::token_registry& tokens;
    store::read_pool& reads; // every read on a request's path
    sign_in_services& sign_in;
};

} // namespace signaal::api
