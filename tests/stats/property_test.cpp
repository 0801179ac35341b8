// The property PROTOCOL.md §8 promises, over many random data sets: every
// hidden cell has at least two values consistent with everything published.
// "Consistent" is taken at its strongest: the reader knows the rule, so a
// table of true counts is consistent when the rule, applied to it, publishes
// exactly what was published (the same shown counts, the same "<k" cells, the
// same population or "<k"). The solution space of each table is searched
// whole (cells >= 0, shown cells fixed, sum = the population when shown, else
// any population below k). Tables are one-way and suppressed on their own, so
// each is searched on its own. The same search over §8's rule alone finds
// narrowed cells, which shows that the search can fail.
#include "server/stats/published_quarter.hpp"
#include "server/stats/suppression.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

namespace signaal::stats {
namespace {

using rule = std::function<suppressed_table(std::span<const cell_count>, std::int64_t)>;

/// Calls `each` with every split of `total` into `parts.size()` counts >= 0.
void splits(std::int64_t total, std::vector<std::int64_t>& parts, std::size_t at,
            const std::function<void()>& each) {
    if (at + 1 == parts.size()) {
        parts[at] = total;
        each();
        return;
    }
    for (std::int64_t v = 0; v <= total; ++v) {
        parts[at] = v;
        splits(total - v, parts, at + 1, each);
    }
}

/// The hidden cells that take only one value in the table's solution space.
std::vector<std::string> narrowed_cells(const std::vector<cell_count>& truth, std::int64_t k,
                                        const rule& suppress_with) {
    const auto published = suppress_with(truth, k);
    std::vector<std::size_t> hidden;
    std::int64_t shown_sum = 0;
    std::int64_t population = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        population += truth[i].count;
        if (published.hidden[i]) {
            hidden.push_back(i);
        } else {
            shown_sum += truth[i].count;
        }
    }
    if (hidden.empty()) {
        return {};
    }
    std::int64_t pop_from = population, pop_to = population;
    if (!published.population_shown) {
        pop_from = 0;
        pop_to = k - 1;
    }
    std::vector<std::set<std::int64_t>> values(hidden.size());
    std::vector<cell_count> candidate = truth;
    std::vector<std::int64_t> parts(hidden.size());
    for (std::int64_t pop = pop_from; pop <= pop_to; ++pop) {
        if (pop < shown_sum) {
            continue;
        }
        splits(pop - shown_sum, parts, 0, [&] {
            for (std::size_t j = 0; j < hidden.size(); ++j) {
                candidate[hidden[j]].count = parts[j];
            }
            if (suppress_with(candidate, k) == published) {
                for (std::size_t j = 0; j < hidden.size(); ++j) {
                    values[j].insert(parts[j]);
                }
            }
        });
    }
    std::vector<std::string> narrowed;
    for (std::size_t j = 0; j < hidden.size(); ++j) {
        BOOST_TEST_REQUIRE(values[j].count(truth[hidden[j]].count) == 1u); // the truth fits
        if (values[j].size() < 2) {
            narrowed.push_back(truth[hidden[j]].cell);
        }
    }
    return narrowed;
}

/// A random quarter with small counts, in the shapes publish() sees: a few
/// categories (one of them not configured), two roles, kinds, withdrawals,
/// and three desks with their acknowledgement buckets and closes.
quarter_counts random_quarter(std::mt19937_64& rng) {
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    // Counts cluster around k, where suppression decides most.
    auto split = [&](std::int64_t total, std::vector<std::string> names) {
        std::vector<double> weights;
        for (std::size_t i = 0; i < names.size(); ++i) {
            weights.push_back(static_cast<double>(pick(0, 6)));
        }
        weights.back() += 1.0;
        std::discrete_distribution<std::size_t> which(weights.begin(), weights.end());
        std::vector<cell_count> cells;
        for (auto& n : names) {
            cells.push_back({std::move(n), 0});
        }
        for (std::int64_t i = 0; i < total; ++i) {
            ++cells[which(rng)].count;
        }
        return cells;
    };
    quarter_counts q;
    const std::int64_t n = pick(0, 24);
    q.category = split(n, {"health", "other", "robbery", "violence"});
    q.role = split(n, {"peer_expert", "sex_worker"});
    q.kind = split(n, {"count_only", "with_text"});
    q.withdrawn = split(n, {"withdrawn", "kept"});
    for (const char* desk : {"care", "municipality", "police"}) {
        const std::int64_t routed = pick(0, n);
        q.desks.push_back(
            {desk, split(routed, {"0-7", "8-30", "31+", "never"}), split(routed, {"yes", "no"})});
    }
    return q;
}

std::vector<const std::vector<cell_count>*> tables_of(const quarter_counts& q) {
    std::vector<const std::vector<cell_count>*> out{&q.category, &q.role, &q.kind, &q.withdrawn};
    for (const auto& d : q.desks) {
        out.push_back(&d.days_to_ack);
        out.push_back(&d.closed);
    }
    return out;
}

BOOST_AUTO_TEST_SUITE(property)

BOOST_AUTO_TEST_CASE(every_hidden_cell_keeps_at_least_two_values) {
    std::mt19937_64 rng(20261129);
    const rule published_rule = [](std::span<const cell_count> c, std::int64_t k) {
        return suppress(c, k);
    };
    const rule section8_rule = [](std::span<const cell_count> c, std::int64_t k) {
        return suppress_section8(c, k);
    };
    std::size_t tables = 0, with_hidden = 0, section8_narrowed = 0;
    for (int round = 0; round < 2000; ++round) {
        const std::int64_t k = 3 + round % 4; // 3, 4, 5, 6
        const auto q = random_quarter(rng);
        for (const auto* t : tables_of(q)) {
            ++tables;
            const auto published = suppress(*t, k);
            with_hidden += std::count(published.hidden.begin(), published.hidden.end(), true) > 0;
            const auto narrowed = narrowed_cells(*t, k, published_rule);
            BOOST_TEST(narrowed.empty(),
                       "k = " << k << ", a table with " << narrowed.size() << " narrowed cell(s)");
            section8_narrowed += !narrowed_cells(*t, k, section8_rule).empty();
        }
    }
    BOOST_TEST_MESSAGE(tables << " tables, " << with_hidden << " with hidden cells; §8 alone "
                              << "would leave narrowed cells in " << section8_narrowed);
    BOOST_TEST(with_hidden > tables / 3); // the data sets exercise suppression
    BOOST_TEST(section8_narrowed > 0u);   // the search finds what it looks for
}

// The same search through publish(): the rows of a published quarter carry
// exactly the tables searched above, each suppressed on its own.
BOOST_AUTO_TEST_CASE(publish_suppresses_each_table_on_its_own) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 100; ++round) {
        auto q = random_quarter(rng);
        const auto p = publish(q, 5);
        std::size_t row = 0;
        auto expect_table = [&](const std::vector<cell_count>& cells) {
            const auto t = suppress(cells, 5);
            for (std::size_t i = 0; i < cells.size(); ++i, ++row) {
                BOOST_REQUIRE(row < p.rows.size());
                BOOST_TEST(p.rows[row].cell == cells[i].cell);
                BOOST_TEST(p.rows[row].count.has_value() == !t.hidden[i]);
                if (p.rows[row].count) {
                    BOOST_TEST(*p.rows[row].count == cells[i].count);
                }
            }
        };
        auto expect_population = [&](const char* table, std::int64_t pop) {
            BOOST_REQUIRE(row < p.rows.size());
            BOOST_TEST(p.rows[row].table == table);
            BOOST_TEST(p.rows[row].cell == "all");
            BOOST_TEST(p.rows[row].count.has_value() == (pop >= 5));
            ++row;
        };
        std::int64_t n = 0;
        for (const auto& c : q.category) {
            n += c.count;
        }
        expect_population("n", n);
        expect_table(q.category);
        expect_table(q.role);
        expect_table(q.kind);
        expect_table(q.withdrawn);
        for (const auto& d : q.desks) {
            std::int64_t routed = 0;
            for (const auto& c : d.days_to_ack) {
                routed += c.count;
            }
            expect_population("routed", routed);
            expect_table(d.days_to_ack);
            expect_table(d.closed);
        }
        BOOST_TEST(row == p.rows.size());
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
