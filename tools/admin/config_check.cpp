#include "tools/admin/config_check.hpp"

#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_keys.hpp"
#include "server/store/migrations.hpp"
#include "tools/admin/instance.hpp"

#include <algorithm>
#include <set>

namespace signaal::admin {

namespace fs = std::filesystem;

int config_check(const fs::path& config_file, context& ctx) {
    int code = exit_ok;
    auto settings = load_config(config_file, ctx, code);
    if (!settings) {
        return code;
    }
    std::error_code ec;
    ctx.out << "config " << fs::absolute(config_file, ec).lexically_normal().string() << ": ok\n";
    ctx.out << "instance: " << settings->instance_name << "\n";
    ctx.out << "listen: " << listen_text(*settings) << "\n";
    auto data_dir = settings->data_dir.lexically_normal();
    if (data_dir.filename().empty() && data_dir.has_parent_path()) {
        data_dir = data_dir.parent_path(); // "dir/" from data_dir = "."
    }
    ctx.out << "data dir: " << data_dir.string() << "\n";
    ctx.out << "web root: " << settings->web_root.string()
            << (fs::is_directory(settings->web_root, ec) ? ""
                                                         : " (not found: build the web page first)")
            << "\n";
    ctx.out << "tls: "
            << (settings->tls_certificate
                    ? settings->tls_certificate->string()
                    : "self-signed localhost pair in " + (settings->data_dir / "tls").string())
            << "\n";

    // Which desks have a current key: read-only, so a check never migrates or creates.
    const auto db_path = store::database_file(settings->data_dir);
    std::optional<std::set<std::string>> with_key;
    std::string db_note;
    if (!fs::exists(db_path, ec)) {
        db_note = "not created yet (the server or signaal-admin staff add makes it)";
    } else {
        auto db = store::database::open(db_path, store::open_mode::read_only);
        if (!db) {
            return fail(ctx, exit_failure,
                        "config check: cannot open database " + db_path.string() + ": " +
                            db.error().message);
        }
        auto version = db->user_version();
        if (!version) {
            return fail(ctx, exit_failure,
                        "config check: " + db_path.string() + ": " + version.error().message);
        }
        if (*version != store::latest_schema_version()) {
            db_note =
                "schema " + std::to_string(*version) + ", this binary knows " +
                std::to_string(store::latest_schema_version()) +
                (*version < store::latest_schema_version() ? " (the server migrates it on start)"
                                                           : " (upgrade signaal)");
        }
        if (*version >= 1) {
            store::desk_keys keys(*db);
            auto current = keys.list();
            if (!current) {
                return fail(ctx, exit_failure, "config check: " + current.error().message);
            }
            with_key.emplace();
            for (const auto& k : *current) {
                if (!k.accept_until) {
                    with_key->insert(k.desk);
                }
            }
        }
    }
    ctx.out << "database: " << db_path.string() << (db_note.empty() ? "" : ": " + db_note) << "\n";
    ctx.out << "desks: " << settings->desks.size() << "\n";
    for (const auto& d : settings->desks) {
        ctx.out << "  " << d.id;
        if (with_key) {
            ctx.out << (with_key->count(d.id) != 0
                            ? ": current key"
                            : ": no current key (signaal-admin desk add " + d.id +
                                  " --holder STAFF, then the holder makes it)");
        }
        ctx.out << "\n";
    }
    ctx.out << "categories: " << settings->categories.size() << "\n";
    return exit_ok;
}

} // namespace signaal::admin
