#include "tools/admin/instance.hpp"

#include "server/store/data_dir.hpp"

#include <ctime>
#include <exception>

namespace signaal::admin {

std::optional<config::settings> load_config(const std::filesystem::path& file, context& ctx,
                                            int& exit_code) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(file, ec);
    if (ec) {
        absolute = file;
    }
    auto loaded = config::load_file(absolute.lexically_normal());
    if (!loaded) {
        exit_code = fail(ctx, exit_bad_input, loaded.error().message);
        return std::nullopt;
    }
    return std::move(*loaded);
}

std::optional<store::database> open_instance_database(const config::settings& settings, bool create,
                                                      std::string& error) {
    try {
        if (create) {
            store::prepare_data_dir(settings.data_dir);
        }
        const auto path = store::migrated_database(settings.data_dir);
        auto db = store::database::open(path, store::open_mode::read_write_create);
        if (!db) {
            error = "cannot open database " + path.string() + ": " + db.error().message;
            return std::nullopt;
        }
        return std::move(*db);
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

std::string desk_names(const config::settings& settings) {
    std::string names;
    for (const auto& d : settings.desks) {
        names += names.empty() ? "" : ", ";
        names += d.id;
    }
    return names;
}

namespace {

std::string format_utc(std::int64_t unix_time, const char* format) {
    const auto t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    if (::gmtime_r(&t, &tm) == nullptr) {
        return "(out of range)";
    }
    char buffer[64];
    const auto n = std::strftime(buffer, sizeof buffer, format, &tm);
    return {buffer, n};
}

} // namespace

std::string utc_minute(std::int64_t unix_time) {
    return format_utc(unix_time, "%Y-%m-%d %H:%M UTC");
}

std::string listen_text(const config::settings& settings) {
    const bool v6 = settings.listen_host.find(':') != std::string::npos;
    return (v6 ? "[" + settings.listen_host + "]" : settings.listen_host) + ":" +
           std::to_string(settings.listen_port);
}

} // namespace signaal::admin
