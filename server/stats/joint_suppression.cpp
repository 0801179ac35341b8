#include "server/stats/joint_suppression.hpp"

#include <algorithm>
#include <set>

namespace signaal::stats {
namespace {

std::vector<std::int64_t> counts_of(const quarter_layout& layout) {
    std::vector<std::int64_t> out;
    for (const auto& r : layout.rows) {
        out.push_back(r.count.value_or(0));
    }
    return out;
}

/// The candidates to hide next, in the order they are tried: single shown
/// rows, then population bundles.
std::vector<std::vector<std::size_t>> candidates(const quarter_layout& layout,
                                                 const std::vector<std::int64_t>& counts,
                                                 const std::vector<bool>& hidden) {
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < hidden.size(); ++i) {
        if (!hidden[i]) {
            shown.push_back(i);
        }
    }
    std::stable_sort(shown.begin(), shown.end(),
                     [&](std::size_t a, std::size_t b) { return counts[a] < counts[b]; });
    std::vector<std::vector<std::size_t>> out;
    for (const auto row : shown) {
        out.push_back({row});
    }
    std::vector<std::size_t> populations{layout.n};
    for (const auto& d : layout.desks) {
        populations.push_back(d.routed);
    }
    for (const auto p : populations) {
        if (hidden[p]) {
            continue;
        }
        std::vector<std::size_t> bundle{p};
        for (const auto* t : layout.tables_of(p)) {
            if (std::any_of(t->cells.begin(), t->cells.end(),
                            [&](std::size_t c) { return hidden[c]; })) {
                continue;
            }
            const auto smallest = std::min_element(
                t->cells.begin(), t->cells.end(),
                [&](std::size_t a, std::size_t b) { return counts[a] < counts[b]; });
            if (smallest != t->cells.end()) {
                bundle.push_back(*smallest);
            }
        }
        if (bundle.size() > 1) {
            out.push_back(std::move(bundle));
        }
    }
    return out;
}

bool wider(value_range after, value_range before) {
    return after.low < before.low || after.high > before.high;
}

} // namespace

bool is_protected(value_range range, std::int64_t count, std::int64_t k) {
    if (range.high <= range.low) {
        return false;
    }
    return count >= k || (range.low == 0 && range.high >= k - 1);
}

std::vector<bool> suppress_jointly(const quarter_layout& layout, const quarter_relations& relations,
                                   std::vector<bool> hidden, std::int64_t k) {
    const auto counts = counts_of(layout);
    const std::vector<bool> everything(hidden.size(), true);
    feasible_ranges ranges(relations, counts, hidden);
    // Hiding more only widens every range, so a row found protected stays so:
    // each hidden row, also each one hidden here, is checked once it is final.
    std::set<std::size_t> to_check;
    for (std::size_t row = 0; row < hidden.size(); ++row) {
        if (hidden[row]) {
            to_check.insert(row);
        }
    }
    while (!to_check.empty()) {
        const std::size_t row = *to_check.begin();
        const auto before = ranges.range_of(row);
        if (!before) {
            return everything;
        }
        if (is_protected(*before, counts[row], k)) {
            to_check.erase(to_check.begin());
            continue;
        }
        bool widened = false;
        for (const auto& candidate : candidates(layout, counts, hidden)) {
            for (const auto c : candidate) {
                ranges.set_hidden(c, true);
            }
            const auto after = ranges.range_of(row);
            if (after && wider(*after, *before)) {
                for (const auto c : candidate) {
                    hidden[c] = true;
                    to_check.insert(c);
                }
                widened = true;
                break;
            }
            for (const auto c : candidate) {
                ranges.set_hidden(c, false);
            }
        }
        if (!widened) {
            return everything;
        }
    }
    return hidden;
}

} // namespace signaal::stats
