#include "server/store/read_pool.hpp"

#include <stdexcept>

namespace signaal::store {

result<std::unique_ptr<read_pool>> read_pool::open(const std::filesystem::path& path,
                                                   unsigned threads) {
    if (threads == 0) {
        return fail("a read pool needs at least one thread");
    }
    std::unique_ptr<read_pool> pool(new read_pool(threads));
    pool->path_ = path;
    // One connection per thread: a read never waits for a connection.
    for (unsigned i = 0; i < threads; ++i) {
        auto db = database::open(path, open_mode::read_only);
        if (!db) {
            return db.error();
        }
        pool->idle_.push_back(std::make_unique<database>(std::move(*db)));
    }
    return pool;
}

read_pool::~read_pool() {
    pool_.join();
}

read_pool::lease::lease(read_pool& p) : pool(p) {
    {
        std::lock_guard lock(pool.mutex_);
        if (!pool.idle_.empty()) {
            db = std::move(pool.idle_.back());
            pool.idle_.pop_back();
            return;
        }
    }
    // More concurrent reads than threads (run_here from another thread): one more connection.
    auto opened = database::open(pool.path_, open_mode::read_only);
    if (!opened) {
        throw std::runtime_error("cannot open a read connection: " + opened.error().message);
    }
    db = std::make_unique<database>(std::move(*opened));
}

read_pool::lease::~lease() {
    std::lock_guard lock(pool.mutex_);
    pool.idle_.push_back(std::move(db));
}

} // namespace signaal::store
