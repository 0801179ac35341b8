// signaal-inbox login: a check that the key, the server and the desk keys are
// all in order, with the fingerprints to compare out of band.
#include "tools/inbox/commands.hpp"

namespace signaal::inbox {

int login(const remote_options& options, context& ctx) {
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    const auto& who = r->who();
    std::string desks;
    for (const auto& d : who.desks) {
        desks += (desks.empty() ? "" : ", ") + d;
    }
    ctx.out << "Signed in to " << r->api().server().origin << " as " << who.staff << " ("
            << who.role << ")\n"
            << "desks: " << (desks.empty() ? "-" : desks) << "\n"
            << "the session ends in " << who.expires_in / 60
            << " minutes; this command ends it now (no token is kept)\n";
    if (who.desks.empty()) {
        return exit_ok;
    }
    auto ring = r->keys(ctx);
    if (!ring) {
        return fail(ctx, exit_failure, ring.error().message);
    }
    for (const auto& desk : who.desks) {
        const auto keys = ring->of_desk(desk);
        if (keys.empty()) {
            ctx.out << "desk " << desk << ": no trusted key yet\n";
        }
        for (const auto* k : keys) {
            ctx.out << "desk " << desk << ": key " << k->key_id << ", fingerprint "
                    << k->fingerprint << ", granted by " << k->granted_by << "\n";
        }
    }
    r->remind_rotations(ctx);
    if (ring->refused > 0) {
        return fail(ctx, exit_refused,
                    std::to_string(ring->refused) + " desk key(s) refused (see above)");
    }
    return exit_ok;
}

} // namespace signaal::inbox
