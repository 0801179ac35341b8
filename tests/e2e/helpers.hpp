#pragma once
// Shared pieces of the end-to-end tests.
#include "server/common/clock.hpp"
#include "tests/support/test_instance.hpp"

#include <boost/test/unit_test.hpp>

namespace signaal::testing {

inline std::string today() {
    return signaal::utc_day(signaal::system_clock{}.now_unix());
}

inline std::string plaintext(const std::string& text) {
    return json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
}

/// A valid sealed report for the given consent (desks computed for physical_violence,
/// which every default desk may receive).
inline json::object sealed_report(const test_instance& instance, std::vector<std::string> consent,
                                  const std::string& text,
                                  const std::string& category = "physical_violence") {
    report_input in;
    in.category = category;
    in.consent = consent;
    std::sort(consent.begin(), consent.end());
    in.desks = consent;
    in.plaintext = plaintext(text);
    for (const auto& desk : in.desks) {
        in.keys[desk] = &instance.key(desk);
    }
    return build_report(in);
}

inline json::value parse_body(const http_reply& reply) {
    auto parsed = json::parse(reply.body);
    BOOST_REQUIRE_MESSAGE(parsed, "reply is not JSON: " + reply.body);
    return *parsed;
}

inline std::string error_code_of(const http_reply& reply) {
    const auto doc = parse_body(reply);
    const auto* error = json::find(doc, "error");
    BOOST_REQUIRE(error != nullptr);
    BOOST_REQUIRE(json::find(*error, "message") != nullptr && error->at("message").is_string());
    return std::string(error->at("code").as_string());
}

} // namespace signaal::testing
