// Suppression of one table (PROTOCOL.md §8): known tables, the secondary
// suppression and its order, and the case where §8 alone would let a hidden
// cell be narrowed to one value (docs/statistics.md).
#include "server/stats/suppression.hpp"

#include <boost/test/unit_test.hpp>

namespace signaal::stats {
namespace {

std::vector<cell_count> table(std::initializer_list<std::int64_t> counts) {
    std::vector<cell_count> cells;
    char name = 'a';
    for (const auto c : counts) {
        cells.push_back({std::string(1, name++), c});
    }
    return cells;
}

/// Which cells are hidden, as a string of 'x' (hidden) and '.' (shown).
std::string pattern(const suppressed_table& t) {
    std::string out;
    for (const bool h : t.hidden) {
        out += h ? 'x' : '.';
    }
    return out;
}

BOOST_AUTO_TEST_SUITE(suppression)

BOOST_AUTO_TEST_CASE(nothing_small_nothing_hidden) {
    const auto t = suppress(table({5, 7}), 5);
    BOOST_TEST(t.population_shown);
    BOOST_TEST(pattern(t) == "..");
}

BOOST_AUTO_TEST_CASE(a_population_below_k_hides_its_whole_table) {
    for (const auto& cells : {table({2, 1}), table({0, 0}), table({4, 0, 0})}) {
        const auto t = suppress(cells, 5);
        BOOST_TEST(!t.population_shown);
        BOOST_TEST(pattern(t) == std::string(cells.size(), 'x'));
    }
    BOOST_TEST(suppress(table({5, 0}), 5).population_shown);
    BOOST_TEST(!suppress(table({2, 0}), 3).population_shown);
}

BOOST_AUTO_TEST_CASE(every_cell_below_k_is_hidden_zero_included) {
    BOOST_TEST(pattern(suppress(table({3, 4, 10}), 5)) == "xx.");
    BOOST_TEST(pattern(suppress(table({0, 5, 10}), 5)) == "xx."); // 0 is hidden, and then 5
    BOOST_TEST(pattern(suppress(table({0, 0, 9}), 3)) == "xxx");
}

BOOST_AUTO_TEST_CASE(secondary_suppression_until_the_hidden_sum_reaches_k) {
    // 0 + 2 < 5: the smallest shown cell (6) goes too; 9 stays.
    BOOST_TEST(pattern(suppress(table({0, 2, 6, 9}), 5)) == "xxx.");
    // A two-cell table: one hidden cell takes the other with it.
    BOOST_TEST(pattern(suppress(table({3, 80}), 5)) == "xx");
}

BOOST_AUTO_TEST_CASE(secondary_suppression_until_two_cells_are_hidden) {
    // 4 alone is one hidden cell: the smallest shown goes, 7.
    BOOST_TEST(pattern(suppress(table({4, 9, 7, 20}), 5)) == "x.x.");
}

BOOST_AUTO_TEST_CASE(among_equal_counts_the_bytewise_greatest_cell_goes_first) {
    // b and c are both 7: c is bytewise greater, so c is hidden.
    BOOST_TEST(pattern(suppress(table({3, 7, 7, 20}), 5)) == "x.x.");
    std::vector<cell_count> named{{"violence", 3}, {"robbery", 7}, {"threats", 7}, {"x", 20}};
    BOOST_TEST(pattern(suppress(named, 5)) == "x.x.");
    named = {{"violence", 3}, {"robbery", 7}, {"health", 7}, {"x", 20}};
    BOOST_TEST(pattern(suppress(named, 5)) == "xx..");
}

// §8 alone: with k = 5, cells 4 and 4 are hidden and sum to 8 >= k, two cells,
// so §8 stops. But the published 5 and 5 and n = 18 say the hidden pair sums
// to 8, and any split other than 4 + 4 would have been published otherwise:
// 3 + 5 would hide a cell of 5, and which one the order fixes (d, not b).
// Both hidden cells would be known. The published rule hides the table.
BOOST_AUTO_TEST_CASE(a_cell_section8_would_leave_narrowed_is_not_published) {
    const auto cells = table({4, 4, 5, 5});
    BOOST_TEST(pattern(suppress_section8(cells, 5)) == "xx..");
    BOOST_TEST(pattern(suppress(cells, 5)) == "xxxx");
    BOOST_TEST(suppress(cells, 5).population_shown);
    // Likewise when §8's tie order pins the secondary cell.
    BOOST_TEST(pattern(suppress_section8(table({4, 7, 7, 20}), 5)) == "x.x.");
    BOOST_TEST(pattern(suppress(table({4, 7, 7, 20}), 5)) == "xxxx");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
