#include "tools/admin/purge_command.hpp"

#include "server/store/data_dir.hpp"
#include "server/store/day_number.hpp"
#include "server/store/retention_purge.hpp"
#include "server/store/transaction.hpp"
#include "tools/admin/instance.hpp"

#include <cstdint>

namespace signaal::admin {

namespace {

// Reports per transaction: the server's writer waits on the lock meanwhile,
// so each one stays short.
constexpr std::size_t reports_per_transaction = 256;

} // namespace

int purge(const purge_options& options, context& ctx) {
    const std::int64_t today = unix_day(ctx.time.now_unix());
    std::optional<std::int64_t> before;
    if (options.before) {
        before = store::day_number(*options.before);
        if (!before) {
            return fail(ctx, exit_bad_input,
                        "purge: --before must be a day like 2026-01-31, not \"" + *options.before +
                            "\"");
        }
        if (*before > today) {
            return fail(ctx, exit_bad_input,
                        "purge: --before " + *options.before + " is in the future (today is " +
                            store::day_text(today) + ")");
        }
    }
    int code = exit_ok;
    const auto settings = load_config(options.config, ctx, code);
    if (!settings) {
        return code;
    }
    const std::int64_t cutoff =
        before.value_or(today - static_cast<std::int64_t>(settings->retention_days));

    std::error_code ec;
    if (!std::filesystem::exists(store::database_file(settings->data_dir), ec)) {
        return fail(ctx, exit_failure,
                    "purge: no database in " + settings->data_dir.string() +
                        " (has the server run with this config?)");
    }
    std::string error;
    auto db = open_instance_database(*settings, false, error);
    if (!db) {
        return fail(ctx, exit_failure, "purge: " + error);
    }
    std::size_t purged = 0;
    for (;;) {
        auto tx = store::transaction::begin(*db, store::transaction::kind::immediate);
        if (!tx) {
            return fail(ctx, exit_failure, "purge: " + tx.error().message);
        }
        auto done = store::purge_reports_before(*db, cutoff, reports_per_transaction);
        if (!done) {
            return fail(ctx, exit_failure, "purge: " + done.error().message);
        }
        if (auto committed = tx->commit(); !committed) {
            return fail(ctx, exit_failure, "purge: " + committed.error().message);
        }
        purged += done->reports;
        if (done->reports < reports_per_transaction) {
            break;
        }
    }
    ctx.out << "purged " << purged << " reports received before " << store::day_text(cutoff)
            << ": their text, keys, envelopes, messages and events are gone; the quarterly "
               "numbers still count them.\n";
    if (auto truncated = store::truncate_wal(*db); !truncated) {
        ctx.err << "signaal-admin: purge: " << truncated.error().message
                << "; the server truncates it within its checkpoint interval (10 minutes)\n";
    }
    return exit_ok;
}

} // namespace signaal::admin
