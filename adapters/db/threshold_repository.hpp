#pragma once
// Procurement thresholds as dated settings (schema/0008): rows an administrator adds
// when a decree or an EU regulation publishes new values, over the built-in table of
// engine/thresholds.cpp. Every addition is audited ("threshold_setting", "create").
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/threshold_settings.hpp"

namespace canopee::db {

struct ThresholdSetting {
  std::int64_t id = 0;
  ThresholdEntry entry;
  std::string created_at;
};

// The rows, by threshold then start date.
Result<std::vector<ThresholdSetting>> list_threshold_settings(Database& database);

// Adds a row after validate_threshold_entry; a row for the same threshold and start
// date already there is a conflict (409): settings are added, never rewritten.
Result<ThresholdSetting> add_threshold_setting(Database& database, const Actor& actor, const ThresholdEntry& entry);

// The table the advice uses: `base` (the built-in defaults) with the rows over it.
Result<ThresholdTable> load_thresholds(Database& database, const ThresholdTable& base);

}  // namespace canopee::db
