#define BOOST_TEST_MODULE json_test
#include <boost/test/unit_test.hpp>

#include "server/json/json.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

namespace json = signaal::json;
using namespace std::string_literals;

namespace {

json::value ok(std::string_view text) {
    auto r = json::parse(text);
    BOOST_TEST_REQUIRE(r.has_value(), "expected success: " << r.error().message);
    return *r;
}

/// Parsing must fail; returns the error (message must be a plain sentence).
signaal::error bad(std::string_view text, std::size_t max_depth = json::default_max_depth) {
    auto r = json::parse(text, max_depth);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(!r.error().message.empty());
    BOOST_TEST(r.error().message.back() == '.');
    return r.error();
}

std::string nested(std::size_t depth, char open, char close, std::string_view inner = "") {
    std::string s(depth, open);
    s += inner;
    s += std::string(depth, close);
    return s;
}

} // namespace

BOOST_AUTO_TEST_CASE(scalars) {
    BOOST_TEST(ok("null").is_null());
    BOOST_TEST(ok("true").as_bool() == true);
    BOOST_TEST(ok("false").as_bool() == false);
    BOOST_TEST(ok("\"hi\"").as_string() == "hi");
    BOOST_TEST(ok(" \t\r\n 42 \n").as_int64() == 42);
    BOOST_TEST(ok("-0").is_int64());
    BOOST_TEST(ok("-0").as_int64() == 0);
    BOOST_TEST(ok("\"\"").as_string().empty());
}

BOOST_AUTO_TEST_CASE(integers_and_doubles) {
    BOOST_TEST(ok("9223372036854775807").as_int64() == std::numeric_limits<std::int64_t>::max());
    BOOST_TEST(ok("-9223372036854775808").as_int64() == std::numeric_limits<std::int64_t>::min());
    // One past int64 becomes a double.
    auto big = ok("9223372036854775808");
    BOOST_TEST(!big.is_int64());
    BOOST_TEST(big.is_number());
    BOOST_TEST(big.to_number<double>() == 9223372036854775808.0);
    BOOST_TEST(!ok("-9223372036854775809").is_int64());
    // Fraction or exponent: always double, even when integral.
    BOOST_TEST(!ok("1.0").is_int64());
    BOOST_TEST(ok("1.0").to_number<double>() == 1.0);
    BOOST_TEST(!ok("1e2").is_int64());
    BOOST_TEST(ok("1e2").to_number<double>() == 100.0);
    BOOST_TEST(ok("1E+2").to_number<double>() == 100.0);
    BOOST_TEST(ok("-2.5e-3").to_number<double>() == -0.0025);
    BOOST_TEST(ok("0.1").to_number<double>() == 0.1);
    BOOST_TEST(ok("12").to_number<double>() == 12.0); // integers convert exactly
    // Underflow rounds to zero; overflow is an error.
    BOOST_TEST(ok("1e-400").to_number<double>() == 0.0);
    BOOST_TEST(ok("0." + std::string(400, '0') + "1").to_number<double>() == 0.0);
    BOOST_TEST(ok("-0." + std::string(400, '0') + "1e5").to_number<double>() == 0.0);
    BOOST_TEST(ok("1" + std::string(400, '0') + "e-800").to_number<double>() == 0.0);
    BOOST_TEST(ok("1" + std::string(400, '0') + "e-390").to_number<double>() == 1e10);
    bad("1e400");
    bad("-1e400");
    bad(std::string(400, '9'));
}

BOOST_AUTO_TEST_CASE(bad_numbers) {
    for (const char* s : {"01",        "-01",  "00",    "+1",    "1.",  ".5",  "-",
                          "-.5",       "1e",   "1e+",   "1.e3",  "NaN", "nan", "Infinity",
                          "-Infinity", "0x10", "1_000", "1.5.5", "--1", "1 2", "- 1"}) {
        BOOST_TEST_CONTEXT(s) {
            bad(s);
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_literals_and_structure) {
    for (const char* s :
         {"",       " ",          "tru",       "nul",    "True",    "NULL",
          "[",      "]",          "{",         "}",      "[1,]",    "[,1]",
          "[1 2]",  "{\"a\":1,}", "{\"a\" 1}", "{a:1}",  "{'a':1}", "{\"a\"}",
          "{1:2}",  "'x'",        "\"abc",     "[1]]",   "{}}",     "[] []",
          "null x", "\"a\"\"b\"", "//",        "/*c*/1", "[1]//",   "\xEF\xBB\xBF[]",
          "\x0c[]", "\x00"}) {
        BOOST_TEST_CONTEXT(s) {
            bad(s);
        }
    }
    bad(std::string_view("1\0", 2)); // trailing NUL is garbage
    auto e = bad("[1,2] x");
    BOOST_TEST(e.message == "Unexpected data after the JSON value.");
}

BOOST_AUTO_TEST_CASE(strings_and_escapes) {
    BOOST_TEST(ok(R"("a\"b\\c\/d\b\f\n\r\t")").as_string() == "a\"b\\c/d\b\f\n\r\t");
    BOOST_TEST(ok(R"("\u0041\u00e9\u20AC")").as_string() == "A\xC3\xA9\xE2\x82\xAC");
    BOOST_TEST(ok(R"("\u0000")").as_string() == std::string(1, '\0'));
    // Surrogate pair: U+1F600.
    BOOST_TEST(ok(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");
    BOOST_TEST(ok(R"("\uDBFF\uDFFF")").as_string() == "\xF4\x8F\xBF\xBF");
    // Raw UTF-8 passes through.
    BOOST_TEST(ok("\"caf\xC3\xA9 \xE0\xB8\x97 \xF0\x9F\x98\x80\"").as_string() ==
               "caf\xC3\xA9 \xE0\xB8\x97 \xF0\x9F\x98\x80");
    BOOST_TEST(ok("\"\x7F\"").as_string() == "\x7F");
}

BOOST_AUTO_TEST_CASE(bad_strings) {
    for (const char* s :
         {R"("\x41")", R"("\U0041")", R"("\u12")", R"("\u12G4")", R"("\')", R"("\ud83d")",
          R"("\ud83dx")", R"("\ud83d\u0041")", R"("\ude00")", R"("\ude00\ud83d")",
          R"("\ud83d\ud83d")", R"("\)", "\"\\u", "\"a\tb\"", "\"a\nb\"", "\"\x01\"", "\"\x1f\""}) {
        BOOST_TEST_CONTEXT(s) {
            bad(s);
        }
    }
    bad(std::string_view("\"a\0b\"", 5));
}

BOOST_AUTO_TEST_CASE(invalid_utf8) {
    for (const char* s : {
             "\"\x80\"",             // lone continuation byte
             "\"\xBF\"",             //
             "\"\xC0\xAF\"",         // overlong '/'
             "\"\xC1\xBF\"",         // overlong
             "\"\xE0\x80\xAF\"",     // overlong 3-byte
             "\"\xE0\x9F\xBF\"",     // overlong 3-byte (U+07FF)
             "\"\xF0\x80\x80\xAF\"", // overlong 4-byte
             "\"\xF0\x8F\xBF\xBF\"", // overlong 4-byte (U+FFFF)
             "\"\xED\xA0\x80\"",     // U+D800 encoded in UTF-8
             "\"\xED\xBF\xBF\"",     // U+DFFF encoded in UTF-8
             "\"\xF4\x90\x80\x80\"", // U+110000
             "\"\xF5\x80\x80\x80\"", // lead byte above F4
             "\"\xFE\"",
             "\"\xFF\"",
             "\"\xC3\"",         // truncated 2-byte
             "\"\xE2\x82\"",     // truncated 3-byte
             "\"\xF0\x9F\x98\"", // truncated 4-byte
             "\"\xC3\x41\"",     // bad continuation
             "\xC3\xA9",         // non-ASCII outside a string
         }) {
        BOOST_TEST_CONTEXT(s) {
            auto e = bad(s);
            BOOST_TEST(e.message.find('\x80') == std::string::npos);
        }
    }
    // Key strings are checked too.
    bad("{\"\xED\xA0\x80\":1}");
    // Boundaries that are valid.
    ok("\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F"
       "\xBF\xBF\"");
}

BOOST_AUTO_TEST_CASE(depth_limit) {
    // 32 nested arrays are fine, 33 are not; objects count the same.
    BOOST_TEST(ok(nested(32, '[', ']')).is_array());
    bad(nested(33, '[', ']'));
    std::string obj32;
    for (int i = 0; i < 31; ++i) {
        obj32 += "{\"a\":";
    }
    obj32 += "{}" + std::string(31, '}');
    BOOST_TEST(ok(obj32).is_object());
    std::string mixed33 = "[" + obj32 + "]";
    auto e = bad(mixed33);
    BOOST_TEST(e.message.find("deep") != std::string::npos);
    // Scalars inside the deepest container do not add a level.
    ok(nested(32, '[', ']', "1"));
    // A custom limit.
    BOOST_TEST(json::parse("[[1]]", 2).has_value());
    bad("[[[1]]]", 2);
    BOOST_TEST(json::parse("1", 0).has_value());
    bad("[]", 0);
    // Very deep input fails fast without exhausting the stack.
    bad(nested(1'000'000, '[', ']'));
    bad(std::string(1'000'000, '{'));
}

BOOST_AUTO_TEST_CASE(duplicate_keys) {
    bad(R"({"a":1,"a":2})");
    bad(R"({"a":1,"b":2,"a":1})");
    // Compared after unescaping.
    bad(R"({"a":1,"\u0061":2})");
    bad(R"({"\u00e9":1,"é":2})");
    // Nested objects are checked independently.
    auto v = ok(R"({"a":{"a":1},"b":{"a":2}})");
    BOOST_TEST(json::find(*json::find(v, "b"), "a")->as_int64() == 2);
    // Large objects (the sorted path).
    std::string big = "{";
    for (int i = 0; i < 100; ++i) {
        big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    }
    std::string big_ok = big + "\"last\":0}";
    std::string big_dup = big + "\"k57\":0}";
    BOOST_TEST(ok(big_ok).as_object().size() == 101u);
    auto e = bad(big_dup);
    BOOST_TEST(e.message == "An object repeats a key.");
    // Keys differing only in case are different keys.
    BOOST_TEST(ok(R"({"a":1,"A":2})").as_object().size() == 2u);
}

BOOST_AUTO_TEST_CASE(objects_keep_order_and_find) {
    auto v = ok(R"( { "z" : 1 , "a" : [ true , null , "x" ] , "m" : { } } )");
    const auto& o = v.as_object();
    BOOST_TEST_REQUIRE(o.size() == 3u);
    BOOST_TEST(o.begin()[0].key() == "z");
    BOOST_TEST(o.begin()[1].key() == "a");
    BOOST_TEST(o.begin()[2].key() == "m");
    BOOST_TEST(json::find(v, "a")->as_array().size() == 3u);
    BOOST_TEST(json::find(v, "a")->as_array()[2].as_string() == "x");
    BOOST_TEST(json::find(v, "m")->as_object().empty());
    BOOST_TEST(json::find(v, "missing") == nullptr);
    BOOST_TEST(json::find(ok("[1]"), "a") == nullptr);
    BOOST_TEST(json::find(ok("\"a\""), "a") == nullptr);
}

BOOST_AUTO_TEST_CASE(errors_never_echo_input) {
    const std::string secret = "SECRETtext";
    for (const std::string& s :
         {"{\"" + secret + "\":1,\"" + secret + "\":2}", "[\"" + secret + "\\q\"]",
          "\"" + secret + "\x01\"", "[" + secret + "]", "{\"a\":1} " + secret,
          "\"" + secret + "\xC0\xAF\""}) {
        auto e = bad(s);
        BOOST_TEST(e.message.find("SECRET") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(serialize_compact_and_escaped) {
    json::value v = json::object{
        {"s", "a\"b\\c\nd\te\x01\x1f/"},
        {"u", "caf\xC3\xA9 \xF0\x9F\x98\x80"},
        {"i", std::int64_t{-42}},
        {"n", nullptr},
        {"b", false},
        {"a", json::array{1, 2.5, "x", json::array{}, json::object{}}},
    };
    BOOST_TEST(
        json::serialize(v) ==
        "{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f/\",\"u\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\","
        "\"i\":-42,\"n\":null,\"b\":false,\"a\":[1,2.5E0,\"x\",[],{}]}");
    BOOST_TEST(json::serialize(json::value("\b\f\r\x7F")) == "\"\\b\\f\\r\x7F\"");
    BOOST_TEST(json::serialize(json::value(std::string(1, '\0'))) == "\"\\u0000\"");
}

BOOST_AUTO_TEST_CASE(serialize_numbers) {
    BOOST_TEST(json::serialize(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
    BOOST_TEST(json::serialize(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
    BOOST_TEST(json::serialize(0) == "0");
    BOOST_TEST(json::serialize(std::uint64_t{5}) == "5");
    BOOST_TEST(json::value(std::uint64_t{5}).to_number<std::int64_t>() == 5);
    BOOST_TEST(!json::value(std::uint64_t{18446744073709551615ull}).is_int64());
    // Boost.JSON's spelling of doubles; it always reads back as a double.
    BOOST_TEST(json::serialize(2.0) == "2E0");
    BOOST_TEST(ok(json::serialize(2.0)).is_double());
    BOOST_TEST(json::serialize(0.1) == "1E-1");
    BOOST_TEST(json::serialize(-1.5e300) == "-1.5E300");
    // No NaN or infinity in JSON.
    BOOST_TEST(json::serialize(std::nan("")) == "null");
    BOOST_TEST(json::serialize(std::numeric_limits<double>::infinity()) == "null");
    // Doubles round-trip exactly.
    for (double d : {0.1, 1.0 / 3.0, 123456.789, 5e-324, 1.7976931348623157e308, -0.0, 1e21,
                     9007199254740993.0, 2.2250738585072014e-308}) {
        auto back = ok(json::serialize(d));
        BOOST_TEST(!back.is_int64());
        BOOST_TEST(back.to_number<double>() == d);
        BOOST_TEST(std::signbit(back.to_number<double>()) == std::signbit(d));
    }
}

BOOST_AUTO_TEST_CASE(serialize_never_emits_invalid_utf8) {
    // Strings built in code may be broken; the output must still parse.
    const std::string out = json::serialize(json::value("a\xC0\xAF"
                                                        "b\xED\xA0\x80"
                                                        "c\xFF"));
    BOOST_TEST(out == "\"a\xEF\xBF\xBD\xEF\xBF\xBD"
                      "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                      "c\xEF\xBF\xBD\"");
    BOOST_TEST(ok(out).is_string());
    BOOST_TEST(ok(json::serialize(json::object{{"\xFF", 1}})).is_object());
}

BOOST_AUTO_TEST_CASE(round_trips) {
    for (const char* text : {
             R"({"v":1,"lang":"nl","text":"Hallo \"daar\"\n","nums":[0,-1,1.5,1e-7,-0.0]})",
             R"([[],{},[[]],{"a":{"b":{"c":[null,true,false]}}}])",
             "\"\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA\xE0\xB8\x94\xE0\xB8\xB5\"",
             R"({"":""})",
         }) {
        BOOST_TEST_CONTEXT(text) {
            auto v = ok(text);
            const std::string once = json::serialize(v);
            auto again = ok(once);
            BOOST_TEST((again == v));
            BOOST_TEST(json::serialize(again) == once);
        }
    }
    // Escapes decode, then re-encode as UTF-8.
    BOOST_TEST(json::serialize(ok(R"(["\u00e9\ud83d\ude00\u001F\/"])")) ==
               "[\"\xC3\xA9\xF0\x9F\x98\x80\\u001f/\"]");
    // Whitespace is dropped.
    BOOST_TEST(json::serialize(ok(" { \"a\" : [ 1 , 2 ] } ")) == R"({"a":[1,2]})");
}

BOOST_AUTO_TEST_CASE(speed_100kb) {
    // A report-sized body: long base64url strings plus many small members.
    std::string body = "{\"v\":1,\"ciphertext\":\"";
    for (int i = 0; i < 65536; ++i) {
        body.push_back("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[i % 64]);
    }
    body += "\",\"envelopes\":{";
    for (int i = 0; i < 300; ++i) {
        if (i > 0) {
            body += ",";
        }
        body += "\"desk" + std::to_string(i) + "\":{\"key_id\":\"AAAAAAAAAAA\",\"sealed\":\"" +
                std::string(80, 'Q') + "\",\"n\":[1,2.5,-3e2,true,null],\"t\":\"caf\xC3\xA9\"}";
    }
    body += "}}";
    BOOST_TEST_REQUIRE(body.size() > 100'000u);
    BOOST_TEST_REQUIRE(json::parse(body).has_value());

    // The fastest of many rounds: other work on a shared machine only adds time.
    constexpr int rounds = 100;
    auto best = std::chrono::steady_clock::duration::max();
    std::size_t members = 0;
    for (int i = 0; i < rounds; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto r = json::parse(body);
        best = std::min(best, std::chrono::steady_clock::now() - start);
        members += json::find(*r, "envelopes")->as_object().size();
    }
    BOOST_TEST(members == 300u * rounds);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(best).count();
    BOOST_TEST_MESSAGE("parse of " << body.size() << " bytes: " << us << " us");
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
    BOOST_TEST(us < 1000);
#else
    BOOST_TEST(us < 20000); // unoptimised or sanitised build
#endif
}
