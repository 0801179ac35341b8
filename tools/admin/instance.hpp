#pragma once
// The instance an admin command works on: its config file and database.
#include "tools/admin/command.hpp"

#include "server/config/settings.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace signaal::admin {

/// Loads FILE (made absolute); on a bad or missing file prints the loader's
/// error, which names the key, and sets `exit_code` to exit_bad_input.
[[nodiscard]] std::optional<config::settings> load_config(const std::filesystem::path& file,
                                                          context& ctx, int& exit_code);

/// The instance's database, migrated as the server does on start (`create`:
/// the data dir and database are made when absent). nullopt with `error` set
/// on failure.
[[nodiscard]] std::optional<store::database>
open_instance_database(const config::settings& settings, bool create, std::string& error);

/// "care, municipality, police": the desks of a config, for error messages.
[[nodiscard]] std::string desk_names(const config::settings& settings);

/// UTC "YYYY-MM-DD HH:MM UTC" of a unix time (the day alone: signaal::utc_day).
[[nodiscard]] std::string utc_minute(std::int64_t unix_time);

/// "host:port", IPv6 hosts in brackets.
[[nodiscard]] std::string listen_text(const config::settings& settings);

} // namespace signaal::admin
