#pragma once
// Where checked reports and the server's other changes go: the store's single
// writer in the server, a fake in the intake's tests, so those handlers run
// without a database or sockets.
#include "server/store/report_writer.hpp"
#include "server/store/write_completion.hpp"
#include "server/store/write_request.hpp"

#include <cstddef>

namespace signaal::api {

/// How much the intake can take right now (PROTOCOL.md §5, checked first).
enum class intake_load {
    open,
    busy,   // the write queue is full: 429 busy
    paused, // intake stopped by the operator's limits: 503 unavailable
};

class report_sink {
  public:
    virtual ~report_sink() = default;
    [[nodiscard]] virtual intake_load load() const = 0;
    /// Stores a report; `done` is called exactly once, from any thread, when the
    /// outcome is known (committed only after the commit is durable).
    virtual void submit(store::write_request request, store::write_completion done) = 0;
    /// Runs a change in the writer's next commit group (write_job.hpp); `job.done`
    /// is called exactly once, from any thread.
    virtual void submit_job(store::write_job job) = 0;
};

/// The product's sink: the store's group-committing writer.
class writer_sink final : public report_sink {
  public:
    writer_sink(store::report_writer& writer, std::size_t max_pending)
        : writer_(writer), max_pending_(max_pending) {}
    [[nodiscard]] intake_load load() const override {
        return writer_.pending() >= max_pending_ ? intake_load::busy : intake_load::open;
    }
    void submit(store::write_request request, store::write_completion done) override {
        (void)writer_.submit(std::move(request), std::move(done)); // `done` tells a refusal
    }
    void submit_job(store::write_job job) override { (void)writer_.submit_job(std::move(job)); }

  private:
    store::report_writer& writer_;
    const std::size_t max_pending_;
};

} // namespace signaal::api
