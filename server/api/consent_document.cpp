#include "server/api/consent_document.hpp"

#include "crypto/base64url.hpp"
#include "server/store/day_number.hpp"

namespace signaal::api {

namespace {

json::array id_array(const std::vector<std::string>& ids) {
    json::array out;
    for (const auto& id : ids) {
        out.emplace_back(id);
    }
    return out;
}

} // namespace

json::array consent_change_list(const std::vector<store::consent_change_record>& changes) {
    json::array out;
    for (const auto& c : changes) {
        out.emplace_back(json::object{{"change", c.change},
                                      {"day", store::day_text(c.day)},
                                      {"add", id_array(c.add)},
                                      {"remove", id_array(c.remove)},
                                      {"signature", crypto::base64url_encode(c.signature)}});
    }
    return out;
}

} // namespace signaal::api
