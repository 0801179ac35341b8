#define BOOST_TEST_MODULE crypto_test
#include <boost/test/unit_test.hpp>

#include "mini_json.hpp"

// The test-only JSON reader must read what the vector file holds, and refuse what it does not.
BOOST_AUTO_TEST_SUITE(mini_json_reader)

BOOST_AUTO_TEST_CASE(reads_objects_arrays_strings_and_literals) {
    namespace j = signaal::test_json;
    const auto v = j::parse(R"({"a": [1, -2, null, true, false], "s": "x\n\"y\"\\\u0041"})");
    const auto& a = v["a"].as_array();
    BOOST_TEST(a.size() == 5U);
    BOOST_TEST(a[0].as_int() == 1);
    BOOST_TEST(a[1].as_int() == -2);
    BOOST_TEST(a[2].is_null());
    BOOST_TEST(a[3].as_bool());
    BOOST_TEST(!a[4].as_bool());
    BOOST_TEST(v["s"].as_string() == "x\n\"y\"\\A");
}

BOOST_AUTO_TEST_CASE(rejects_broken_documents) {
    namespace j = signaal::test_json;
    BOOST_CHECK_THROW((void)j::parse(R"({"a": 1,})"), std::runtime_error);
    BOOST_CHECK_THROW((void)j::parse(R"({"a": 1, "a": 2})"), std::runtime_error);
    BOOST_CHECK_THROW((void)j::parse(R"("unterminated)"), std::runtime_error);
    BOOST_CHECK_THROW((void)j::parse(R"([1] 2)"), std::runtime_error);
    BOOST_CHECK_THROW((void)j::parse(R"("\q")"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
