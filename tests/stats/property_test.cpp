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
#include "tests/stats/joint_attacker.hpp"

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

// The sanitizer build (Debug, many times slower) looks for memory errors, not for
// more statistical coverage: it runs a fifth of the random quarters; the normal
// build runs them all.
#if defined(__SANITIZE_ADDRESS__)
constexpr int rounds_divisor = 5;
#else
constexpr int rounds_divisor = 1;
#endif

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
    for (int round = 0; round < 2000 / rounds_divisor; ++round) {
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

/// The public routing of the quarters below.
const std::map<std::string, std::set<std::string>> test_routing = {
    {"health", {"care"}},
    {"robbery", {"care", "police"}},
    {"violence", {"care", "municipality", "police"}}};

/// A quarter tallied from random reports that obey the data model: consent
/// per desk, desks = consent and routing, count only without desks, only a
/// report with text withdrawn, a close is also an acknowledgement. Some
/// quarters send every report with text to care alone.
quarter_counts random_reports(std::mt19937_64& rng, std::int64_t most) {
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
    const std::vector<std::string> categories{"health", "robbery", "violence"};
    const std::vector<std::string> desks{"care", "municipality", "police"};
    const bool care_only = chance(0.2);
    std::vector<double> consent{0.4 + 0.6 * chance(0.5), 0.5 * chance(0.7), 0.3 * chance(0.6)};
    if (care_only) {
        consent = {1.0, 0.0, 0.0};
    }
    std::vector<double> category_weight{double(pick(0, 4)), double(pick(0, 4)), double(pick(1, 4))};
    std::discrete_distribution<std::size_t> category_of(category_weight.begin(),
                                                        category_weight.end());
    const double sex_worker = double(pick(0, 10)) / 10.0;
    const double withdraws = double(pick(0, 3)) / 10.0;
    std::vector<double> bucket_weight{double(pick(1, 6)), double(pick(0, 3)), double(pick(0, 1)),
                                      double(pick(0, 2))};
    std::discrete_distribution<std::size_t> bucket_of(bucket_weight.begin(), bucket_weight.end());

    quarter_counts q;
    for (const auto& c : categories) {
        q.category.push_back({c, 0});
    }
    q.role = {{"peer_expert", 0}, {"sex_worker", 0}};
    q.kind = {{"count_only", 0}, {"with_text", 0}};
    q.withdrawn = {{"withdrawn", 0}, {"kept", 0}};
    for (const auto& d : desks) {
        q.desks.push_back(
            {d, {{"0-7", 0}, {"8-30", 0}, {"31+", 0}, {"never", 0}}, {{"yes", 0}, {"no", 0}}});
    }
    q.routes = test_routing;
    const std::int64_t n = pick(0, most);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::size_t c = category_of(rng);
        ++q.category[c].count;
        ++q.role[chance(sex_worker) ? 1 : 0].count;
        bool any_desk = false;
        for (std::size_t d = 0; d < desks.size(); ++d) {
            if (!chance(consent[d]) || test_routing.at(categories[c]).count(desks[d]) == 0) {
                continue;
            }
            any_desk = true;
            const std::size_t bucket = bucket_of(rng);
            ++q.desks[d].days_to_ack[bucket].count;
            ++q.desks[d].closed[bucket != 3 && chance(0.6) ? 0 : 1].count;
        }
        ++q.kind[any_desk ? 1 : 0].count;
        ++q.withdrawn[any_desk && chance(withdraws) ? 0 : 1].count;
    }
    return q;
}

/// The quarter with each table suppressed on its own, nothing across tables:
/// what publish() did before the joint step.
published_quarter publish_per_table(const quarter_counts& counts, std::int64_t k) {
    auto p = publish(counts, k);
    std::size_t row = 0;
    auto population = [&](std::int64_t pop) {
        p.rows[row].count = pop < k ? std::nullopt : std::optional(pop);
        ++row;
    };
    auto table = [&](const std::vector<cell_count>& cells) {
        const auto t = suppress(cells, k);
        for (std::size_t i = 0; i < cells.size(); ++i, ++row) {
            p.rows[row].count = t.hidden[i] ? std::nullopt : std::optional(cells[i].count);
        }
    };
    auto sum = [](const std::vector<cell_count>& cells) {
        std::int64_t s = 0;
        for (const auto& c : cells) {
            s += c.count;
        }
        return s;
    };
    population(sum(counts.category));
    table(counts.category);
    table(counts.role);
    table(counts.kind);
    table(counts.withdrawn);
    for (const auto& d : counts.desks) {
        population(sum(d.days_to_ack));
        table(d.days_to_ack);
        table(d.closed);
    }
    return p;
}

struct attack_outcome {
    std::size_t hidden = 0;
    std::size_t pinned = 0;   // a hidden row with one possible value
    std::size_t narrowed = 0; // a hidden row below k that cannot be every value 0..k-1
};

/// Attacks `p` and counts what the reader learns; `truth` holds every row's
/// true count (same order).
attack_outcome attack(const published_quarter& p, const std::vector<std::int64_t>& truth,
                      std::int64_t cap) {
    const auto possible = test::possible_values(p, test_routing, cap);
    attack_outcome o;
    for (std::size_t i = 0; i < p.rows.size(); ++i) {
        BOOST_TEST_REQUIRE(possible[i].count(truth[i]) == 1u); // the truth fits
        if (p.rows[i].count) {
            continue;
        }
        ++o.hidden;
        if (possible[i].size() < 2) {
            ++o.pinned;
        } else if (truth[i] < p.k) {
            for (std::int64_t v = 0; v < p.k; ++v) {
                if (possible[i].count(v) == 0) {
                    ++o.narrowed;
                    break;
                }
            }
        }
    }
    return o;
}

/// Every row's true count, in the order of publish().
std::vector<std::int64_t> rows_of(const quarter_counts& counts) {
    std::vector<std::int64_t> out;
    auto sum = [](const std::vector<cell_count>& cells) {
        std::int64_t s = 0;
        for (const auto& c : cells) {
            s += c.count;
        }
        return s;
    };
    auto table = [&](const std::vector<cell_count>& cells) {
        for (const auto& c : cells) {
            out.push_back(c.count);
        }
    };
    out.push_back(sum(counts.category));
    table(counts.category);
    table(counts.role);
    table(counts.kind);
    table(counts.withdrawn);
    for (const auto& d : counts.desks) {
        out.push_back(sum(d.days_to_ack));
        table(d.days_to_ack);
        table(d.closed);
    }
    return out;
}

// publish() shows true counts only, and hides at least what each table's own
// suppression hides.
BOOST_AUTO_TEST_CASE(publish_hides_at_least_what_each_table_hides_on_its_own) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 200 / rounds_divisor; ++round) {
        const std::int64_t k = 3 + round % 3;
        const auto q = random_reports(rng, 30);
        const auto joint = publish(q, k);
        const auto alone = publish_per_table(q, k);
        const auto truth = rows_of(q);
        BOOST_REQUIRE(joint.rows.size() == truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i) {
            BOOST_TEST((alone.rows[i].count || !joint.rows[i].count));
            if (joint.rows[i].count) {
                BOOST_TEST(*joint.rows[i].count == truth[i]);
            }
        }
    }
}

// The reader of docs/statistics.md ("Across tables"): every published row of
// a quarter, every relation of the data model, counts are whole numbers >= 0.
// For each random quarter an exhaustive search (tests/stats/joint_attacker.cpp)
// finds every value each hidden row can take; none may be pinned, and a row
// below k must be able to be every value 0..k-1. The same search against the
// per-table suppression alone must find such rows, so the search can fail.
BOOST_AUTO_TEST_CASE(no_reader_who_combines_the_tables_pins_or_narrows_a_hidden_count) {
    std::mt19937_64 rng(20261129);
    std::size_t quarters = 0, hidden = 0, per_table_leaks = 0, quarters_with_more = 0;
    std::size_t hidden_whole = 0; // n >= k, yet every row hidden
    std::int64_t largest = 0;
    for (int round = 0; round < 250 / rounds_divisor; ++round) {
        const std::int64_t k = 3 + round % 3; // 3, 4, 5
        const auto q = random_reports(rng, 10);
        const auto truth = rows_of(q);
        largest = std::max(largest, truth[0]);
        const std::int64_t cap = truth[0] + k + 1; // room for every value 0..k-1 above the truth
        const auto joint = publish(q, k);
        const auto o = attack(joint, truth, cap);
        ++quarters;
        hidden += o.hidden;
        BOOST_TEST(o.pinned == 0u, "round " << round << ", k = " << k << ": pinned");
        BOOST_TEST(o.narrowed == 0u, "round " << round << ", k = " << k << ": narrowed");
        const auto alone = publish_per_table(q, k);
        const auto a = attack(alone, truth, cap);
        per_table_leaks += (a.pinned + a.narrowed) > 0;
        quarters_with_more += a.hidden < o.hidden;
        hidden_whole += truth[0] >= k && o.hidden == truth.size();
    }
    BOOST_TEST_MESSAGE(quarters << " quarters of up to " << largest << " reports, " << hidden
                                << " hidden rows; per-table suppression alone leaks in "
                                << per_table_leaks << ", the joint step hides more in "
                                << quarters_with_more << ", every row hidden (n >= k) in "
                                << hidden_whole);
    BOOST_TEST(per_table_leaks > 0u); // the search finds what it looks for
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace signaal::stats
