// signaal-inbox desk init, desk rotate and grant: a desk's key pair is made on
// this machine, never on the server (PROTOCOL.md §6), and reaches each holder
// sealed to their box key and signed by the one who made or holds it.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "tools/common/key_files.hpp"
#include "tools/inbox/commands.hpp"

#include <algorithm>

namespace signaal::inbox {
namespace {

struct desk_view {
    std::vector<std::string> caseworkers;
    std::vector<std::string> holders;
    std::string key_id; // empty while the desk has no key
};

result<desk_view> fetch_desk(api_client& api, const std::string& desk) {
    auto doc = api.get("/api/v1/desks/" + desk);
    if (!doc) {
        return signaal::fail("desk " + desk + ": " + doc.error().message);
    }
    desk_view v;
    v.caseworkers = strings_of(*doc, "caseworkers");
    v.holders = strings_of(*doc, "holders");
    v.key_id = string_of(*doc, "key_id");
    for (const auto& h : v.holders) {
        if (!config::valid_id(h)) {
            return signaal::fail("desk " + desk +
                                 ": the server names a holder that is not a staff id");
        }
    }
    return v;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// The box key a grant to `to` is sealed to: our own from our key file, a
/// colleague's from the server (a caseworker of the desk, or refused here).
result<crypto::bytes> box_key_of(staff_directory& colleagues, const key_files::staff_key& me,
                                 const std::string& to, const std::string& desk) {
    if (to == me.staff) {
        return me.box_pk;
    }
    auto colleague = colleagues.find(to);
    if (!colleague) {
        return colleague.error();
    }
    if (colleague->role != "caseworker" || !contains(colleague->desks, desk)) {
        return signaal::fail(to + " is not a caseworker of desk " + desk);
    }
    return colleague->box_pk;
}

json::object make_grant(const std::string& desk, const std::string& key_id,
                        const crypto::secret_bytes& desk_secret, const std::string& to,
                        const crypto::bytes& to_box_pk, const key_files::staff_key& me) {
    const auto wrapped = crypto::grant_wrap(desk_secret, to_box_pk);
    const auto signature =
        crypto::sign_detached(crypto::grant_signed_bytes(desk, key_id, to, wrapped), me.sign_sk);
    return json::object{{"desk", desk},   {"key_id", key_id},
                        {"to", to},       {"wrapped", crypto::base64url_encode(wrapped)},
                        {"by", me.staff}, {"signature", crypto::base64url_encode(signature)}};
}

/// desk init and desk rotate: a new pair, a backup first (so an uploaded key is
/// never without one when one was asked for), grants for every holder, upload.
int new_desk_key(const remote_options& options, const desk_key_options& d, bool first,
                 context& ctx) {
    const std::string command = first ? "desk init" : "desk rotate";
    if (!config::valid_id(d.desk)) {
        return fail(ctx, exit_bad_input, command + ": --desk must be a desk id");
    }
    std::error_code ec;
    if (d.backup && std::filesystem::exists(std::filesystem::symlink_status(*d.backup, ec))) {
        return fail(ctx, exit_bad_input,
                    command + ": " + d.backup->string() + " already exists; not overwriting it");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    if (!contains(r->who().desks, d.desk)) {
        return fail(ctx, exit_bad_input, command + ": " + d.desk + " is not one of your desks");
    }
    auto view = fetch_desk(r->api(), d.desk);
    if (!view) {
        return fail(ctx, exit_failure, view.error().message);
    }
    if (first && !view->key_id.empty()) {
        return fail(ctx, exit_bad_input,
                    command + ": desk " + d.desk + " has a key already (" + view->key_id +
                        "); make a new one with desk rotate");
    }
    if (!first && view->key_id.empty()) {
        return fail(ctx, exit_bad_input,
                    command + ": desk " + d.desk +
                        " has no key yet; make the first with desk init");
    }
    if (!contains(view->holders, r->me().staff)) {
        return fail(ctx, exit_bad_input,
                    command + ": you are not " + (first ? "named as a holder" : "a holder") +
                        " of desk " + d.desk + "; ask one of its holders");
    }
    staff_directory colleagues(r->api());
    std::vector<std::pair<std::string, crypto::bytes>> recipients;
    for (const auto& holder : view->holders) {
        auto box_pk = box_key_of(colleagues, r->me(), holder, d.desk);
        if (!box_pk) {
            return fail(ctx, exit_failure, command + ": " + box_pk.error().message);
        }
        recipients.emplace_back(holder, std::move(*box_pk));
    }

    auto pair = crypto::box_keygen();
    const auto key_id = crypto::base64url_encode(crypto::key_id_of(pair.public_key));
    const auto fingerprint = crypto::desk_fingerprint(pair.public_key);
    if (d.backup) {
        auto passphrase = passphrase_to_lock(d.backup_passphrase, d.backup->string());
        if (!passphrase) {
            return fail(ctx, exit_bad_input, command + ": " + passphrase.error().message);
        }
        key_files::desk_key backup{d.desk, pair.public_key,
                                   crypto::secret_bytes(pair.secret_key.view())};
        if (auto written = key_files::write_desk_key(*d.backup, backup, passphrase->view());
            !written) {
            return fail(ctx, exit_failure, command + ": " + written.error().message);
        }
    } else {
        warn(ctx, "no --backup: if every holder of desk " + d.desk +
                      " loses their key file, reports sealed to this key can never be read");
    }
    json::array grants;
    for (const auto& [holder, box_pk] : recipients) {
        grants.push_back(make_grant(d.desk, key_id, pair.secret_key, holder, box_pk, r->me()));
    }
    auto uploaded =
        r->api().post("/api/v1/desks/" + d.desk + "/keys",
                      json::object{{"public_key", crypto::base64url_encode(pair.public_key)},
                                   {"grants", std::move(grants)}});
    if (!uploaded) {
        return fail(ctx, exit_failure,
                    command + ": " + uploaded.error().message +
                        (d.backup ? "; the backup file stays, unused" : ""));
    }
    // Made here: trusted without asking.
    r->pins().add(d.desk, pin{key_id, fingerprint, r->me().staff});
    if (auto saved = r->pins().save(); !saved) {
        warn(ctx, saved.error().message);
    }
    ctx.out << "desk " << d.desk << ": new key " << key_id << ", fingerprint " << fingerprint
            << "\n";
    std::string names;
    for (const auto& [holder, box_pk] : recipients) {
        names += (names.empty() ? "" : ", ") + holder;
    }
    ctx.out << "granted to: " << names << "\n";
    if (d.backup) {
        ctx.out << "backup (locked): " << d.backup->string() << "\n";
    }
    ctx.out << "Each holder should compare this fingerprint with you before trusting the key.\n";
    return exit_ok;
}

} // namespace

int desk_init(const remote_options& options, const desk_key_options& desk, context& ctx) {
    return new_desk_key(options, desk, true, ctx);
}

int desk_rotate(const remote_options& options, const desk_key_options& desk, context& ctx) {
    return new_desk_key(options, desk, false, ctx);
}

int grant(const remote_options& options, const std::string& desk, const std::string& to,
          context& ctx) {
    if (!config::valid_id(desk) || !config::valid_id(to)) {
        return fail(ctx, exit_bad_input, "grant: --desk and --to must be ids");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    if (!contains(r->who().desks, desk)) {
        return fail(ctx, exit_bad_input, "grant: " + desk + " is not one of your desks");
    }
    if (to == r->me().staff) {
        return fail(ctx, exit_bad_input, "grant: --to names yourself");
    }
    auto ring = r->keys(ctx);
    if (!ring) {
        return fail(ctx, exit_failure, ring.error().message);
    }
    auto keys = ring->of_desk(desk);
    if (keys.empty()) {
        return fail(ctx, exit_refused, "grant: you hold no trusted key of desk " + desk);
    }
    auto view = fetch_desk(r->api(), desk);
    if (!view) {
        return fail(ctx, exit_failure, view.error().message);
    }
    // The current key first: it is the one the colleague needs for new reports.
    std::stable_partition(keys.begin(), keys.end(),
                          [&](const desk_key* k) { return k->key_id == view->key_id; });
    staff_directory colleagues(r->api());
    auto box_pk = box_key_of(colleagues, r->me(), to, desk);
    if (!box_pk) {
        return fail(ctx, exit_failure, "grant: " + box_pk.error().message);
    }
    for (const auto* k : keys) {
        auto posted =
            r->api().post("/api/v1/desk-keys/grants",
                          make_grant(desk, k->key_id, k->secret_key, to, *box_pk, r->me()));
        if (!posted) {
            return fail(ctx, exit_failure,
                        "grant of " + desk + " key " + k->key_id + " to " + to + ": " +
                            posted.error().message);
        }
        ctx.out << "granted desk " << desk << " key " << k->key_id << " (fingerprint "
                << k->fingerprint << ") to " << to << "\n";
    }
    ctx.out << to << " should compare the fingerprint with you before trusting the key.\n";
    return exit_ok;
}

} // namespace signaal::inbox
