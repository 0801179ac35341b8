#pragma once
// What the request handlers work with; owned by the server, shared by all connections.
#include "server/api/desk_directory.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/static_files.hpp"
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"

namespace signaal::api {

struct services {
    const config::settings& settings;
    const signaal::clock& time;
    const pow_service& pow;
    const desk_directory& desks;
    report_sink& reports;
    const static_files& files;
};

} // namespace signaal::api
