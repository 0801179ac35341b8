#include "tools/admin/stats_command.hpp"

#include "server/stats/configured_policy.hpp"
#include "server/stats/frozen_quarters.hpp"
#include "server/stats/render.hpp"
#include "server/stats/stats_answer.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/transaction.hpp"
#include "tools/admin/instance.hpp"

#include <exception>

namespace signaal::admin {

int stats(const stats_options& options, context& ctx) {
    const auto from = stats::parse_quarter(options.from);
    if (!from) {
        return fail(ctx, exit_bad_input, "stats: --from: " + from.error().message);
    }
    const auto to = stats::parse_quarter(options.to);
    if (!to) {
        return fail(ctx, exit_bad_input, "stats: --to: " + to.error().message);
    }
    const auto range = stats::quarter_range(*from, *to);
    if (!range) {
        return fail(ctx, exit_bad_input, "stats: " + range.error().message);
    }
    int code = exit_ok;
    const auto settings = load_config(options.config, ctx, code);
    if (!settings) {
        return code;
    }
    const std::int64_t today = unix_day(ctx.time.now_unix());

    std::filesystem::path path;
    try {
        if (!std::filesystem::exists(store::database_file(settings->data_dir))) {
            return fail(ctx, exit_failure,
                        "stats: no database in " + settings->data_dir.string() +
                            " (has the server run with this config?)");
        }
        path = store::migrated_database(settings->data_dir);
    } catch (const std::exception& e) {
        return fail(ctx, exit_failure, std::string("stats: ") + e.what());
    }
    auto db = store::database::open(path, store::open_mode::read_write_create);
    if (!db) {
        return fail(ctx, exit_failure, "stats: cannot open the database: " + db.error().message);
    }
    {
        auto tx = store::transaction::begin(*db, store::transaction::kind::immediate);
        if (!tx) {
            return fail(ctx, exit_failure, "stats: " + tx.error().message);
        }
        auto due = stats::unfrozen_due(*db, *range, today);
        if (!due) {
            return fail(ctx, exit_failure, "stats: " + due.error().message);
        }
        if (auto frozen =
                stats::freeze_quarters(*db, *due, today, stats::configured_policy(*settings));
            !frozen) {
            return fail(ctx, exit_failure, "stats: cannot freeze: " + frozen.error().message);
        }
        if (auto done = tx->commit(); !done) {
            return fail(ctx, exit_failure, "stats: cannot freeze: " + done.error().message);
        }
    }
    const auto answer = stats::read_answer(*db, *range, today, settings->stats_k);
    if (!answer) {
        return fail(ctx, exit_failure, "stats: " + answer.error().message);
    }
    if (options.csv) {
        ctx.out << stats::render_csv(*answer);
    } else {
        ctx.out << stats::render_json(*answer) << "\n";
    }
    return exit_ok;
}

} // namespace signaal::admin
