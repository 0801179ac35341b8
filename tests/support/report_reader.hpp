#pragma once
// Test support: reads reports back over its own read-only connection (WAL:
// never blocks the writer), to check what the writer stored.
#include "server/store/database.hpp"
#include "server/store/records.hpp"
#include "server/store/statement.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

namespace signaal::testing {

class report_reader {
  public:
    [[nodiscard]] static result<report_reader> open(const std::filesystem::path& path);

    /// The report with its envelopes (sorted by desk), read in one snapshot;
    /// nullopt when there is no such report.
    [[nodiscard]] result<std::optional<store::report_record>>
    find(std::span<const std::uint8_t> id);

    /// Every stored report, count-only ones included.
    [[nodiscard]] result<std::int64_t> count();

  private:
    report_reader(store::database db, store::statement report, store::statement envelopes,
                  store::statement count)
        : db_(std::move(db)), report_(std::move(report)), envelopes_(std::move(envelopes)),
          count_(std::move(count)) {}

    store::database db_; // declared first: destroyed after the statements
    store::statement report_;
    store::statement envelopes_;
    store::statement count_;
};

} // namespace signaal::testing
