#include "server/store/transaction.hpp"

#include <utility>

namespace signaal::store {

result<transaction> transaction::begin(database& db, kind k) {
    if (auto s = db.exec(k == kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN"); !s) {
        return error{"cannot begin a transaction: " + s.error().message};
    }
    return transaction(db);
}

transaction::transaction(transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

transaction::~transaction() {
    // SQLite may already have rolled back on its own (e.g. disk full).
    if (db_ != nullptr && !db_->autocommit()) {
        (void)db_->exec("ROLLBACK");
    }
}

status transaction::commit() {
    if (db_ == nullptr) {
        return error{"transaction already finished"};
    }
    if (auto s = db_->exec("COMMIT"); !s) {
        return error{"commit failed: " + s.error().message};
    }
    db_ = nullptr;
    return {};
}

} // namespace signaal::store
