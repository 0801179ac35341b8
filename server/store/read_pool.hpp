#pragma once
// Reads off the request path: a few threads, each with its own read-only
// connection (WAL readers never wait for the writer). A coroutine hands a read
// to the pool and resumes on its own strand with the answer, so a slow read
// never blocks a connection's strand or the threads serving others.
#include "server/common/result.hpp"
#include "server/store/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

namespace signaal::store {

class read_pool {
  public:
    /// Opens `threads` (>= 1) read-only connections to an existing, migrated database.
    [[nodiscard]] static result<std::unique_ptr<read_pool>> open(const std::filesystem::path& path,
                                                                 unsigned threads);
    read_pool(const read_pool&) = delete;
    read_pool& operator=(const read_pool&) = delete;
    /// Waits for reads in flight.
    ~read_pool();

    /// Runs `read(database&)` on a pool thread and returns its value to the
    /// awaiting coroutine, on that coroutine's executor. An exception in `read`
    /// reaches the awaiting coroutine.
    template <class Read>
    boost::asio::awaitable<std::invoke_result_t<Read, database&>> run(Read read) {
        using value = std::invoke_result_t<Read, database&>;
        // Named, not temporaries of the co_await expression: GCC 12 may destroy
        // such temporaries twice (a bad free seen in the staff routes).
        auto on_pool = [this, read = std::move(read)]() mutable -> boost::asio::awaitable<value> {
            lease held(*this);
            co_return read(*held.db);
        };
        auto task = boost::asio::co_spawn(pool_.get_executor(), std::move(on_pool),
                                          boost::asio::use_awaitable);
        co_return co_await std::move(task);
    }

    /// Runs `read` on the calling thread with a pooled connection (tools, tests, start-up).
    template <class Read> std::invoke_result_t<Read, database&> run_here(Read read) {
        lease held(*this);
        return read(*held.db);
    }

  private:
    explicit read_pool(unsigned threads) : pool_(threads) {}

    // One connection taken from idle_ for the length of one read.
    struct lease {
        explicit lease(read_pool& pool);
        ~lease();
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        read_pool& pool;
        std::unique_ptr<database> db;
    };

    std::filesystem::path path_;
    boost::asio::thread_pool pool_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<database>> idle_; // guarded by mutex_
};

} // namespace signaal::store
