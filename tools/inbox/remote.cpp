#include "tools/inbox/remote.hpp"

#include "crypto/base64url.hpp"
#include "tools/inbox/staff_identity.hpp"

#include <algorithm>

namespace signaal::inbox {

bool valid_report_id(std::string_view id) {
    return crypto::base64url_decode_exact(id, 16).has_value();
}

remote::remote(key_files::staff_key key, std::unique_ptr<api_client> api, pin_store pins)
    : key_(std::move(key)), api_(std::move(api)), pins_(std::move(pins)) {}

remote::~remote() {
    sign_out(*api_);
}

std::unique_ptr<remote> remote::begin(const remote_options& options, context& ctx, int& exit_code) {
    exit_code = exit_bad_input;
    if (options.server.empty()) {
        fail(ctx, exit_code, "--server URL is required (https://host[:port])");
        return nullptr;
    }
    if (options.key_file.empty()) {
        fail(ctx, exit_code, "--key FILE is required (your staff key file)");
        return nullptr;
    }
    auto url = parse_server_url(options.server);
    if (!url) {
        fail(ctx, exit_code, url.error().message);
        return nullptr;
    }
    auto pins = pin_store::load(pin_store::beside(options.key_file));
    if (!pins) {
        fail(ctx, exit_code, pins.error().message);
        return nullptr;
    }
    auto key = open_staff_key(options.key_file, options.passphrase, ctx);
    if (!key) {
        fail(ctx, exit_code, key.error().message);
        return nullptr;
    }
    auto wire = transport::make(*url, options.ca_file);
    if (!wire) {
        fail(ctx, exit_code, wire.error().message);
        return nullptr;
    }
    exit_code = exit_failure;
    std::unique_ptr<remote> r(new remote(
        std::move(*key), std::make_unique<api_client>(std::move(*wire), *url), std::move(*pins)));
    auto who = sign_in(r->api(), r->me());
    if (!who) {
        fail(ctx, exit_code, who.error().message);
        return nullptr;
    }
    r->session_ = std::move(*who);
    exit_code = exit_ok;
    return r;
}

result<key_ring> remote::keys(context& ctx) {
    return load_key_ring(*api_, key_, session_.desks, pins_, ctx);
}

void remote::remind_rotations(context& ctx) {
    for (const auto& desk : session_.desks) {
        auto doc = api_->get("/api/v1/desks/" + desk);
        if (!doc) {
            continue; // a reminder only; the command goes on
        }
        const auto* rotate = json::find(*doc, "rotate");
        const auto holders = strings_of(*doc, "holders");
        const bool holder = std::find(holders.begin(), holders.end(), key_.staff) != holders.end();
        if (rotate != nullptr && rotate->is_bool() && rotate->as_bool() && holder) {
            warn(ctx, "a holder of desk " + desk +
                          "'s key was disabled or left since the key was made: make a new one "
                          "with signaal-inbox desk rotate --desk " +
                          desk);
        }
    }
}

} // namespace signaal::inbox
