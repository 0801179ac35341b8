// signaal-inbox forward: a caseworker of a desk that holds a report seals its
// key to the desks the reporter added since (PROTOCOL.md §7, stepped consent).
// Only her signature decides: before anything is sealed, every consent change
// must verify against the mailbox key sealed inside the report and replay to
// what the server serves; otherwise nothing is sent.
#include "crypto/base64url.hpp"
#include "crypto/sealed_message.hpp"
#include "server/config/settings.hpp"
#include "tools/inbox/commands.hpp"
#include "tools/inbox/consent_history.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/report_opener.hpp"
#include "tools/inbox/sealing_key.hpp"

#include <algorithm>

namespace signaal::inbox {
namespace {

std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + printable(item);
    }
    return out.empty() ? "-" : out;
}

} // namespace

int forward(const remote_options& options, const std::string& report_id,
            const std::optional<std::string>& desk, context& ctx) {
    if (!valid_report_id(report_id)) {
        return fail(ctx, exit_bad_input,
                    "forward: \"" + printable(report_id) +
                        "\" is not a report id (16 bytes of base64url, as list prints them)");
    }
    if (desk && !config::valid_id(*desk)) {
        return fail(ctx, exit_bad_input,
                    "forward: --desk \"" + printable(*desk) + "\" is not a desk id");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    if (!r->caseworker()) {
        return fail(ctx, exit_bad_input,
                    "forward is for caseworkers; " + r->who().staff + " is a " + r->who().role);
    }
    auto ring = r->keys(ctx);
    if (!ring) {
        return fail(ctx, exit_failure, ring.error().message);
    }
    auto doc = r->api().get("/api/v1/reports/" + report_id);
    if (!doc) {
        return fail(ctx, exit_failure, "report " + report_id + ": " + doc.error().message);
    }
    auto opened = open_report(*doc, *ring, r->who().desks);
    if (!opened) {
        return fail(ctx, exit_refused, opened.error().message + "; nothing was forwarded");
    }
    if (opened->count_only) {
        return fail(ctx, exit_bad_input,
                    "report " + report_id + " is count only: it has no text to forward");
    }
    auto served = read_served_consent(*doc);
    if (!served) {
        return fail(ctx, exit_refused, served.error().message + "; nothing was forwarded");
    }
    if (opened->sealed_mailbox_pk.empty()) {
        return fail(ctx, exit_refused,
                    "report " + report_id +
                        " has no mailbox key sealed inside, so no consent change can be the "
                        "reporter's; refused, nothing was forwarded");
    }
    const auto history = check_consent_history(report_id, *served, opened->sealed_mailbox_pk);
    if (!history.holds()) {
        print_consent_history(ctx.err, history);
        return fail(ctx, exit_refused,
                    "refused to forward report " + report_id +
                        ": its consent changes are not all the reporter's own (see above); "
                        "nothing was forwarded. Tell the operator");
    }
    std::vector<std::string> targets = served->pending;
    if (desk) {
        if (std::find(targets.begin(), targets.end(), *desk) == targets.end()) {
            return fail(ctx, exit_bad_input,
                        "forward: desk " + *desk + " is not pending for report " + report_id +
                            " (pending: " + listed(served->pending) + ")");
        }
        targets = {*desk};
    }
    if (targets.empty()) {
        ctx.out << "report " << report_id
                << ": no desk is pending; nothing to forward (desks: " << listed(served->desks)
                << ")\n";
        return exit_ok;
    }
    auto config = r->api().get("/api/v1/config");
    if (!config) {
        return fail(ctx, exit_failure, "instance configuration: " + config.error().message);
    }
    std::vector<sealing_key> keys;
    for (const auto& target : targets) {
        auto key = config_key_of(*config, target);
        if (!key) {
            return fail(ctx, exit_refused, key.error().message + "; nothing was forwarded");
        }
        if (auto trusted = trust_sealing_key(*key, r->pins(), ctx); !trusted) {
            return fail(ctx, exit_refused, trusted.error().message + "; nothing was forwarded");
        }
        keys.push_back(std::move(*key));
    }
    if (auto saved = r->pins().save(); !saved) {
        return fail(ctx, exit_failure, saved.error().message + "; nothing was forwarded");
    }
    json::object envelopes;
    for (const auto& key : keys) {
        envelopes[key.desk] = json::object{
            {"key_id", key.key_id},
            {"sealed",
             crypto::base64url_encode(crypto::seal_envelope(opened->report_key, key.public_key))}};
    }
    auto answer = r->api().post("/api/v1/reports/" + report_id + "/envelopes",
                                json::object{{"envelopes", std::move(envelopes)}});
    if (!answer) {
        return fail(ctx, exit_failure, "report " + report_id + ": " + answer.error().message);
    }
    for (const auto& key : keys) {
        ctx.out << "report " << report_id << ": sealed to desk " << key.desk << " (key id "
                << key.key_id << ", fingerprint " << key.fingerprint << ")\n";
    }
    ctx.out << "report " << report_id << ": desks " << listed(strings_of(*answer, "desks"))
            << "; pending " << listed(strings_of(*answer, "pending")) << "\n";
    return exit_ok;
}

} // namespace signaal::inbox
