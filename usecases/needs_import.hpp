#pragma once
// Importing a member's needs from a CSV file, as a buyer exports them from a
// spreadsheet: every row read and validated against the nomenclature
// (formats::parse_needs_csv), then all the needs stored in one transaction, or none.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/cpv.hpp"
#include "engine/need.hpp"

namespace canopee::usecases {

struct NeedsImport {
  std::vector<std::int64_t> ids;       // in the file's order
  std::chrono::nanoseconds reading{};  // read, parsed and validated
  std::chrono::nanoseconds storing{};
};

// The needs of `member_id`, with `status`, from `csv`; every error with its line and column. A
// reference without a date is dated `today` (the storage's clock when none is given).
Result<NeedsImport> import_needs(db::Database& database, const db::Actor& actor, const CpvNomenclature& nomenclature,
                                 std::int64_t member_id, NeedStatus status, std::string_view csv,
                                 std::optional<Date> today = std::nullopt);

// The same for the member of code `member_code` (the command line's import), the
// nomenclature read from the database.
Result<NeedsImport> import_member_needs(db::Database& database, const db::Actor& actor, std::string_view member_code,
                                        NeedStatus status, std::string_view csv);

}  // namespace canopee::usecases
