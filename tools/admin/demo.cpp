#include "tools/admin/demo.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "server/common/clock.hpp"
#include "server/config/listen_address.hpp"
#include "server/config/settings.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/staff_records.hpp"
#include "server/store/transaction.hpp"
#include "server/tls/self_signed.hpp"
#include "tools/admin/instance.hpp"
#include "tools/common/key_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace signaal::admin {
namespace {

namespace fs = std::filesystem;

/// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04X", u);
            out += buffer;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// Short on purpose: desks, categories and routing come from the embedded defaults.
std::string demo_config(const demo_options& options, const fs::path& dir) {
    std::ostringstream t;
    t << "# Signaal demo instance, made by `signaal-admin demo`. Start it with:\n"
      << "#   signaal-server --config " << (dir / "signaal.toml").string() << "\n"
      << "#\n"
      << "# Only the keys that differ from the built-in defaults are here; desks\n"
      << "# (care, municipality, police), categories, routing and help come from\n"
      << "# them. See config/signaal.example.toml for every key. Relative paths are\n"
      << "# relative to this file's folder.\n"
      << "\n"
      << "[instance]\n"
      << "name = \"Signaal demo\"\n"
      << "\n"
      << "[server]\n"
      << "listen = " << toml_string(options.listen) << "\n"
      << "# The database (signaal.db) and the localhost TLS pair (tls/) live here.\n"
      << "data_dir = \".\"\n"
      << "# The built phone page and staff pages.\n"
      << "web_root = " << toml_string(options.web_root.string()) << "\n"
      << "\n"
      << "[reports]\n"
      << "# Proof-of-work bits a phone solves before it sends a report.\n"
      << "pow_difficulty = 16\n";
    return t.str();
}

/// Undoes a half-made demo: DIR was absent or empty, so everything in it is ours.
class cleanup {
  public:
    cleanup(fs::path dir, bool created_dir) : dir_(std::move(dir)), created_dir_(created_dir) {}
    void keep() { keep_ = true; }
    ~cleanup() {
        if (keep_) {
            return;
        }
        std::error_code ec;
        if (created_dir_) {
            fs::remove_all(dir_, ec);
            return;
        }
        for (const auto& entry : fs::directory_iterator(dir_, ec)) {
            fs::remove_all(entry.path(), ec);
        }
    }
    cleanup(const cleanup&) = delete;
    cleanup& operator=(const cleanup&) = delete;

  private:
    fs::path dir_;
    bool created_dir_;
    bool keep_ = false;
};

bool write_text_file(const fs::path& file, const std::string& text, std::string& error) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot create " + file.string() + ": " + std::strerror(errno);
        return false;
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    const bool closed = ::close(fd) == 0;
    if (!ok || !closed) {
        error = "cannot write " + file.string();
        return false;
    }
    return true;
}

bool make_private_dir(const fs::path& dir, std::string& error) {
    if (::mkdir(dir.c_str(), 0700) != 0) {
        error = "cannot create " + dir.string() + ": " + std::strerror(errno);
        return false;
    }
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec); // whatever the umask
    return true;
}

} // namespace

int demo(const demo_options& options, context& ctx) {
    std::error_code ec;
    if (options.dir.empty()) {
        return fail(ctx, exit_bad_input, "demo: a folder is required: signaal-admin demo DIR");
    }
    const auto dir = fs::absolute(options.dir, ec).lexically_normal();
    const auto status = fs::symlink_status(dir, ec);
    const bool existed = fs::exists(status);
    if (existed && (!fs::is_directory(status) || !fs::is_empty(dir, ec) || ec)) {
        return fail(ctx, exit_bad_input,
                    "demo: " + dir.string() + " exists and is not an empty folder");
    }
    if (!existed && !fs::is_directory(dir.parent_path(), ec)) {
        return fail(ctx, exit_bad_input,
                    "demo: folder " + dir.parent_path().string() + " does not exist");
    }
    if (const auto listen = config::parse_listen(options.listen); !listen) {
        return fail(ctx, exit_bad_input, "demo: --listen: " + listen.error().message);
    }
    demo_options resolved = options;
    resolved.web_root = fs::absolute(options.web_root, ec).lexically_normal();
    const auto config_text = demo_config(resolved, dir);
    // Checked before anything is written: a bad option changes nothing.
    if (auto check = config::load_string(config_text, dir, "signaal.toml"); !check) {
        return fail(ctx, exit_bad_input, "demo: " + check.error().message);
    }

    if (!existed && ::mkdir(dir.c_str(), 0700) != 0) {
        return fail(ctx, exit_failure,
                    "demo: cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    cleanup undo(dir, !existed);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace,
                    ec); // it holds the database
    std::string error;
    auto failed = [&](const std::string& what) {
        return fail(ctx, exit_failure,
                    "demo: " + what + "; removed what was made in " + dir.string());
    };

    const auto config_file = dir / "signaal.toml";
    if (!write_text_file(config_file, config_text, error)) {
        return failed(error);
    }
    auto loaded = config::load_file(config_file);
    if (!loaded) {
        return failed(loaded.error().message);
    }
    const auto& settings = *loaded;

    fs::path db_path;
    try {
        db_path = store::migrated_database(settings.data_dir);
    } catch (const std::exception& e) {
        return failed(e.what());
    }
    auto db = store::database::open(db_path, store::open_mode::read_write_create);
    if (!db) {
        return failed("cannot open database " + db_path.string() + ": " + db.error().message);
    }

    const auto keys_dir = dir / "keys";
    if (!make_private_dir(keys_dir, error)) {
        return failed(error);
    }
    // Staff first: each desk's caseworker holds (and grants to themself) its key.
    const auto today = signaal::utc_day(ctx.time.now_unix());
    std::vector<std::string> made;
    std::map<std::string, key_files::staff_key> caseworker_of;
    std::vector<store::staff_record> records;
    std::vector<std::pair<std::string, std::string>> staff_ids; // id, desk ("" coordinator)
    for (const auto& desk : settings.desks) {
        staff_ids.emplace_back(desk.id + "-demo", desk.id);
    }
    staff_ids.emplace_back("coordinator-demo", "");
    for (const auto& [staff, desk] : staff_ids) {
        if (!config::valid_id(staff)) {
            return failed("staff id \"" + staff + "\" is longer than 32 characters");
        }
        key_files::staff_key key;
        key.staff = staff;
        auto sign = crypto::sign_keygen();
        key.sign_pk = std::move(sign.public_key);
        key.sign_sk = std::move(sign.secret_key);
        auto box = crypto::box_keygen();
        key.box_pk = std::move(box.public_key);
        key.box_sk = std::move(box.secret_key);
        const auto file = keys_dir / ("staff-" + staff + ".json");
        if (auto written = key_files::write_staff_key(file, key); !written) {
            return failed(written.error().message);
        }
        store::staff_record record;
        record.id = staff;
        record.role = desk.empty() ? "coordinator" : "caseworker";
        if (!desk.empty()) {
            record.desks = {desk};
        }
        record.sign_pk = key.sign_pk;
        record.box_pk = key.box_pk;
        record.added_day = today;
        records.push_back(std::move(record));
        made.push_back("staff " + staff + " (" +
                       (desk.empty() ? "coordinator" : "caseworker of " + desk) + "): key file " +
                       file.string());
        if (!desk.empty()) {
            caseworker_of.emplace(desk, std::move(key));
        }
    }

    auto tx = store::transaction::begin(*db, store::transaction::kind::immediate);
    if (!tx) {
        return failed(tx.error().message);
    }
    store::staff_records staff_table(*db);
    for (const auto& record : records) {
        if (auto added = staff_table.add(record); !added) {
            return failed("staff " + record.id + ": " + added.error().message);
        }
    }
    // The desk keys are made here for the demo only; an instance's holders make
    // theirs on their own machines (signaal-inbox desk init).
    store::desk_registry registry(*db);
    for (const auto& desk : settings.desks) {
        const auto& holder = caseworker_of.at(desk.id);
        key_files::desk_key key;
        key.desk = desk.id;
        auto pair = crypto::box_keygen();
        key.public_key = std::move(pair.public_key);
        key.secret_key = std::move(pair.secret_key);
        const auto id = crypto::key_id_of(key.public_key);
        const auto id_text = crypto::base64url_encode(id);
        const auto file = keys_dir / ("desk-" + desk.id + ".json");
        if (auto written = key_files::write_desk_key(file, key); !written) {
            return failed(written.error().message);
        }
        store::key_grant grant;
        grant.desk = desk.id;
        grant.key_id.assign(id.begin(), id.end());
        grant.to = holder.staff;
        grant.wrapped = crypto::grant_wrap(key.secret_key, holder.box_pk);
        grant.by = holder.staff;
        grant.signature = crypto::sign_detached(
            crypto::grant_signed_bytes(desk.id, id_text, grant.to, grant.wrapped), holder.sign_sk);
        if (auto s = registry.register_desk(desk.id, {holder.staff}); !s) {
            return failed("desk " + desk.id + ": " + s.error().message);
        }
        if (auto s = registry.add_key(desk.id, id, key.public_key, today, 0); !s) {
            return failed("desk " + desk.id + ": " + s.error().message);
        }
        if (auto s = registry.add_grant(grant); !s) {
            return failed("desk " + desk.id + ": " + s.error().message);
        }
        made.push_back("desk " + desk.id + ": current key " + id_text + ", granted to " +
                       holder.staff + ", secret key backup " + file.string());
    }
    if (auto committed = tx->commit(); !committed) {
        return failed(committed.error().message);
    }

    const auto pem = tls::ensure_self_signed(dir / "tls");
    if (!pem) {
        return failed("TLS certificate: " + pem.error().message);
    }
    undo.keep();

    ctx.out << "Made a Signaal demo instance in " << dir.string() << ":\n"
            << "  config: " << config_file.string() << "\n"
            << "  database: " << db_path.string() << "\n";
    for (const auto& line : made) {
        ctx.out << "  " << line << "\n";
    }
    ctx.out
        << "  TLS certificate (for clients' --ca): " << pem->certificate.string() << "\n"
        << "  TLS private key: " << pem->private_key.string() << "\n"
        << "The staff are registered and each desk's key is granted to its caseworker,\n"
        << "who signs in with their key file (signaal-inbox --key, or the web inbox at /desk/).\n";
    if (!fs::is_directory(resolved.web_root, ec)) {
        ctx.out << "Note: the web root " << resolved.web_root.string()
                << " does not exist yet; build the web page (npm run build in web/) first.\n";
    }
    ctx.out << "Start it with:\n  signaal-server --config " << config_file.string() << "\n"
            << "then open https://" << listen_text(settings)
            << "/ (the certificate is self-signed).\n";
    return exit_ok;
}

} // namespace signaal::admin
