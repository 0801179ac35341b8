// Strict RFC 8259 parser and compact writer. The parser recurses once per
// nesting level, so max_depth bounds the stack; every error message is a
// fixed sentence so no client input is ever reflected back.
#include "server/json/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

namespace signaal::json {

value::value(std::uint64_t i) {
    if (i <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        v_ = static_cast<std::int64_t>(i);
    } else {
        v_ = static_cast<double>(i);
    }
}

double value::as_double() const {
    if (const auto* i = std::get_if<std::int64_t>(&v_)) {
        return static_cast<double>(*i);
    }
    return std::get<double>(v_);
}

const value* value::find(std::string_view key) const {
    const auto* o = std::get_if<object>(&v_);
    if (o == nullptr) {
        return nullptr;
    }
    for (const auto& [k, v] : *o) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

namespace {

/// Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), or 0.
/// Rejects overlongs, UTF-16 surrogates and code points above U+10FFFF.
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
        if (avail < 3) {
            return 0;
        }
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (avail < 4) {
            return 0;
        }
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
    }
    return 0;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

class parser {
  public:
    parser(std::string_view text, std::size_t max_depth)
        : begin_(reinterpret_cast<const unsigned char*>(text.data())), p_(begin_),
          end_(begin_ + text.size()), max_depth_(max_depth) {}

    parse_result run() {
        parse_result r;
        skip_ws();
        value v;
        if (parse_value(v, 0)) {
            skip_ws();
            if (p_ != end_) {
                fail("Unexpected data after the JSON value.");
            } else {
                r.doc = std::move(v);
                return r;
            }
        }
        r.error = std::move(error_);
        return r;
    }

  private:
    bool fail(const char* message) { return fail_at(p_, message); }

    bool fail_at(const unsigned char* at, const char* message) {
        error_.offset = static_cast<std::size_t>(at - begin_);
        error_.message = message;
        return false;
    }

    void skip_ws() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
            ++p_;
        }
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() ||
            std::memcmp(p_, word.data(), word.size()) != 0) {
            return fail("Invalid literal; expected true, false or null.");
        }
        p_ += word.size();
        return true;
    }

    bool parse_value(value& out, std::size_t depth) {
        if (p_ == end_) {
            return fail("Unexpected end of input; a value was expected.");
        }
        switch (*p_) {
        case '{':
            return parse_object(out, depth + 1);
        case '[':
            return parse_array(out, depth + 1);
        case '"': {
            std::string s;
            if (!parse_string(s)) {
                return false;
            }
            out = value(std::move(s));
            return true;
        }
        case 't':
            out = value(true);
            return literal("true");
        case 'f':
            out = value(false);
            return literal("false");
        case 'n':
            out = value(nullptr);
            return literal("null");
        default:
            if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) {
                return parse_number(out);
            }
            return fail("Unexpected character; a value was expected.");
        }
    }

    bool enter(std::size_t depth) {
        if (depth > max_depth_) {
            return fail("The JSON nests too deeply.");
        }
        return true;
    }

    bool parse_array(value& out, std::size_t depth) {
        if (!enter(depth)) {
            return false;
        }
        ++p_; // '['
        array a;
        skip_ws();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            out = value(std::move(a));
            return true;
        }
        for (;;) {
            skip_ws();
            a.emplace_back();
            if (!parse_value(a.back(), depth)) {
                return false;
            }
            skip_ws();
            if (p_ == end_) {
                return fail("Unexpected end of input inside an array.");
            }
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == ']') {
                ++p_;
                out = value(std::move(a));
                return true;
            }
            return fail("Expected a comma or the end of the array.");
        }
    }

    bool parse_object(value& out, std::size_t depth) {
        if (!enter(depth)) {
            return false;
        }
        const unsigned char* start = p_;
        ++p_; // '{'
        object o;
        skip_ws();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            out = value(std::move(o));
            return true;
        }
        for (;;) {
            skip_ws();
            if (p_ == end_ || *p_ != '"') {
                return fail(p_ == end_ ? "Unexpected end of input inside an object."
                                       : "Expected a string as object key.");
            }
            std::string key;
            if (!parse_string(key)) {
                return false;
            }
            skip_ws();
            if (p_ == end_ || *p_ != ':') {
                return fail("Expected a colon after the object key.");
            }
            ++p_;
            skip_ws();
            o.emplace_back();
            o.back().first = std::move(key);
            if (!parse_value(o.back().second, depth)) {
                return false;
            }
            skip_ws();
            if (p_ == end_) {
                return fail("Unexpected end of input inside an object.");
            }
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == '}') {
                ++p_;
                break;
            }
            return fail("Expected a comma or the end of the object.");
        }
        if (has_duplicate_key(o)) {
            return fail_at(start, "An object repeats a key.");
        }
        out = value(std::move(o));
        return true;
    }

    static bool has_duplicate_key(const object& o) {
        const std::size_t n = o.size();
        if (n <= 8) {
            for (std::size_t i = 1; i < n; ++i) {
                for (std::size_t j = 0; j < i; ++j) {
                    if (o[i].first == o[j].first) {
                        return true;
                    }
                }
            }
            return false;
        }
        std::vector<std::string_view> keys;
        keys.reserve(n);
        for (const auto& m : o) {
            keys.emplace_back(m.first);
        }
        std::sort(keys.begin(), keys.end());
        return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
    }

    bool hex4(std::uint32_t& cp) {
        if (end_ - p_ < 4) {
            return fail("Incomplete \\u escape in a string.");
        }
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            const unsigned char c = p_[i];
            std::uint32_t d = 0;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10u;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10u;
            } else {
                return fail("Invalid \\u escape in a string.");
            }
            cp = (cp << 4) | d;
        }
        p_ += 4;
        return true;
    }

    bool parse_string(std::string& out) {
        ++p_; // opening quote
        for (;;) {
            // Fast path: a run of plain ASCII needs no checks beyond the scan.
            const unsigned char* run = p_;
            while (p_ != end_ && *p_ >= 0x20 && *p_ < 0x80 && *p_ != '"' && *p_ != '\\') {
                ++p_;
            }
            out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p_ - run));
            if (p_ == end_) {
                return fail("Unexpected end of input inside a string.");
            }
            const unsigned char c = *p_;
            if (c == '"') {
                ++p_;
                return true;
            }
            if (c < 0x20) {
                return fail("A control character in a string must be escaped.");
            }
            if (c >= 0x80) {
                const std::size_t n = utf8_sequence(p_, end_);
                if (n == 0) {
                    return fail("The text is not valid UTF-8.");
                }
                out.append(reinterpret_cast<const char*>(p_), n);
                p_ += n;
                continue;
            }
            // Backslash escape.
            ++p_;
            if (p_ == end_) {
                return fail("Unexpected end of input inside a string.");
            }
            const unsigned char e = *p_++;
            switch (e) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '/':
                out.push_back('/');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!hex4(cp)) {
                    return false;
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("A \\u escape holds a lone low surrogate.");
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
                        return fail("A \\u escape holds a lone high surrogate.");
                    }
                    p_ += 2;
                    std::uint32_t lo = 0;
                    if (!hex4(lo)) {
                        return false;
                    }
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        return fail("A \\u escape holds a lone high surrogate.");
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                append_utf8(out, cp);
                break;
            }
            default:
                return fail("Invalid escape sequence in a string.");
            }
        }
    }

    bool parse_number(value& out) {
        const unsigned char* start = p_;
        bool integral = true;
        if (*p_ == '-') {
            ++p_;
        }
        auto digit = [this] { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; };
        if (!digit()) {
            return fail("Invalid number.");
        }
        const unsigned char* int_start = p_;
        if (*p_ == '0') {
            ++p_;
            if (digit()) {
                return fail("A number has a leading zero.");
            }
        } else {
            while (digit()) {
                ++p_;
            }
        }
        const auto int_digits = p_ - int_start;
        const bool int_is_zero = *int_start == '0';
        std::ptrdiff_t frac_zeros = 0; // leading zeros of the fraction, for underflow
        if (p_ != end_ && *p_ == '.') {
            integral = false;
            ++p_;
            if (!digit()) {
                return fail("Invalid number: a digit must follow the decimal point.");
            }
            bool leading = true;
            while (digit()) {
                if (leading && *p_ == '0') {
                    ++frac_zeros;
                } else {
                    leading = false;
                }
                ++p_;
            }
        }
        std::int64_t exponent = 0; // saturated; only used to tell underflow from overflow
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            integral = false;
            ++p_;
            bool negative = false;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-')) {
                negative = *p_ == '-';
                ++p_;
            }
            if (!digit()) {
                return fail("Invalid number: the exponent has no digits.");
            }
            while (digit()) {
                exponent = std::min<std::int64_t>(exponent * 10 + (*p_ - '0'), 1'000'000'000);
                ++p_;
            }
            if (negative) {
                exponent = -exponent;
            }
        }
        const char* first = reinterpret_cast<const char*>(start);
        const char* last = reinterpret_cast<const char*>(p_);
        if (integral) {
            std::int64_t i = 0;
            auto [ptr, ec] = std::from_chars(first, last, i);
            if (ec == std::errc{} && ptr == last) {
                out = value(i);
                return true;
            }
            // Too large for int64: fall through to double.
        }
        double d = 0;
        auto [ptr, ec] = std::from_chars(first, last, d);
        if (ec == std::errc::result_out_of_range) {
            // Tiny magnitudes round to zero; huge ones cannot be represented.
            const std::int64_t magnitude = (int_is_zero ? -frac_zeros : int_digits) + exponent;
            if (magnitude >= 0) {
                return fail_at(start, "A number is too large.");
            }
            d = *start == '-' ? -0.0 : 0.0;
        } else if (ec != std::errc{} || ptr != last || !std::isfinite(d)) {
            return fail_at(start, "Invalid number.");
        }
        out = value(d);
        return true;
    }

    const unsigned char* begin_;
    const unsigned char* p_;
    const unsigned char* end_;
    std::size_t max_depth_;
    parse_error error_;
};

void write_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p != end) {
        const unsigned char* run = p;
        while (p != end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
            ++p;
        }
        out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
        if (p == end) {
            break;
        }
        const unsigned char c = *p;
        if (c >= 0x80) {
            // Values built in code may hold broken UTF-8; never emit it.
            const std::size_t n = utf8_sequence(p, end);
            if (n == 0) {
                out.append("\xEF\xBF\xBD");
                ++p;
            } else {
                out.append(reinterpret_cast<const char*>(p), n);
                p += n;
            }
            continue;
        }
        ++p;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.append("\\u00");
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
    out.push_back('"');
}

void write_value(std::string& out, const value& v) {
    if (v.is_null()) {
        out.append("null");
    } else if (v.is_bool()) {
        out.append(v.as_bool() ? "true" : "false");
    } else if (v.is_int()) {
        char buf[24];
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v.as_int());
        out.append(buf, ptr);
    } else if (v.is_number()) {
        const double d = v.as_double();
        if (!std::isfinite(d)) {
            out.append("null"); // JSON has no NaN or infinity
            return;
        }
        char buf[32];
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d); // shortest round-trip form
        const std::string_view text(buf, static_cast<std::size_t>(ptr - buf));
        out.append(text);
        // Keep it a double when read back: "2" would come back as an integer.
        if (text.find_first_of(".e") == std::string_view::npos) {
            out.append(".0");
        }
    } else if (v.is_string()) {
        write_string(out, v.as_string());
    } else if (v.is_array()) {
        out.push_back('[');
        bool first = true;
        for (const auto& e : v.as_array()) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            write_value(out, e);
        }
        out.push_back(']');
    } else {
        out.push_back('{');
        bool first = true;
        for (const auto& [k, e] : v.as_object()) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            write_string(out, k);
            out.push_back(':');
            write_value(out, e);
        }
        out.push_back('}');
    }
}

} // namespace

parse_result parse(std::string_view text, std::size_t max_depth) {
    return parser(text, max_depth).run();
}

std::string serialize(const value& v) {
    std::string out;
    write_value(out, v);
    return out;
}

} // namespace signaal::json
