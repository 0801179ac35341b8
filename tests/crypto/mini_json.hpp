#pragma once
// Test-only JSON reader: just enough for tests/data/protocol-vectors.json, so the
// crypto tests need nothing outside crypto/. Throws on anything it does not know.
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace signaal::test_json {

struct value;
using array = std::vector<value>;
using object = std::map<std::string, value, std::less<>>;

struct value {
    std::variant<std::nullptr_t, bool, std::int64_t, std::string, std::shared_ptr<array>,
                 std::shared_ptr<object>>
        v = nullptr;

    [[nodiscard]] bool is_null() const { return std::holds_alternative<std::nullptr_t>(v); }
    [[nodiscard]] bool as_bool() const { return std::get<bool>(v); }
    [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v); }
    [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v); }
    [[nodiscard]] const array& as_array() const { return *std::get<std::shared_ptr<array>>(v); }
    [[nodiscard]] const object& as_object() const { return *std::get<std::shared_ptr<object>>(v); }
    [[nodiscard]] bool has(std::string_view key) const {
        return as_object().find(key) != as_object().end();
    }
    [[nodiscard]] const value& operator[](std::string_view key) const {
        const auto& o = as_object();
        const auto it = o.find(key);
        if (it == o.end()) {
            throw std::runtime_error("json: no key " + std::string(key));
        }
        return it->second;
    }
    [[nodiscard]] std::vector<std::string> as_strings() const {
        std::vector<std::string> out;
        for (const auto& item : as_array()) {
            out.push_back(item.as_string());
        }
        return out;
    }
};

[[nodiscard]] value parse(std::string_view text);
[[nodiscard]] value parse_file(const std::string& path);

} // namespace signaal::test_json
