#pragma once
// A move-only `void(write_outcome)` callable, so a completion may own move-only
// state (a coroutine's handler, a promise) that std::function cannot hold.
#include "server/store/write_request.hpp"

#include <concepts>
#include <memory>
#include <type_traits>
#include <utility>

namespace signaal::store {

class write_completion {
  public:
    write_completion() = default;

    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, write_completion> &&
                 std::invocable<std::decay_t<F>&, write_outcome>)
    write_completion(F&& f) // NOLINT: implicit on purpose, like std::function
        : impl_(std::make_unique<model<std::decay_t<F>>>(std::forward<F>(f))) {}

    write_completion(write_completion&&) noexcept = default;
    write_completion& operator=(write_completion&&) noexcept = default;
    write_completion(const write_completion&) = delete;
    write_completion& operator=(const write_completion&) = delete;

    explicit operator bool() const { return impl_ != nullptr; }

    /// Calls the target once and drops it; later calls do nothing.
    void operator()(write_outcome outcome) {
        if (auto impl = std::move(impl_)) {
            impl->call(outcome);
        }
    }

  private:
    struct concept_t {
        virtual ~concept_t() = default;
        virtual void call(write_outcome outcome) = 0;
    };
    template <class F> struct model final : concept_t {
        template <class G> explicit model(G&& g) : f(std::forward<G>(g)) {}
        void call(write_outcome outcome) override { f(outcome); }
        F f;
    };

    std::unique_ptr<concept_t> impl_;
};

} // namespace signaal::store
