#include "server/api/pow_service.hpp"

#include "crypto/base64url.hpp"
#include "crypto/hash.hpp"
#include "server/json/json.hpp"

namespace signaal::api {

pow_service::pow_service(crypto::pow_tokens tokens, const clock& clock, unsigned difficulty,
                         unsigned lifetime_seconds)
    : tokens_(std::move(tokens)), clock_(clock), difficulty_(difficulty),
      lifetime_seconds_(lifetime_seconds) {}

response pow_service::issue() const {
    const auto token = tokens_.mint(clock_.now_unix() + lifetime_seconds_);
    response r;
    r.body = json::serialize(json::object{{"token", crypto::base64url_encode(token)},
                                          {"difficulty", static_cast<std::int64_t>(difficulty_)}});
    return r;
}

std::optional<pow_service::accepted>
pow_service::check(const std::vector<std::uint8_t>& token,
                   const std::vector<std::uint8_t>& nonce) const {
    const auto expires = tokens_.verify(token);
    if (!expires || *expires <= clock_.now_unix()) {
        return std::nullopt;
    }
    if (!crypto::pow_satisfied(token, nonce, difficulty_)) {
        return std::nullopt;
    }
    const auto hash = crypto::blake2b256(token);
    return accepted{{hash.begin(), hash.end()}, *expires};
}

} // namespace signaal::api
