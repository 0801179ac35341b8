#include "tools/inbox/keygen.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "tools/common/key_files.hpp"
#include "tools/inbox/staff_identity.hpp"

#include <system_error>

namespace signaal::inbox {

int keygen(const keygen_options& options, context& ctx) {
    if (options.out.empty()) {
        return fail(ctx, exit_bad_input, "keygen: --out FILE is required");
    }
    if (!config::valid_id(options.staff)) {
        return fail(ctx, exit_bad_input,
                    "keygen: --staff must be an id of a-z, 0-9, _ and -, at most 32 characters");
    }
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(options.out, ec))) {
        return fail(ctx, exit_bad_input,
                    "keygen: " + options.out.string() + " already exists; not overwriting it");
    }
    std::optional<secret_text> passphrase;
    if (!options.no_passphrase) {
        auto typed = passphrase_to_lock(options.passphrase, options.out.string());
        if (!typed) {
            return fail(ctx, exit_bad_input, "keygen: " + typed.error().message);
        }
        passphrase = std::move(*typed);
    }

    key_files::staff_key key;
    key.staff = options.staff;
    auto sign = crypto::sign_keygen();
    key.sign_pk = std::move(sign.public_key);
    key.sign_sk = std::move(sign.secret_key);
    auto box = crypto::box_keygen();
    key.box_pk = std::move(box.public_key);
    key.box_sk = std::move(box.secret_key);
    const auto written = passphrase
                             ? key_files::write_staff_key(options.out, key, passphrase->view())
                             : key_files::write_staff_key(options.out, key);
    if (!written) {
        return fail(ctx, exit_failure, "keygen: " + written.error().message);
    }

    if (passphrase) {
        ctx.out << "Wrote " << options.out.string() << " for " << key.staff
                << ", locked with your passphrase (v2).\n";
    } else {
        ctx.out << "Wrote " << options.out.string() << " for " << key.staff << " UNLOCKED (v1).\n";
        warn(ctx, options.out.string() + ": " + unlocked_file_cost(key.staff));
    }
    ctx.out << "Give the operator these public keys (nothing secret), to run on the server host:\n"
            << "  signaal-admin --config FILE staff add " << key.staff
            << " --role caseworker --desk DESK --sign-pk " << crypto::base64url_encode(key.sign_pk)
            << " --box-pk " << crypto::base64url_encode(key.box_pk) << "\n"
            << "(a coordinator: --role coordinator, without --desk)\n";
    return exit_ok;
}

} // namespace signaal::inbox
