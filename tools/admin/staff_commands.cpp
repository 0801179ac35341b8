#include "tools/admin/staff_commands.hpp"

#include "crypto/base64url.hpp"
#include "server/common/clock.hpp"
#include "server/store/audit_log.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/day_number.hpp"
#include "server/store/staff_records.hpp"
#include "server/store/transaction.hpp"
#include "tools/admin/instance.hpp"

#include <algorithm>

namespace signaal::admin {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        out += (out.empty() ? "" : ",") + id;
    }
    return out;
}

/// The staff member's checks against the config, in the order the usage names them.
std::optional<std::string> problem_with(const staff_add_options& o,
                                        const config::settings& settings) {
    if (!config::valid_id(o.id)) {
        return "bad staff id \"" + o.id + "\": use a-z, 0-9, _ and -, at most 32 characters";
    }
    if (!store::valid_staff_role(o.role)) {
        return "--role must be caseworker or coordinator, not \"" + o.role + "\"";
    }
    if (o.role == "coordinator" && !o.desks.empty()) {
        return "a coordinator has no desks: leave out --desk";
    }
    if (o.role == "caseworker" && o.desks.empty()) {
        return "a caseworker needs at least one --desk";
    }
    for (const auto& d : o.desks) {
        if (settings.find_desk(d) == nullptr) {
            return "desk \"" + d +
                   "\" is not defined in the config (its desks: " + desk_names(settings) + ")";
        }
        if (std::count(o.desks.begin(), o.desks.end(), d) > 1) {
            return "--desk " + d + " is given twice";
        }
    }
    if (!crypto::base64url_decode_exact(o.sign_pk, 32)) {
        return "--sign-pk must be 32 bytes in base64url without padding (43 characters)";
    }
    if (!crypto::base64url_decode_exact(o.box_pk, 32)) {
        return "--box-pk must be 32 bytes in base64url without padding (43 characters)";
    }
    return std::nullopt;
}

/// An existing database only: listing and disabling create nothing.
std::optional<store::database> existing_database(const config::settings& settings,
                                                 const std::string& verb, context& ctx, int& code) {
    const auto path = store::database_file(settings.data_dir);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        code = fail(ctx, exit_bad_input, verb + ": no database yet at " + path.string());
        return std::nullopt;
    }
    std::string error;
    auto db = open_instance_database(settings, false, error);
    if (!db) {
        code = fail(ctx, exit_failure, verb + ": " + error);
    }
    return db;
}

} // namespace

int staff_add(const staff_add_options& options, context& ctx) {
    int code = exit_ok;
    auto settings = load_config(options.config, ctx, code);
    if (!settings) {
        return code;
    }
    if (const auto problem = problem_with(options, *settings)) {
        return fail(ctx, exit_bad_input, "staff add: " + *problem);
    }
    std::string error;
    auto db = open_instance_database(*settings, true, error);
    if (!db) {
        return fail(ctx, exit_failure, "staff add: " + error);
    }
    store::staff_record record;
    record.id = options.id;
    record.role = options.role;
    record.desks = options.desks;
    std::sort(record.desks.begin(), record.desks.end());
    record.sign_pk = *crypto::base64url_decode_exact(options.sign_pk, 32);
    record.box_pk = *crypto::base64url_decode_exact(options.box_pk, 32);
    record.added_day = utc_day(ctx.time.now_unix());
    store::staff_records staff(*db);
    if (auto added = staff.add(record); !added) {
        // A taken id or key is the operator's input, not a failure of the disk.
        return fail(ctx, exit_bad_input, "staff add: " + added.error().message);
    }
    ctx.out << "staff " << record.id << ": "
            << (record.desks.empty() ? record.role : record.role + " of " + joined(record.desks))
            << "\n";
    return exit_ok;
}

int staff_disable(const fs::path& config_file, const std::string& id, context& ctx) {
    if (!config::valid_id(id)) {
        return fail(ctx, exit_bad_input, "staff disable: bad staff id \"" + id + "\"");
    }
    int code = exit_ok;
    auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    auto db = existing_database(*settings, "staff disable", ctx, code);
    if (!db) {
        return code;
    }
    auto tx = store::transaction::begin(*db, store::transaction::kind::immediate);
    if (!tx) {
        return fail(ctx, exit_failure, "staff disable: " + tx.error().message);
    }
    store::staff_records staff(*db);
    auto record = staff.get(id);
    if (!record) {
        return fail(ctx, exit_failure, "staff disable: " + record.error().message);
    }
    if (!*record) {
        return fail(ctx, exit_bad_input, "staff disable: there is no staff member " + id);
    }
    if ((*record)->disabled) {
        return fail(ctx, exit_bad_input, "staff disable: " + id + " is already disabled");
    }
    store::audit_log audit(*db);
    if (auto s = staff.disable(id); !s) {
        return fail(ctx, exit_failure, "staff disable: " + s.error().message);
    }
    if (auto s = audit.append({utc_day(ctx.time.now_unix()), id, store::audit_action::disable, {}});
        !s) {
        return fail(ctx, exit_failure, "staff disable: " + s.error().message);
    }
    if (auto s = tx->commit(); !s) {
        return fail(ctx, exit_failure, "staff disable: " + s.error().message);
    }
    ctx.out << "staff " << id << ": disabled; a running server ends their sign-ins and streams\n";
    if (!(*record)->desks.empty()) {
        ctx.out << "the other holders of the desk keys of " << joined((*record)->desks)
                << " should rotate them (signaal-inbox desk rotate)\n";
    }
    return exit_ok;
}

int staff_list(const fs::path& config_file, context& ctx) {
    int code = exit_ok;
    auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    std::error_code ec;
    if (!fs::exists(store::database_file(settings->data_dir), ec)) {
        return exit_ok; // no database yet, so nobody
    }
    auto db = existing_database(*settings, "staff list", ctx, code);
    if (!db) {
        return code;
    }
    store::staff_records staff(*db);
    auto all = staff.list();
    if (!all) {
        return fail(ctx, exit_failure, "staff list: " + all.error().message);
    }
    std::size_t id_width = 0;
    std::size_t desks_width = 1;
    for (const auto& r : *all) {
        id_width = std::max(id_width, r.id.size());
        desks_width = std::max(desks_width, joined(r.desks).size());
    }
    for (const auto& r : *all) {
        const auto desks = r.desks.empty() ? std::string("-") : joined(r.desks);
        std::string line =
            r.id + std::string(id_width - r.id.size() + 2, ' ') + r.role +
            std::string(std::string_view("coordinator").size() - r.role.size() + 2, ' ') + desks;
        if (r.disabled) {
            line += std::string(desks_width - desks.size() + 2, ' ') + "disabled";
        }
        ctx.out << line << "\n";
    }
    return exit_ok;
}

int audit_print(const fs::path& config_file, const std::optional<std::string>& from_day,
                context& ctx) {
    if (from_day && !store::day_number(*from_day)) {
        return fail(ctx, exit_bad_input,
                    "audit: --from must be a day written YYYY-MM-DD, not \"" + *from_day + "\"");
    }
    int code = exit_ok;
    auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    std::error_code ec;
    if (!fs::exists(store::database_file(settings->data_dir), ec)) {
        return exit_ok; // no database yet, so no trail
    }
    auto db = existing_database(*settings, "audit", ctx, code);
    if (!db) {
        return code;
    }
    store::audit_log audit(*db);
    auto rows = audit.list(from_day ? std::optional<std::string_view>(*from_day) : std::nullopt);
    if (!rows) {
        return fail(ctx, exit_failure, "audit: " + rows.error().message);
    }
    for (const auto& row : *rows) {
        ctx.out << row.day << "  " << row.staff << "  " << store::to_string(row.action);
        if (!row.report_id.empty()) {
            ctx.out << "  " << crypto::base64url_encode(row.report_id);
        }
        ctx.out << "\n";
    }
    return exit_ok;
}

} // namespace signaal::admin
