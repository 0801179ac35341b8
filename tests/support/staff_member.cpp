#include "tests/support/staff_member.hpp"

#include "crypto/base64url.hpp"
#include "crypto/sign_in_message.hpp"
#include "server/common/clock.hpp"
#include "server/json/json.hpp"
#include "server/store/database.hpp"
#include "server/store/staff_records.hpp"

#include <stdexcept>

namespace signaal::testing {

void staff_member::add_to(const std::filesystem::path& database) const {
    auto db = store::database::open(database, store::open_mode::read_write_create);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    store::staff_records staff(*db);
    store::staff_record record{id,
                               role,
                               desks,
                               sign.public_key,
                               box.public_key,
                               false,
                               utc_day(system_clock{}.now_unix())};
    if (auto added = staff.add(record); !added) {
        throw std::runtime_error(added.error().message);
    }
}

std::vector<std::uint8_t> staff_member::sign_in_signature(const std::string& origin,
                                                          crypto::byte_view challenge) const {
    return crypto::sign_detached(crypto::staff_sign_in_message(origin, id, challenge),
                                 sign.secret_key);
}

std::vector<std::uint8_t> fetch_challenge(https_client& client) {
    const auto reply = client.request("POST", "/api/v1/auth/challenge");
    if (reply.status != 200) {
        throw std::runtime_error("POST /api/v1/auth/challenge: " + std::to_string(reply.status));
    }
    const auto doc = json::parse(reply.body);
    if (!doc) {
        throw std::runtime_error("challenge reply is not JSON");
    }
    return crypto::base64url_decode_exact(doc->at("challenge").as_string(), 32).value();
}

http_reply post_sign_in(https_client& client, const staff_member& who, const std::string& staff_id,
                        const std::string& origin, crypto::byte_view challenge) {
    const auto signature = crypto::sign_detached(
        crypto::staff_sign_in_message(origin, staff_id, challenge), who.sign.secret_key);
    const auto body = json::object{{"staff", staff_id},
                                   {"challenge", crypto::base64url_encode(challenge)},
                                   {"signature", crypto::base64url_encode(signature)}};
    return client.post_json("/api/v1/auth/staff", json::serialize(body));
}

http_reply sign_in(https_client& client, const staff_member& who, const std::string& origin) {
    const auto challenge = fetch_challenge(client);
    return post_sign_in(client, who, who.id, origin, challenge);
}

std::string signed_in_token(https_client& client, const staff_member& who,
                            const std::string& origin) {
    const auto reply = sign_in(client, who, origin);
    if (reply.status != 200) {
        throw std::runtime_error("sign-in of " + who.id + ": " + std::to_string(reply.status) +
                                 " " + reply.body);
    }
    return std::string(json::parse(reply.body)->at("token").as_string());
}

http_reply with_token(https_client& client, const std::string& method, const std::string& target,
                      const std::string& token, const std::string& json_body) {
    return client.request(method, target, json_body, json_body.empty() ? "" : "application/json",
                          {{"Authorization", "Bearer " + token}});
}

} // namespace signaal::testing
