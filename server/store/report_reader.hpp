#pragma once
// Reads reports over its own read-only connection (WAL: never blocks the writer).
// One reader per thread; statements are prepared once per reader.
#include "server/store/database.hpp"
#include "server/store/records.hpp"
#include "server/store/statement.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

namespace signaal::store {

class report_reader {
  public:
    [[nodiscard]] static result<report_reader> open(const std::filesystem::path& path);

    /// The report with its envelopes (sorted by desk), read in one snapshot;
    /// nullopt when there is no such report.
    [[nodiscard]] result<std::optional<report_record>> find(std::span<const std::uint8_t> id);

    /// Every stored report, count-only ones included.
    [[nodiscard]] result<std::int64_t> count();

  private:
    report_reader(database db, statement report, statement envelopes, statement count)
        : db_(std::move(db)), report_(std::move(report)), envelopes_(std::move(envelopes)),
          count_(std::move(count)) {}

    database db_; // declared first: destroyed after the statements
    statement report_;
    statement envelopes_;
    statement count_;
};

} // namespace signaal::store
