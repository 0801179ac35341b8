#include "server/store/savepoint.hpp"

#include <utility>

namespace signaal::store {

result<savepoint> savepoint::begin(database& db) {
    if (auto s = db.exec("SAVEPOINT atomic_step"); !s) {
        return fail("cannot begin a savepoint: " + s.error().message);
    }
    return savepoint(db);
}

savepoint::savepoint(savepoint&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

savepoint::~savepoint() {
    // SQLite may already have rolled the whole transaction back on its own.
    if (db_ != nullptr && !db_->autocommit()) {
        (void)db_->exec("ROLLBACK TO atomic_step; RELEASE atomic_step");
    }
}

status savepoint::release() {
    if (db_ == nullptr) {
        return fail("savepoint already finished");
    }
    if (auto s = db_->exec("RELEASE atomic_step"); !s) {
        return fail("cannot release a savepoint: " + s.error().message);
    }
    db_ = nullptr;
    return {};
}

} // namespace signaal::store
