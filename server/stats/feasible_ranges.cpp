#include "server/stats/feasible_ranges.hpp"

#include <glpk.h>

#include <cmath>

namespace signaal::stats {
namespace {

int column_of(std::size_t variable) {
    return static_cast<int>(variable) + 1;
}

// Instances alive on this thread; see feasible_ranges::thread_environment.
thread_local int live_on_this_thread = 0;

} // namespace

feasible_ranges::feasible_ranges(const quarter_relations& relations,
                                 std::span<const std::int64_t> counts,
                                 const std::vector<bool>& hidden)
    : problem_(glp_create_prob()), counts_(counts.begin(), counts.end()) {
    glp_term_out(GLP_OFF);
    const int columns = static_cast<int>(relations.variables);
    glp_add_cols(problem_, columns);
    for (std::size_t v = 0; v < relations.variables; ++v) {
        glp_set_col_kind(problem_, column_of(v), GLP_IV);
        const bool free = v >= counts_.size() || hidden[v];
        if (free) {
            glp_set_col_bnds(problem_, column_of(v), GLP_DB, 0.0, static_cast<double>(unbounded));
        } else {
            glp_set_col_bnds(problem_, column_of(v), GLP_FX, static_cast<double>(counts_[v]),
                             static_cast<double>(counts_[v]));
        }
    }
    if (relations.relations.empty()) {
        return;
    }
    glp_add_rows(problem_, static_cast<int>(relations.relations.size()));
    // GLPK's sparse matrix is 1-based: element 0 is unused.
    std::vector<int> row_index{0}, column_index{0};
    std::vector<double> value{0.0};
    int row = 0;
    for (const auto& r : relations.relations) {
        ++row;
        glp_set_row_bnds(problem_, row, r.equality ? GLP_FX : GLP_LO, 0.0, 0.0);
        for (const auto& t : r.terms) {
            row_index.push_back(row);
            column_index.push_back(column_of(t.variable));
            value.push_back(static_cast<double>(t.coefficient));
        }
    }
    glp_load_matrix(problem_, static_cast<int>(value.size()) - 1, row_index.data(),
                    column_index.data(), value.data());
}

feasible_ranges::~feasible_ranges() {
    glp_delete_prob(problem_);
}

feasible_ranges::thread_environment::thread_environment() {
    ++live_on_this_thread;
}

feasible_ranges::thread_environment::~thread_environment() {
    if (--live_on_this_thread == 0) {
        glp_free_env();
    }
}

void feasible_ranges::set_hidden(std::size_t row, bool hidden) {
    if (hidden) {
        glp_set_col_bnds(problem_, column_of(row), GLP_DB, 0.0, static_cast<double>(unbounded));
    } else {
        const auto c = static_cast<double>(counts_.at(row));
        glp_set_col_bnds(problem_, column_of(row), GLP_FX, c, c);
    }
}

std::optional<std::int64_t> feasible_ranges::optimum(std::size_t variable, bool maximise) {
    glp_term_out(GLP_OFF);
    glp_set_obj_dir(problem_, maximise ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(problem_, column_of(variable), 1.0);
    glp_iocp parameters;
    glp_init_iocp(&parameters);
    parameters.presolve = GLP_ON; // solves the LP relaxation itself
    parameters.msg_lev = GLP_MSG_OFF;
    const int failed = glp_intopt(problem_, &parameters);
    const int status = glp_mip_status(problem_);
    const double value = glp_mip_obj_val(problem_);
    glp_set_obj_coef(problem_, column_of(variable), 0.0);
    if (failed != 0 || status != GLP_OPT) {
        return std::nullopt;
    }
    return std::llround(value);
}

std::optional<value_range> feasible_ranges::range_of(std::size_t variable) {
    const auto low = optimum(variable, false);
    if (!low) {
        return std::nullopt;
    }
    const auto high = optimum(variable, true);
    if (!high) {
        return std::nullopt;
    }
    return value_range{*low, *high};
}

} // namespace signaal::stats
