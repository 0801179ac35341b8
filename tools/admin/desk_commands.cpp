#include "tools/admin/desk_commands.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/key_id.hpp"
#include "server/common/clock.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_keys.hpp"
#include "tools/admin/instance.hpp"
#include "tools/common/key_files.hpp"

#include <algorithm>
#include <exception>
#include <unistd.h>

namespace signaal::admin {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t seconds_per_day = 86400;

/// The database of an instance, migrated (the server does the same on start).
/// nullopt with `error` set on failure.
std::optional<store::database> open_database(const config::settings& settings, bool create,
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

const store::desk_key* current_key(const std::vector<store::desk_key>& keys,
                                   std::string_view desk) {
    const auto it = std::find_if(keys.begin(), keys.end(), [&](const store::desk_key& k) {
        return k.desk == desk && !k.accept_until;
    });
    return it == keys.end() ? nullptr : &*it;
}

/// desk add and desk rotate: the same steps, rotate with grace days.
int new_desk_key(const fs::path& config_file, const std::string& desk, const fs::path& out,
                 std::optional<std::int64_t> rotate_grace_days, bool rotating, context& ctx) {
    const std::string verb = rotating ? "desk rotate" : "desk add";
    if (!config::valid_id(desk) || desk == "reporter") {
        return fail(
            ctx, exit_bad_input,
            verb + ": bad desk id \"" + desk +
                "\": use a-z, 0-9, _ and -, at most 32 characters (\"reporter\" is reserved)");
    }
    int code = exit_ok;
    auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    if (settings->find_desk(desk) == nullptr) {
        return fail(ctx, exit_bad_input,
                    verb + ": desk \"" + desk + "\" is not defined in the config (its desks: " +
                        desk_names(*settings) + ")");
    }
    if (out.empty()) {
        return fail(ctx, exit_bad_input, verb + ": --out KEYFILE is required");
    }
    std::error_code ec;
    if (fs::exists(fs::symlink_status(out, ec))) {
        return fail(ctx, exit_bad_input,
                    verb + ": " + out.string() + " already exists; not overwriting it");
    }
    const auto out_folder = fs::absolute(out, ec).parent_path();
    if (!fs::is_directory(out_folder, ec)) {
        return fail(ctx, exit_bad_input,
                    verb + ": folder " + out_folder.string() + " does not exist");
    }
    const std::int64_t grace_days = rotate_grace_days.value_or(settings->desk_key_grace_days);
    if (grace_days < 0) {
        return fail(ctx, exit_bad_input, verb + ": --grace-days must not be negative");
    }

    // What the database holds now decides between add and rotate.
    const auto db_path = store::database_file(settings->data_dir);
    std::optional<store::desk_key> old_key;
    if (fs::exists(db_path, ec)) {
        std::string error;
        auto db = open_database(*settings, false, error);
        if (!db) {
            return fail(ctx, exit_failure, verb + ": " + error);
        }
        store::desk_keys keys(*db);
        auto all = keys.list();
        if (!all) {
            return fail(ctx, exit_failure, verb + ": " + all.error().message);
        }
        if (const auto* current = current_key(*all, desk)) {
            old_key = *current;
        }
    }
    if (!rotating && old_key) {
        return fail(ctx, exit_bad_input,
                    "desk add: desk \"" + desk + "\" already has a current key (" +
                        crypto::base64url_encode(old_key->key_id) + "); use desk rotate " + desk);
    }
    if (rotating && !old_key) {
        return fail(ctx, exit_bad_input,
                    "desk rotate: desk \"" + desk + "\" has no current key; use desk add " + desk);
    }

    key_files::desk_key key;
    key.desk = desk;
    {
        auto pair = crypto::box_keygen();
        key.public_key = std::move(pair.public_key);
        key.secret_key = std::move(pair.secret_key);
    }
    const auto id = crypto::key_id_of(key.public_key);
    const auto id_text = crypto::base64url_encode(id);

    // The key file first: a key in the database whose secret was never saved
    // would make reports nobody can ever read.
    // An existing file was refused above; one that appeared since is a failure too.
    if (auto written = key_files::write_desk_key(out, key); !written) {
        return fail(ctx, exit_failure, verb + ": " + written.error().message);
    }

    std::string error;
    auto db = open_database(*settings, true, error);
    signaal::status added;
    const std::int64_t accept_old_until = ctx.time.now_unix() + grace_days * seconds_per_day;
    if (db) {
        store::desk_keys keys(*db);
        added = rotating ? keys.rotate(desk, id, key.public_key,
                                       signaal::utc_day(ctx.time.now_unix()), accept_old_until)
                         : keys.add_current(desk, id, key.public_key,
                                            signaal::utc_day(ctx.time.now_unix()));
        if (!added) {
            error = "cannot store the key in " + db_path.string() + ": " + added.error().message;
        }
    }
    if (!db || !added) {
        ::unlink(out.c_str());
        return fail(ctx, exit_failure,
                    verb + ": " + error + "; removed " + out.string() + " again");
    }

    ctx.out << "desk " << desk << ": new current key " << id_text << "\n";
    if (rotating) {
        const auto old_id = crypto::base64url_encode(old_key->key_id);
        if (grace_days == 0) {
            ctx.out << "old key " << old_id << ": no longer accepted\n";
        } else {
            ctx.out << "old key " << old_id << ": accepted until " << utc_minute(accept_old_until)
                    << "\n";
        }
    }
    ctx.out << "secret key written to " << out.string()
            << " (mode 0600): an offline backup; keep it safe, the server never needs it\n";
    return exit_ok;
}

} // namespace

int desk_add(const desk_add_options& options, context& ctx) {
    return new_desk_key(options.config, options.desk, options.out, std::nullopt, false, ctx);
}

int desk_rotate(const desk_rotate_options& options, context& ctx) {
    return new_desk_key(options.config, options.desk, options.out, options.grace_days, true, ctx);
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
                << ", so no desk keys\n";
        return exit_ok;
    }
    std::string error;
    auto db = open_database(*settings, false, error);
    if (!db) {
        return fail(ctx, exit_failure, "desk list: " + error);
    }
    store::desk_keys keys(*db);
    auto all = keys.list();
    if (!all) {
        return fail(ctx, exit_failure, "desk list: " + all.error().message);
    }
    std::size_t width = 0;
    for (const auto& k : *all) {
        width = std::max(width, k.desk.size());
    }
    for (const auto& k : *all) {
        std::string state;
        if (!k.accept_until) {
            state = "current";
        } else if (*k.accept_until > ctx.time.now_unix()) {
            state = "accepted until " + utc_minute(*k.accept_until);
        } else {
            state = "retired";
        }
        ctx.out << k.desk << std::string(width - k.desk.size() + 2, ' ')
                << crypto::base64url_encode(k.key_id) << "  " << state << "\n";
    }
    return exit_ok;
}

} // namespace signaal::admin
