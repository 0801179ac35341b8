#include "tests/stats/joint_attacker.hpp"

#include <functional>
#include <optional>
#include <stdexcept>

namespace signaal::stats::test {
namespace {

using values = std::set<std::int64_t>;

/// One table read back: its rows' indices and published counts.
struct read_table {
    std::vector<std::size_t> rows;
    std::vector<std::optional<std::int64_t>> shown;
};

struct read_desk {
    std::size_t routed = 0;
    read_table days, closed; // days: 0-7, 8-30, 31+, never; closed: yes, no
};

struct read_quarter {
    std::size_t n = 0;
    read_table category, role, kind, withdrawn;
    std::vector<std::string> category_names;
    std::vector<std::string> desk_names;
    std::vector<read_desk> desks;
};

read_quarter read(const published_quarter& p) {
    read_quarter q;
    std::map<std::string, std::size_t> desk_at;
    for (std::size_t i = 0; i < p.rows.size(); ++i) {
        const auto& r = p.rows[i];
        auto add = [&](read_table& t) {
            t.rows.push_back(i);
            t.shown.push_back(r.count);
        };
        if (r.table == "n") {
            q.n = i;
        } else if (r.table == "category") {
            add(q.category);
            q.category_names.push_back(r.cell);
        } else if (r.table == "role") {
            add(q.role);
        } else if (r.table == "kind") {
            add(q.kind);
        } else if (r.table == "withdrawn") {
            add(q.withdrawn);
        } else {
            if (!desk_at.count(r.desk)) {
                desk_at[r.desk] = q.desks.size();
                q.desks.emplace_back();
                q.desk_names.push_back(r.desk);
            }
            auto& d = q.desks[desk_at[r.desk]];
            if (r.table == "routed") {
                d.routed = i;
            } else if (r.table == "days_to_ack") {
                add(d.days);
            } else if (r.table == "closed") {
                add(d.closed);
            } else {
                throw std::runtime_error("unknown table " + r.table);
            }
        }
    }
    return q;
}

/// Every completion of a table's cells that sums to `total` (shown cells fixed).
void completions(const read_table& t, std::int64_t total,
                 const std::function<void(const std::vector<std::int64_t>&)>& each) {
    std::vector<std::int64_t> cells(t.shown.size());
    std::function<void(std::size_t, std::int64_t)> go = [&](std::size_t at, std::int64_t left) {
        if (at == cells.size()) {
            if (left == 0) {
                each(cells);
            }
            return;
        }
        if (t.shown[at]) {
            if (*t.shown[at] <= left) {
                cells[at] = *t.shown[at];
                go(at + 1, left - cells[at]);
            }
            return;
        }
        for (std::int64_t v = 0; v <= left; ++v) {
            cells[at] = v;
            go(at + 1, left - v);
        }
    };
    go(0, total);
}

std::vector<std::int64_t> domain(const std::optional<std::int64_t>& shown, std::int64_t cap) {
    if (shown) {
        return {*shown};
    }
    std::vector<std::int64_t> out;
    for (std::int64_t v = 0; v <= cap; ++v) {
        out.push_back(v);
    }
    return out;
}

/// What a table's rows can be, per value of its population: nothing when no
/// completion fits.
using table_values = std::map<std::int64_t, std::vector<values>>;

void note(std::vector<values>& into, const std::vector<std::int64_t>& cells, std::size_t from = 0) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        into[from + i].insert(cells[i]);
    }
}

/// Can reports with text, `text_by_category[c]` of category c, reach the
/// desks so that desk d gets exactly routed[d]? Every report needs at least
/// one desk of its category's routing, and a desk counts a report once. Such
/// an assignment exists iff each report can get a first desk (Hall: every set
/// of categories has no more reports than the routed counts of the desks it
/// may reach) and no desk gets more than the reports it may receive.
bool can_route(const std::vector<std::int64_t>& text_by_category,
               const std::vector<std::vector<bool>>& may, const std::vector<std::int64_t>& routed) {
    const std::size_t categories = text_by_category.size(), desks = routed.size();
    for (std::size_t d = 0; d < desks; ++d) {
        std::int64_t pool = 0;
        for (std::size_t c = 0; c < categories; ++c) {
            pool += may[c][d] ? text_by_category[c] : 0;
        }
        if (routed[d] > pool) {
            return false;
        }
    }
    for (std::size_t set = 1; set < (std::size_t{1} << categories); ++set) {
        std::int64_t reports = 0;
        std::vector<bool> reach(desks, false);
        for (std::size_t c = 0; c < categories; ++c) {
            if (set & (std::size_t{1} << c)) {
                reports += text_by_category[c];
                for (std::size_t d = 0; d < desks; ++d) {
                    reach[d] = reach[d] || may[c][d];
                }
            }
        }
        std::int64_t room = 0;
        for (std::size_t d = 0; d < desks; ++d) {
            room += reach[d] ? routed[d] : 0;
        }
        if (reports > room) {
            return false;
        }
    }
    return true;
}

/// Some split of `with_text` over the categories (at most each category's
/// count, none for a category no desk may receive) that can_route accepts.
bool some_split_routes(const std::vector<std::int64_t>& category, std::int64_t with_text,
                       const std::vector<std::vector<bool>>& may,
                       const std::vector<std::int64_t>& routed) {
    std::vector<std::int64_t> split(category.size(), 0);
    std::function<bool(std::size_t, std::int64_t)> go = [&](std::size_t at, std::int64_t left) {
        if (at == split.size()) {
            return left == 0 && can_route(split, may, routed);
        }
        bool any_desk = false;
        for (const bool m : may[at]) {
            any_desk = any_desk || m;
        }
        const std::int64_t most = any_desk ? std::min(category[at], left) : 0;
        for (std::int64_t v = 0; v <= most; ++v) {
            split[at] = v;
            if (go(at + 1, left - v)) {
                return true;
            }
        }
        return false;
    };
    return go(0, with_text);
}

} // namespace

std::vector<values> possible_values(const published_quarter& p,
                                    const std::map<std::string, std::set<std::string>>& routing,
                                    std::int64_t cap) {
    const auto q = read(p);
    std::vector<values> out(p.rows.size());

    // Each desk on its own, per routed count: a close is also an
    // acknowledgement, so closed "yes" reports are never "never".
    std::vector<table_values> desk_values(q.desks.size());
    for (std::size_t d = 0; d < q.desks.size(); ++d) {
        const auto& desk = q.desks[d];
        for (const auto r : domain(p.rows[desk.routed].count, cap)) {
            std::vector<values> seen(6);
            bool any = false;
            completions(desk.days, r, [&](const std::vector<std::int64_t>& days) {
                completions(desk.closed, r, [&](const std::vector<std::int64_t>& closed) {
                    if (closed[0] + days[3] <= r) {
                        any = true;
                        note(seen, days);
                        note(seen, closed, 4);
                    }
                });
            });
            if (any) {
                desk_values[d][r] = std::move(seen);
            }
        }
    }

    std::vector<std::vector<bool>> may(q.category_names.size(),
                                       std::vector<bool>(q.desks.size(), false));
    for (std::size_t c = 0; c < q.category_names.size(); ++c) {
        const auto r = routing.find(q.category_names[c]);
        for (std::size_t d = 0; d < q.desks.size(); ++d) {
            may[c][d] = r != routing.end() && r->second.count(q.desk_names[d]) > 0;
        }
    }

    for (const auto n : domain(p.rows[q.n].count, cap)) {
        // Roles: any split of n.
        std::vector<values> role_seen(q.role.rows.size());
        bool role_fits = false;
        completions(q.role, n, [&](const std::vector<std::int64_t>& cells) {
            role_fits = true;
            note(role_seen, cells);
        });
        if (!role_fits) {
            continue;
        }
        completions(q.kind, n, [&](const std::vector<std::int64_t>& kind) {
            const std::int64_t with_text = kind[1];
            // Only a report with text can be withdrawn (it alone has a mailbox).
            std::vector<values> withdrawn_seen(q.withdrawn.rows.size());
            bool withdrawn_fits = false;
            completions(q.withdrawn, n, [&](const std::vector<std::int64_t>& w) {
                if (w[0] <= with_text) {
                    withdrawn_fits = true;
                    note(withdrawn_seen, w);
                }
            });
            if (!withdrawn_fits) {
                return;
            }
            completions(q.category, n, [&](const std::vector<std::int64_t>& category) {
                std::vector<std::int64_t> routed(q.desks.size());
                std::function<void(std::size_t)> each_routed = [&](std::size_t d) {
                    if (d == q.desks.size()) {
                        if (!some_split_routes(category, with_text, may, routed)) {
                            return;
                        }
                        out[q.n].insert(n);
                        for (std::size_t i = 0; i < kind.size(); ++i) {
                            out[q.kind.rows[i]].insert(kind[i]);
                        }
                        for (std::size_t i = 0; i < category.size(); ++i) {
                            out[q.category.rows[i]].insert(category[i]);
                        }
                        for (std::size_t i = 0; i < role_seen.size(); ++i) {
                            out[q.role.rows[i]].insert(role_seen[i].begin(), role_seen[i].end());
                        }
                        for (std::size_t i = 0; i < withdrawn_seen.size(); ++i) {
                            out[q.withdrawn.rows[i]].insert(withdrawn_seen[i].begin(),
                                                            withdrawn_seen[i].end());
                        }
                        for (std::size_t e = 0; e < q.desks.size(); ++e) {
                            const auto& desk = q.desks[e];
                            const auto& seen = desk_values[e].at(routed[e]);
                            out[desk.routed].insert(routed[e]);
                            for (std::size_t i = 0; i < 4; ++i) {
                                out[desk.days.rows[i]].insert(seen[i].begin(), seen[i].end());
                            }
                            for (std::size_t i = 0; i < 2; ++i) {
                                out[desk.closed.rows[i]].insert(seen[4 + i].begin(),
                                                                seen[4 + i].end());
                            }
                        }
                        return;
                    }
                    for (const auto& [r, seen] : desk_values[d]) {
                        if (r > with_text) {
                            break; // a desk counts a report once
                        }
                        routed[d] = r;
                        each_routed(d + 1);
                    }
                };
                each_routed(0);
            });
        });
    }
    return out;
}

} // namespace signaal::stats::test
