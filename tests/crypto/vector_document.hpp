#pragma once
// The vector tests' view of a JSON document: the project's strict parser
// (server/json) with throwing lookups, so a missing key fails the test loudly.
#include "server/json/json.hpp"

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signaal::test_json {

class value {
  public:
    value(std::shared_ptr<const json::value> root, const json::value* at)
        : root_(std::move(root)), at_(at) {}

    [[nodiscard]] bool is_null() const { return at_->is_null(); }
    [[nodiscard]] bool as_bool() const { return at_->as_bool(); }
    [[nodiscard]] std::int64_t as_int() const { return at_->as_int64(); }
    [[nodiscard]] std::string as_string() const { return std::string(at_->as_string()); }

    [[nodiscard]] std::vector<value> as_array() const {
        std::vector<value> out;
        for (const auto& item : at_->as_array()) {
            out.emplace_back(root_, &item);
        }
        return out;
    }
    [[nodiscard]] std::vector<std::pair<std::string, value>> as_object() const {
        std::vector<std::pair<std::string, value>> out;
        for (const auto& [key, item] : at_->as_object()) {
            out.emplace_back(std::string(key), value(root_, &item));
        }
        return out;
    }
    [[nodiscard]] bool has(std::string_view key) const { return json::find(*at_, key) != nullptr; }
    [[nodiscard]] value operator[](std::string_view key) const {
        const auto* found = json::find(*at_, key);
        if (found == nullptr) {
            throw std::runtime_error("json: no key " + std::string(key));
        }
        return {root_, found};
    }
    [[nodiscard]] std::vector<std::string> as_strings() const {
        std::vector<std::string> out;
        for (const auto& item : at_->as_array()) {
            out.emplace_back(item.as_string());
        }
        return out;
    }

  private:
    std::shared_ptr<const json::value> root_;
    const json::value* at_;
};

/// A JSON text held in a vector (such as the secrets inside a locked key file).
[[nodiscard]] inline value parse_text(const std::string& text, const std::string& what) {
    auto parsed = json::parse(text);
    if (!parsed) {
        throw std::runtime_error(what + ": " + parsed.error().message);
    }
    auto root = std::make_shared<const json::value>(std::move(*parsed));
    return {root, root.get()};
}

[[nodiscard]] inline value parse_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parse_text(text, path);
}

} // namespace signaal::test_json
