#include "server/stats/suppression.hpp"

#include <cstddef>
#include <numeric>

namespace signaal::stats {
namespace {

std::int64_t population_of(std::span<const cell_count> cells) {
    return std::accumulate(cells.begin(), cells.end(), std::int64_t{0},
                           [](std::int64_t sum, const cell_count& c) { return sum + c.count; });
}

/// Hides the next shown cell: the smallest count, among equal counts the
/// bytewise-greatest cell. False when every cell is hidden already.
bool hide_next(std::span<const cell_count> cells, std::vector<bool>& hidden) {
    std::size_t pick = cells.size();
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (hidden[i]) {
            continue;
        }
        if (pick == cells.size() || cells[i].count < cells[pick].count ||
            (cells[i].count == cells[pick].count && cells[i].cell > cells[pick].cell)) {
            pick = i;
        }
    }
    if (pick == cells.size()) {
        return false;
    }
    hidden[pick] = true;
    return true;
}

bool enough_hidden(std::span<const cell_count> cells, const std::vector<bool>& hidden,
                   std::int64_t k) {
    std::int64_t sum = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (hidden[i]) {
            sum += cells[i].count;
            ++count;
        }
    }
    return count >= 2 && sum >= k;
}

/// True when some hidden cell is reached by no one-unit move between two hidden
/// cells that keeps §8's hidden set as it is.
bool any_narrowed(std::span<const cell_count> cells, const std::vector<bool>& hidden,
                  std::int64_t k) {
    std::vector<bool> free(cells.size(), false);
    std::vector<cell_count> moved(cells.begin(), cells.end());
    for (std::size_t from = 0; from < cells.size(); ++from) {
        if (!hidden[from] || cells[from].count == 0) {
            continue;
        }
        for (std::size_t to = 0; to < cells.size(); ++to) {
            if (to == from || !hidden[to] || (free[from] && free[to])) {
                continue;
            }
            --moved[from].count;
            ++moved[to].count;
            const auto again = suppress_section8(moved, k);
            ++moved[from].count;
            --moved[to].count;
            if (again.population_shown && again.hidden == hidden) {
                free[from] = true;
                free[to] = true;
            }
        }
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (hidden[i] && !free[i]) {
            return true;
        }
    }
    return false;
}

} // namespace

suppressed_table suppress_section8(std::span<const cell_count> cells, std::int64_t k) {
    suppressed_table t;
    t.hidden.assign(cells.size(), true);
    if (population_of(cells) < k) {
        return t;
    }
    t.population_shown = true;
    bool any = false;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        t.hidden[i] = cells[i].count < k;
        any = any || t.hidden[i];
    }
    if (!any) {
        return t;
    }
    while (!enough_hidden(cells, t.hidden, k) && hide_next(cells, t.hidden)) {
    }
    return t;
}

suppressed_table suppress(std::span<const cell_count> cells, std::int64_t k) {
    auto t = suppress_section8(cells, k);
    if (!t.population_shown) {
        return t;
    }
    bool any = false;
    for (const bool h : t.hidden) {
        any = any || h;
    }
    if (!any) {
        return t;
    }
    if (any_narrowed(cells, t.hidden, k)) {
        t.hidden.assign(cells.size(), true);
    }
    return t;
}

} // namespace signaal::stats
