#include "tools/inbox/api_client.hpp"

#include "crypto/base64url.hpp"
#include "crypto/sign.hpp"
#include "crypto/sign_in_message.hpp"
#include "tools/inbox/printable.hpp"

#include <map>

namespace signaal::inbox {

std::string error_sentence(std::string_view code) {
    static const std::map<std::string, std::string, std::less<>> sentences{
        {"bad_request", "the server could not use the request (a field missing or malformed)"},
        {"unauthorized",
         "the server did not accept the sign-in or the session: is this key registered there and "
         "not disabled, and is --server the address the server knows itself by?"},
        {"forbidden", "that is not allowed for your role or desks"},
        {"pow_invalid", "the proof of work was refused"},
        {"not_found", "there is no such report or path (or it is not for your desks)"},
        {"method_not_allowed", "the server does not take that request there"},
        {"stale_key", "the desk no longer accepts that key; fetch the current one"},
        {"no_mailbox", "that report has no mailbox"},
        {"stale_change", "that change is out of date"},
        {"reply_in_use", "those reply keys already serve another report"},
        {"too_large", "the request is larger than the server accepts"},
        {"unsupported_media_type", "the server wants JSON"},
        {"bad_signature", "the server found a signature that does not verify"},
        {"consent_violation",
         "the server refused it: it does not match who may hold the desk key or read the report"},
        {"unknown_desk", "the server knows no such desk"},
        {"unknown_category", "the server knows no such category"},
        {"unknown_role", "the server knows no such role"},
        {"busy", "the server is busy; try again in a moment"},
        {"internal", "the server could not store it; nothing was changed"},
        {"unavailable", "the server cannot take this now; try again later"},
    };
    const auto found = sentences.find(code);
    return found == sentences.end() ? "the server refused the request" : found->second;
}

std::string refusal(const http_answer& answer) {
    std::string code;
    std::string message;
    if (const auto doc = json::parse(answer.body)) {
        if (const auto* error = json::find(*doc, "error")) {
            code = string_of(*error, "code");
            message = string_of(*error, "message");
        }
    }
    std::string out = error_sentence(code) + " (HTTP " + std::to_string(answer.status);
    if (!code.empty()) {
        out += " " + printable(code);
    }
    if (!message.empty()) {
        out += ": " + printable(message);
    }
    return out + ")";
}

std::string string_of(const json::value& v, std::string_view key) {
    const auto* f = json::find(v, key);
    return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

std::vector<std::string> strings_of(const json::value& v, std::string_view key) {
    std::vector<std::string> out;
    const auto* f = json::find(v, key);
    if (f != nullptr && f->is_array()) {
        for (const auto& item : f->as_array()) {
            if (item.is_string()) {
                out.emplace_back(item.as_string());
            }
        }
    }
    return out;
}

api_client::api_client(std::unique_ptr<transport> wire, server_url server)
    : wire_(std::move(wire)), server_(std::move(server)) {}

result<json::value> api_client::json_of(result<http_answer> answer) {
    last_status_ = answer ? answer->status : 0;
    if (!answer) {
        return answer.error();
    }
    if (answer->status < 200 || answer->status > 299) {
        return signaal::fail(refusal(*answer));
    }
    if (answer->body.empty()) {
        return json::value(json::object{});
    }
    auto doc = json::parse(answer->body);
    if (!doc) {
        return signaal::fail("the server's answer is not valid JSON");
    }
    return std::move(*doc);
}

result<json::value> api_client::get(const std::string& target) {
    return json_of(wire_->request("GET", target, {}, token_));
}

result<json::value> api_client::post(const std::string& target, const json::value& body) {
    return json_of(wire_->request("POST", target, json::serialize(body), token_));
}

result<http_answer> api_client::get_raw(const std::string& target) {
    auto answer = wire_->request("GET", target, {}, token_);
    if (answer && (answer->status < 200 || answer->status > 299)) {
        return signaal::fail(refusal(*answer));
    }
    return answer;
}

result<session> sign_in(api_client& api, const key_files::staff_key& key) {
    auto challenge_doc = api.post("/api/v1/auth/challenge", json::object{});
    if (!challenge_doc) {
        return signaal::fail("sign-in: " + challenge_doc.error().message);
    }
    const auto challenge = crypto::base64url_decode_exact(string_of(*challenge_doc, "challenge"),
                                                          crypto::challenge_size);
    if (!challenge) {
        return signaal::fail("sign-in: the server's challenge is not 32 bytes of base64url");
    }
    const auto message = crypto::staff_sign_in_message(api.server().origin, key.staff, *challenge);
    const auto signature = crypto::sign_detached(message, key.sign_sk);
    auto signed_in = api.post("/api/v1/auth/staff",
                              json::object{{"staff", key.staff},
                                           {"challenge", crypto::base64url_encode(*challenge)},
                                           {"signature", crypto::base64url_encode(signature)}});
    if (!signed_in) {
        return signaal::fail("sign-in as " + key.staff + " at " + api.server().origin + ": " +
                             signed_in.error().message);
    }
    const std::string token = string_of(*signed_in, "token");
    const auto* expires = json::find(*signed_in, "expires_in");
    if (token.empty() || expires == nullptr || !expires->is_int64()) {
        return signaal::fail("sign-in: the server's answer has no token or expiry");
    }
    api.set_token(token);
    session s;
    s.staff = key.staff;
    s.role = string_of(*signed_in, "role");
    s.desks = strings_of(*signed_in, "desks");
    s.expires_in = expires->as_int64();
    return s;
}

void sign_out(api_client& api) {
    if (api.token().empty() || api.wire().interrupted()) {
        return;
    }
    (void)api.wire().request("POST", "/api/v1/auth/logout", {}, api.token());
    api.set_token({});
}

} // namespace signaal::inbox
