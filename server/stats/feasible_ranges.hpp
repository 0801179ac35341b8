#pragma once
// The exact range a reader can give each count of a quarter: the smallest and
// the largest integer value it takes over every solution of the quarter's
// relations with the shown rows fixed. Integer programs solved by GLPK
// (glp_intopt, branch and bound: exact, not a relaxation); a quarter has at
// most a few hundred variables.
#include "server/stats/quarter_relations.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

struct glp_prob;

namespace signaal::stats {

struct value_range {
    std::int64_t low = 0;
    std::int64_t high = 0;
};

class feasible_ranges {
  public:
    /// A hidden count (and every latent one) may be any integer from 0 up to
    /// this; far above any quarter, it only keeps the programs bounded.
    static constexpr std::int64_t unbounded = 1'000'000;

    /// Rows marked hidden are free; the others are fixed at their count.
    feasible_ranges(const quarter_relations& relations, std::span<const std::int64_t> counts,
                    const std::vector<bool>& hidden);
    ~feasible_ranges();
    feasible_ranges(const feasible_ranges&) = delete;
    feasible_ranges& operator=(const feasible_ranges&) = delete;

    /// Hides (frees) or shows (fixes at its count) one row.
    void set_hidden(std::size_t row, bool hidden);

    /// The range of a variable; nullopt when the relations have no solution at
    /// all (true counts that break them: the caller then hides everything).
    [[nodiscard]] std::optional<value_range> range_of(std::size_t variable);

  private:
    std::optional<std::int64_t> optimum(std::size_t variable, bool maximise);

    // GLPK keeps an environment per thread from its first call until that
    // thread calls glp_free_env (which frees every problem the thread holds).
    // The last instance alive on a thread frees it, so server threads keep
    // nothing between freezes. Declared first: it outlives problem_.
    struct thread_environment {
        thread_environment();
        ~thread_environment();
        thread_environment(const thread_environment&) = delete;
        thread_environment& operator=(const thread_environment&) = delete;
    };

    thread_environment environment_;
    glp_prob* problem_ = nullptr;
    std::vector<std::int64_t> counts_;
};

} // namespace signaal::stats
