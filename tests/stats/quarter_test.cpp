// Quarter arithmetic: YYYY-Qn, the days of a quarter, its cut-off and freeze day.
#include "server/stats/quarter.hpp"
#include "tests/stats/report_rows.hpp"

#include <boost/test/unit_test.hpp>

namespace signaal::stats {
namespace {

using test::day;

BOOST_AUTO_TEST_SUITE(quarters)

BOOST_AUTO_TEST_CASE(parses_and_prints) {
    const auto q = parse_quarter("2026-Q3");
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(q->year == 2026);
    BOOST_TEST(q->number == 3);
    BOOST_TEST(quarter_text(*q) == "2026-Q3");
    BOOST_TEST(quarter_text(*parse_quarter("1970-Q1")) == "1970-Q1");
    BOOST_TEST(quarter_text(*parse_quarter("9999-Q4")) == "9999-Q4");
}

BOOST_AUTO_TEST_CASE(refuses_anything_else_with_a_plain_sentence) {
    for (const char* bad :
         {"", "2026", "2026-Q", "2026-q3", "2026Q3", "2026-Q3 ", " 2026-Q3", "26-Q3", "02026-Q3",
          "2026-Q33", "2026-03", "abcd-Q1", "2026-Qx", "2026-Q+"}) {
        const auto q = parse_quarter(bad);
        BOOST_TEST_REQUIRE(q.has_error(), bad);
        BOOST_TEST(q.error().message == "a quarter is written YYYY-Qn, for example 2026-Q3");
    }
    for (const char* bad : {"2026-Q0", "2026-Q5", "2026-Q9"}) {
        const auto q = parse_quarter(bad);
        BOOST_TEST_REQUIRE(q.has_error(), bad);
        BOOST_TEST(q.error().message == "a quarter's number is 1, 2, 3 or 4 (YYYY-Qn)");
    }
    BOOST_TEST(parse_quarter("1969-Q4").error().message == "quarters start in 1970");
}

BOOST_AUTO_TEST_CASE(first_last_cutoff_and_freeze_days) {
    const quarter q1{2026, 1}, q4{2025, 4}, leap{2024, 1}, q3{2026, 3};
    BOOST_TEST(first_day(q1) == day("2026-01-01"));
    BOOST_TEST(last_day(q1) == day("2026-03-31"));
    BOOST_TEST(last_day(leap) == day("2024-03-31"));
    BOOST_TEST(first_day(q4) == day("2025-10-01"));
    BOOST_TEST(last_day(q4) == day("2025-12-31"));
    BOOST_TEST(last_day(q3) == day("2026-09-30"));
    // The cut-off is the 8th day after the end; the freeze day the 9th.
    BOOST_TEST(cutoff_day(q1) == day("2026-04-08"));
    BOOST_TEST(freeze_day(q1) == day("2026-04-09"));
    BOOST_TEST(cutoff_day(q4) == day("2026-01-08"));
    BOOST_TEST(freeze_day(q4) == day("2026-01-09"));
    BOOST_TEST(last_day(quarter{9999, 4}) == day("9999-12-31"));
}

BOOST_AUTO_TEST_CASE(quarter_of_a_day_and_neighbours) {
    BOOST_TEST(quarter_text(quarter_of_day(day("2026-01-01"))) == "2026-Q1");
    BOOST_TEST(quarter_text(quarter_of_day(day("2026-03-31"))) == "2026-Q1");
    BOOST_TEST(quarter_text(quarter_of_day(day("2026-04-01"))) == "2026-Q2");
    BOOST_TEST(quarter_text(quarter_of_day(day("2026-12-31"))) == "2026-Q4");
    BOOST_TEST(quarter_text(next_quarter({2026, 4})) == "2027-Q1");
    BOOST_TEST(quarter_text(previous_quarter({2026, 1})) == "2025-Q4");
}

BOOST_AUTO_TEST_CASE(ranges) {
    const auto r = quarter_range({2025, 3}, {2026, 2});
    BOOST_REQUIRE(r.has_value());
    std::vector<std::string> names;
    for (const auto q : *r) {
        names.push_back(quarter_text(q));
    }
    BOOST_TEST(names == (std::vector<std::string>{"2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"}),
               boost::test_tools::per_element());
    BOOST_TEST(quarter_range({2026, 1}, {2026, 1})->size() == 1u);
    BOOST_TEST(quarter_range({2026, 2}, {2026, 1}).error().message ==
               "the range ends before it starts (to comes before from)");
    BOOST_TEST(quarter_range({2000, 1}, {2024, 4})->size() == max_range_quarters);
    BOOST_TEST(quarter_range({2000, 1}, {2025, 1}).error().message ==
               "a range holds at most 100 quarters");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
