#pragma once
// The threshold table in force, as the admin and the officers read it: the built-in
// rows with the dated settings added over them (an audited row never rewritten),
// each row saying where it comes from.
#include <cstdint>
#include <optional>
#include <vector>

#include "adapters/db/database.hpp"
#include "engine/thresholds.hpp"

namespace canopee::usecases {

struct ThresholdRow {
  ThresholdEntry entry;
  std::optional<std::int64_t> setting_id;  // none: a built-in row
};

// In the table's order (threshold, then start date).
Result<std::vector<ThresholdRow>> thresholds_in_force(db::Database& database, const ThresholdTable& built_in);

}  // namespace canopee::usecases
