#include "server/api/config_document.hpp"

#include "crypto/base64url.hpp"
#include "server/json/json.hpp"

namespace signaal::api {
namespace {

json::value texts(const config::localized& by_language) {
    json::object out;
    for (const auto& [language, text] : by_language) {
        out.emplace(language, text);
    }
    return out;
}

json::value strings(const std::vector<std::string>& list) {
    json::array out;
    for (const auto& s : list) {
        out.emplace_back(s);
    }
    return out;
}

} // namespace

std::string config_document(const config::settings& settings, const desk_keys_view& keys) {
    json::array desks;
    for (const auto& desk : settings.desks) {
        const auto key = keys.current.find(desk.id);
        if (key == keys.current.end()) {
            continue;
        }
        // Extension (docs/protocol-notes.md): the rotated-out keys still
        // accepted, so a reporter's page can check a reply boxed under one.
        json::array previous;
        if (const auto accepted = keys.accepted.find(desk.id); accepted != keys.accepted.end()) {
            for (const auto& old : accepted->second) {
                if (old.accept_until && !old.public_key.empty()) {
                    previous.emplace_back(
                        json::object{{"key_id", crypto::base64url_encode(old.key_id)},
                                     {"public_key", crypto::base64url_encode(old.public_key)}});
                }
            }
        }
        desks.emplace_back(
            json::object{{"id", desk.id},
                         {"public_key", crypto::base64url_encode(key->second.public_key)},
                         {"key_id", crypto::base64url_encode(key->second.key_id)},
                         {"previous_keys", std::move(previous)},
                         {"name", texts(desk.name)},
                         {"about", texts(desk.about)}});
    }
    json::array categories;
    for (const auto& category : settings.categories) {
        categories.emplace_back(json::object{{"id", category.id}, {"name", texts(category.name)}});
    }
    json::object routing;
    for (const auto& [category, routed] : settings.routing) {
        std::vector<std::string> served;
        for (const auto& desk : routed) {
            if (keys.has_desk(desk)) {
                served.push_back(desk);
            }
        }
        routing.emplace(category, strings(served));
    }
    json::array buckets;
    for (const auto bucket : settings.padding_buckets) {
        buckets.emplace_back(static_cast<std::int64_t>(bucket));
    }
    json::array help;
    for (const auto& entry : settings.help) {
        help.emplace_back(json::object{{"name", entry.name},
                                       {"phone", entry.phone},
                                       {"url", entry.url},
                                       {"about", texts(entry.about)}});
    }
    return json::serialize(json::object{
        {"version", 1},
        {"instance", json::object{{"name", settings.instance_name},
                                  {"languages", strings(settings.languages)}}},
        {"roles", strings(settings.roles)},
        {"desks", std::move(desks)},
        {"categories", std::move(categories)},
        {"routing", std::move(routing)},
        {"padding_buckets", std::move(buckets)},
        {"pow", json::object{{"difficulty", static_cast<std::int64_t>(settings.pow_difficulty)}}},
        {"help", std::move(help)},
        {"quick_exit_url", settings.quick_exit_url}});
}

} // namespace signaal::api
