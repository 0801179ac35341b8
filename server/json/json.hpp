#pragma once
// A small, strict JSON value, parser and writer (PROTOCOL.md §1): valid UTF-8
// only, nesting at most 32 deep, no repeated key in one object.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace signaal::json {

class value;
using array = std::vector<value>;
/// Members in document order; keys are unique (the parser enforces it).
using object = std::vector<std::pair<std::string, value>>;

class value {
  public:
    value() = default; // null
    value(std::nullptr_t) {}
    value(bool b) : v_(b) {}
    value(int i) : v_(static_cast<std::int64_t>(i)) {}
    value(std::int64_t i) : v_(i) {}
    value(std::uint64_t i); // stored as integer when it fits, else as double
    value(double d) : v_(d) {}
    value(const char* s) : v_(std::string(s)) {}
    value(std::string s) : v_(std::move(s)) {}
    value(std::string_view s) : v_(std::string(s)) {}
    value(array a) : v_(std::move(a)) {}
    value(object o) : v_(std::move(o)) {}

    [[nodiscard]] bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
    [[nodiscard]] bool is_bool() const { return std::holds_alternative<bool>(v_); }
    /// An integer literal (no fraction, no exponent) that fits in int64.
    [[nodiscard]] bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
    [[nodiscard]] bool is_number() const { return is_int() || std::holds_alternative<double>(v_); }
    [[nodiscard]] bool is_string() const { return std::holds_alternative<std::string>(v_); }
    [[nodiscard]] bool is_array() const { return std::holds_alternative<array>(v_); }
    [[nodiscard]] bool is_object() const { return std::holds_alternative<object>(v_); }

    // Accessors: only call after the matching is_*() (they throw std::bad_variant_access).
    [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
    [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
    [[nodiscard]] double as_double() const;
    [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
    [[nodiscard]] const array& as_array() const { return std::get<array>(v_); }
    [[nodiscard]] array& as_array() { return std::get<array>(v_); }
    [[nodiscard]] const object& as_object() const { return std::get<object>(v_); }
    [[nodiscard]] object& as_object() { return std::get<object>(v_); }

    /// Member lookup on an object; nullptr when absent or when this is not an object.
    [[nodiscard]] const value* find(std::string_view key) const;

    friend bool operator==(const value&, const value&) = default;

  private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, array, object> v_;
};

struct parse_error {
    std::size_t offset = 0;
    std::string message; // plain sentence, safe to show a client (never echoes input)
};

struct parse_result {
    std::optional<value> doc; // set on success
    parse_error error;        // set on failure
};

constexpr std::size_t default_max_depth = 32;

/// Parses exactly one JSON text (surrounding whitespace allowed).
[[nodiscard]] parse_result parse(std::string_view text, std::size_t max_depth = default_max_depth);

/// Compact serialisation; strings escaped per RFC 8259, non-ASCII written as UTF-8.
[[nodiscard]] std::string serialize(const value& v);

} // namespace signaal::json
