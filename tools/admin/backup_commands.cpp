#include "tools/admin/backup_commands.hpp"

#include "server/store/backup.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/instance_lock.hpp"
#include "tools/admin/instance.hpp"

#include <exception>

namespace signaal::admin {

int backup(const std::filesystem::path& config_file, const std::filesystem::path& target,
           context& ctx) {
    int code = exit_ok;
    const auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    const auto written = store::write_backup(store::database_file(settings->data_dir), target);
    if (!written) {
        return fail(ctx, exit_failure, written.error().message);
    }
    ctx.out << "backup written to " << target.string() << ": " << written->reports
            << " reports, schema " << written->schema_version
            << ". It holds sealed reports and staff records: keep it encrypted at rest "
               "(docs/operations.md).\n";
    return exit_ok;
}

int restore(const std::filesystem::path& config_file, const std::filesystem::path& source,
            context& ctx) {
    int code = exit_ok;
    const auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    // The file is checked before anything else is touched: a refused file changes nothing.
    if (auto checked = store::inspect_backup(source); !checked) {
        return fail(ctx, exit_bad_input, checked.error().message);
    }
    try {
        store::prepare_data_dir(settings->data_dir);
    } catch (const std::exception& e) {
        return fail(ctx, exit_failure, e.what());
    }
    const auto lock = store::instance_lock::acquire(settings->data_dir);
    if (!lock) {
        return fail(ctx, exit_failure, lock.error().message);
    }
    const auto restored = store::restore_backup(source, store::database_file(settings->data_dir));
    if (!restored) {
        return fail(ctx, exit_failure, restored.error().message);
    }
    ctx.out << "restored " << source.string() << ": " << restored->reports << " reports, schema "
            << restored->schema_version << " now. Start the server.\n";
    return exit_ok;
}

} // namespace signaal::admin
