#pragma once
// RAII transaction: rolled back unless commit() succeeded.
#include "server/store/database.hpp"

namespace signaal::store {

class transaction {
  public:
    enum class kind { deferred, immediate };

    /// BEGIN (deferred: a consistent read snapshot) or BEGIN IMMEDIATE (takes the
    /// write lock now, waiting up to busy_timeout).
    [[nodiscard]] static result<transaction> begin(database& db, kind k);

    transaction(transaction&& other) noexcept;
    transaction& operator=(transaction&&) = delete;
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    ~transaction();

    [[nodiscard]] status commit();

  private:
    explicit transaction(database& db) : db_(&db) {}

    database* db_; // null once committed, rolled back or moved from
};

} // namespace signaal::store
