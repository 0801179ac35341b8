#include "tools/admin/desk_commands.hpp"

#include "crypto/base64url.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_keys.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/staff_records.hpp"
#include "server/store/transaction.hpp"
#include "tools/admin/instance.hpp"

#include <algorithm>
#include <exception>

namespace signaal::admin {
namespace {

namespace fs = std::filesystem;

/// The instance's database, migrated (the server does the same on start);
/// nullopt with `error` set when it does not exist yet or cannot be opened.
std::optional<store::database> open_existing(const config::settings& settings, std::string& error) {
    const auto path = store::database_file(settings.data_dir);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        error = "no database yet at " + path.string() +
                ": add the desk's caseworkers first (signaal-admin staff add)";
        return std::nullopt;
    }
    try {
        auto db = store::database::open(store::migrated_database(settings.data_dir),
                                        store::open_mode::read_write_create);
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

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        out += out.empty() ? "" : ", ";
        out += id;
    }
    return out.empty() ? "nobody" : out;
}

/// Why `staff` cannot hold a key of `desk`, or "" when they can.
std::string holder_problem(store::staff_records& staff, const std::string& id,
                           const std::string& desk) {
    auto record = staff.get(id);
    if (!record) {
        return "cannot read staff " + id + ": " + record.error().message;
    }
    if (!*record) {
        return "there is no staff member \"" + id + "\" (signaal-admin staff list)";
    }
    const auto& r = **record;
    if (r.disabled) {
        return id + " is disabled";
    }
    if (r.role != "caseworker" ||
        std::find(r.desks.begin(), r.desks.end(), desk) == r.desks.end()) {
        return id + " is not a caseworker of " + desk;
    }
    return {};
}

} // namespace

int desk_add(const desk_add_options& options, context& ctx) {
    const auto& desk = options.desk;
    if (!config::valid_id(desk) || desk == "reporter") {
        return fail(
            ctx, exit_bad_input,
            "desk add: bad desk id \"" + desk +
                "\": use a-z, 0-9, _ and -, at most 32 characters (\"reporter\" is reserved)");
    }
    if (options.holders.empty()) {
        return fail(ctx, exit_bad_input,
                    "desk add: name at least one holder with --holder STAFF: a caseworker of " +
                        desk + " who makes its key");
    }
    int code = exit_ok;
    auto settings = load_config(options.config, ctx, code);
    if (!settings) {
        return code;
    }
    if (settings->find_desk(desk) == nullptr) {
        return fail(ctx, exit_bad_input,
                    "desk add: desk \"" + desk + "\" is not defined in the config (its desks: " +
                        desk_names(*settings) + ")");
    }
    std::string error;
    auto db = open_existing(*settings, error);
    if (!db) {
        return fail(ctx, exit_failure, "desk add: " + error);
    }
    auto tx = store::transaction::begin(*db, store::transaction::kind::immediate);
    if (!tx) {
        return fail(ctx, exit_failure, "desk add: " + tx.error().message);
    }
    store::staff_records staff(*db);
    for (const auto& holder : options.holders) {
        if (auto problem = holder_problem(staff, holder, desk); !problem.empty()) {
            return fail(ctx, exit_bad_input, "desk add: --holder " + holder + ": " + problem);
        }
    }
    store::desk_registry registry(*db);
    if (auto registered = registry.register_desk(desk, options.holders); !registered) {
        return fail(ctx, exit_failure, "desk add: " + registered.error().message);
    }
    auto state = registry.state(desk);
    if (!state) {
        return fail(ctx, exit_failure, "desk add: " + state.error().message);
    }
    if (auto committed = tx->commit(); !committed) {
        return fail(ctx, exit_failure, "desk add: " + committed.error().message);
    }
    ctx.out << "desk " << desk << ": registered; named holders: " << joined(state->named_holders)
            << "\n";
    if (state->held) {
        ctx.out << "its current key is held by " << joined(state->holders) << "\n";
    } else {
        ctx.out << "a named holder now makes its key: signaal-inbox desk init --desk " << desk
                << " (or the web inbox); until then the desk is not offered to reporters\n";
    }
    return exit_ok;
}

int desk_list(const fs::path& config_file, context& ctx) {
    int code = exit_ok;
    auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    const auto db_path = store::database_file(settings->data_dir);
    std::error_code ec;
    if (!fs::exists(db_path, ec)) {
        ctx.err << "signaal-admin: no database yet at " << db_path.string()
                << ", so no desk is registered\n";
        return exit_ok;
    }
    std::string error;
    auto db = open_existing(*settings, error);
    if (!db) {
        return fail(ctx, exit_failure, "desk list: " + error);
    }
    store::desk_registry registry(*db);
    auto keys = store::desk_keys(*db).list();
    if (!keys) {
        return fail(ctx, exit_failure, "desk list: " + keys.error().message);
    }
    for (const auto& desk : settings->desks) {
        auto state = registry.state(desk.id);
        if (!state) {
            return fail(ctx, exit_failure, "desk list: " + state.error().message);
        }
        if (!state->registered) {
            ctx.out << desk.id << ": not registered (signaal-admin desk add " << desk.id
                    << " --holder STAFF)\n";
            continue;
        }
        ctx.out << desk.id << ": named holders: " << joined(state->named_holders);
        if (!state->current) {
            ctx.out << "; no key yet (a named holder runs signaal-inbox desk init)\n";
        } else {
            ctx.out << "; current key held by: "
                    << (state->held ? joined(state->holders) : "nobody")
                    << (state->rotate ? "; rotation due (a holder left)" : "") << "\n";
        }
        for (const auto& k : *keys) {
            if (k.desk != desk.id) {
                continue;
            }
            std::string when;
            if (!k.accept_until) {
                when = "current";
            } else if (*k.accept_until > ctx.time.now_unix()) {
                when = "accepted until " + utc_minute(*k.accept_until);
            } else {
                when = "retired";
            }
            ctx.out << "  " << crypto::base64url_encode(k.key_id) << "  " << when << "\n";
        }
    }
    return exit_ok;
}

} // namespace signaal::admin
