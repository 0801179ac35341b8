#pragma once
// RAII savepoint: rolled back unless release() succeeded. Unlike a transaction
// it nests, so an operation that must be atomic runs the same on its own (the
// savepoint starts a transaction) and inside a caller's transaction (a writer
// job, or an admin command that also writes an audit row).
#include "server/store/database.hpp"

namespace signaal::store {

class savepoint {
  public:
    [[nodiscard]] static result<savepoint> begin(database& db);

    savepoint(savepoint&& other) noexcept;
    savepoint& operator=(savepoint&&) = delete;
    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;
    ~savepoint(); // ROLLBACK TO and RELEASE unless released

    [[nodiscard]] status release();

  private:
    explicit savepoint(database& db) : db_(&db) {}

    database* db_; // null once released, rolled back or moved from
};

} // namespace signaal::store
