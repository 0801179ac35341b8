// The strict parser is boost::json::basic_parser with a handler that builds
// the value on a boost::json::value_stack and adds what the protocol needs on
// top: depth and repeated keys are checked here, numbers are re-read with
// std::from_chars so every double is exact and none is infinite. Error
// messages are fixed sentences, so no client input is ever reflected back.
#include "server/json/json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

namespace signaal::json {
namespace {

using boost::json::error_code;

class strict_handler {
  public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    explicit strict_handler(std::size_t max_depth) : max_depth_(max_depth) {}

    /// Set when the handler itself refused the text.
    const char* refusal = nullptr;
    boost::json::value_stack stack;

    bool on_document_begin(error_code&) {
        stack.reset();
        return true;
    }
    bool on_document_end(error_code&) { return true; }

    bool on_array_begin(error_code& ec) { return enter(ec); }
    bool on_array_end(std::size_t n, error_code&) {
        --depth_;
        stack.push_array(n);
        return true;
    }

    bool on_object_begin(error_code& ec) {
        if (!enter(ec)) {
            return false;
        }
        // One key set per open object; depth is bounded, so the sets are reused.
        if (keys_.size() < depth_) {
            keys_.resize(depth_);
        }
        keys_[depth_ - 1].clear();
        return true;
    }
    bool on_object_end(std::size_t n, error_code&) {
        --depth_;
        stack.push_object(n);
        return true;
    }

    bool on_key_part(boost::json::string_view s, std::size_t, error_code&) {
        key_.append(s.data(), s.size());
        stack.push_chars(s);
        return true;
    }
    bool on_key(boost::json::string_view s, std::size_t, error_code& ec) {
        key_.append(s.data(), s.size());
        // Compared after unescaping: "a" and "\u0061" are the same key.
        if (!keys_[depth_ - 1].insert(std::move(key_)).second) {
            return refuse("An object repeats a key.", ec);
        }
        key_.clear();
        stack.push_key(s);
        return true;
    }

    bool on_string_part(boost::json::string_view s, std::size_t, error_code&) {
        stack.push_chars(s);
        return true;
    }
    bool on_string(boost::json::string_view s, std::size_t, error_code&) {
        stack.push_string(s);
        return true;
    }

    bool on_number_part(boost::json::string_view s, error_code&) {
        number_.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, boost::json::string_view, error_code&) {
        number_.clear();
        stack.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, boost::json::string_view, error_code&) {
        number_.clear();
        stack.push_uint64(u);
        return true;
    }
    bool on_double(double approximate, boost::json::string_view s, error_code& ec) {
        number_.append(s.data(), s.size());
        double d = 0;
        const char* first = number_.data();
        const char* last = first + number_.size();
        const auto [ptr, err] = std::from_chars(first, last, d);
        if (err == std::errc::result_out_of_range) {
            // Tiny magnitudes round to zero; huge ones cannot be represented.
            if (!(std::fabs(approximate) < 1.0)) {
                return refuse("A number is too large.", ec);
            }
            d = number_.front() == '-' ? -0.0 : 0.0;
        } else if (err != std::errc{} || ptr != last || !std::isfinite(d)) {
            return refuse("Invalid number.", ec);
        }
        number_.clear();
        stack.push_double(d);
        return true;
    }

    bool on_bool(bool b, error_code&) {
        stack.push_bool(b);
        return true;
    }
    bool on_null(error_code&) {
        stack.push_null();
        return true;
    }
    bool on_comment_part(boost::json::string_view, error_code&) { return true; }
    bool on_comment(boost::json::string_view, error_code&) { return true; }

  private:
    bool enter(error_code& ec) {
        if (++depth_ > max_depth_) {
            return refuse("The JSON nests too deeply.", ec);
        }
        return true;
    }

    bool refuse(const char* sentence, error_code& ec) {
        refusal = sentence;
        ec = boost::json::error::exception;
        return false;
    }

    std::size_t max_depth_;
    std::size_t depth_ = 0;
    std::vector<std::unordered_set<std::string>> keys_;
    std::string key_;
    std::string number_;
};

/// A fixed sentence for each way Boost.JSON refuses a text.
const char* describe(const error_code& ec) {
    using boost::json::error;
    if (ec == error::extra_data) {
        return "Unexpected data after the JSON value.";
    }
    if (ec == error::incomplete) {
        return "Unexpected end of input.";
    }
    if (ec == error::too_deep) {
        return "The JSON nests too deeply.";
    }
    if (ec == error::illegal_leading_surrogate || ec == error::illegal_trailing_surrogate ||
        ec == error::expected_utf16_escape) {
        return "A \\u escape holds a lone surrogate.";
    }
    if (ec == error::expected_hex_digit) {
        return "Invalid \\u escape in a string.";
    }
    return "The text is not valid JSON (RFC 8259, UTF-8).";
}

/// Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), or 0.
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
    const unsigned char b0 = p[0];
    if (b0 < 0x80) {
        return 1;
    }
    const auto avail = static_cast<std::size_t>(end - p);
    auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        return avail >= 2 && cont(p[1]) ? 2 : 0;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return avail >= 3 && p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return avail >= 4 && p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
    }
    return 0;
}

/// Empty when `s` is valid UTF-8; else a copy with each bad byte as U+FFFD.
std::string repaired_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    std::string out;
    bool broken = false;
    while (p != end) {
        const std::size_t n = utf8_sequence(p, end);
        if (n == 0) {
            broken = true;
            out.append("\xEF\xBF\xBD");
            ++p;
        } else {
            out.append(reinterpret_cast<const char*>(p), n);
            p += n;
        }
    }
    return broken ? out : std::string();
}

/// Boost.JSON 1.81 writes broken UTF-8 as is and NaN as `NaN`; neither is JSON.
void repair(value& v) {
    switch (v.kind()) {
    case boost::json::kind::double_:
        if (!std::isfinite(v.get_double())) {
            v = nullptr;
        }
        break;
    case boost::json::kind::string:
        if (auto fixed = repaired_utf8(v.get_string()); !fixed.empty()) {
            v = fixed;
        }
        break;
    case boost::json::kind::array:
        for (auto& e : v.get_array()) {
            repair(e);
        }
        break;
    case boost::json::kind::object: {
        object fixed;
        for (auto& [k, e] : v.get_object()) {
            repair(e);
            const auto key = repaired_utf8(k);
            fixed.emplace(key.empty() ? std::string_view(k) : std::string_view(key), std::move(e));
        }
        v = std::move(fixed);
        break;
    }
    default:
        break;
    }
}

bool needs_repair(const value& v) {
    switch (v.kind()) {
    case boost::json::kind::double_:
        return !std::isfinite(v.get_double());
    case boost::json::kind::string:
        return !repaired_utf8(v.get_string()).empty();
    case boost::json::kind::array:
        for (const auto& e : v.get_array()) {
            if (needs_repair(e)) {
                return true;
            }
        }
        return false;
    case boost::json::kind::object:
        for (const auto& [k, e] : v.get_object()) {
            if (needs_repair(e) || !repaired_utf8(k).empty()) {
                return true;
            }
        }
        return false;
    default:
        return false;
    }
}

} // namespace

result<value> parse(std::string_view text, std::size_t max_depth) {
    boost::json::parse_options options;
    options.max_depth = max_depth + 1; // the handler counts depth itself, with its own message
    options.allow_comments = false;
    options.allow_trailing_commas = false;
    options.allow_invalid_utf8 = false;
    boost::json::basic_parser<strict_handler> parser(options, max_depth);
    error_code ec;
    // write_some stops after the value and the whitespace behind it.
    const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (ec) {
        return fail(parser.handler().refusal != nullptr ? parser.handler().refusal : describe(ec));
    }
    if (used != text.size()) {
        return fail(describe(boost::json::error::extra_data));
    }
    return parser.handler().stack.release();
}

std::string serialize(const value& v) {
    if (!needs_repair(v)) {
        return boost::json::serialize(v);
    }
    value copy = v;
    repair(copy);
    return boost::json::serialize(copy);
}

} // namespace signaal::json
