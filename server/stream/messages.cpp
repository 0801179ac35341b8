#include "server/stream/messages.hpp"

#include "crypto/base64url.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"

namespace signaal::stream {

namespace {

// A token is base64url of 32 bytes (43 characters); anything far longer is not one.
constexpr std::size_t token_max = 128;

} // namespace

result<auth_request> parse_auth(std::string_view text) {
    if (text.size() > auth_message_max) {
        return fail("The auth message is too long.");
    }
    auto parsed = json::parse(text);
    if (!parsed || !parsed->is_object()) {
        return fail("The first message must be a JSON object.");
    }
    const auto* type = json::find(*parsed, "type");
    if (type == nullptr || !type->is_string() || type->as_string() != "auth") {
        return fail("The first message must be of type auth.");
    }
    const auto* token = json::find(*parsed, "token");
    if (token == nullptr || !token->is_string() || token->as_string().empty() ||
        token->as_string().size() > token_max) {
        return fail("The auth message needs a token.");
    }
    auth_request out;
    out.token = std::string(token->as_string());
    if (const auto* after = json::find(*parsed, "after"); after != nullptr) {
        if (!after->is_object()) {
            return fail("after must be an object of desk to seq.");
        }
        for (const auto& [desk, seq] : after->as_object()) {
            if (!config::valid_id(desk)) {
                return fail("after names something that is not a desk id.");
            }
            if (!seq.is_int64() || seq.as_int64() < 0) {
                return fail("Each seq in after must be a whole number, 0 or more.");
            }
            out.after.emplace(std::string(desk), seq.as_int64());
        }
    }
    return out;
}

std::string event_text(std::string_view desk, std::int64_t seq,
                       std::span<const std::uint8_t> report_id, std::string_view kind) {
    return json::serialize(json::object{{"type", "event"},
                                        {"seq", seq},
                                        {"desk", desk},
                                        {"report_id", crypto::base64url_encode(report_id)},
                                        {"kind", kind}});
}

std::string ready_text(const std::map<std::string, std::int64_t>& last) {
    json::object seq;
    for (const auto& [desk, n] : last) {
        seq.emplace(desk, n);
    }
    return json::serialize(json::object{{"type", "ready"}, {"seq", std::move(seq)}});
}

} // namespace signaal::stream
