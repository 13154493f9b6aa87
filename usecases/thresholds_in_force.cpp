#include "usecases/thresholds_in_force.hpp"

#include <algorithm>

#include "adapters/db/threshold_repository.hpp"

namespace canopee::usecases {

Result<std::vector<ThresholdRow>> thresholds_in_force(db::Database& database, const ThresholdTable& built_in) {
  CANOPEE_TRY(settings, db::list_threshold_settings(database));
  ThresholdTable table = built_in;
  for (const auto& s : settings) CANOPEE_TRY_STATUS(table.add(s.entry));
  std::vector<ThresholdRow> rows;
  for (const auto& e : table.entries()) {
    const auto setting = std::find_if(settings.begin(), settings.end(), [&](const db::ThresholdSetting& s) {
      return s.entry.threshold == e.threshold && s.entry.from == e.from;
    });
    rows.push_back({e, setting == settings.end() ? std::nullopt : std::optional<std::int64_t>(setting->id)});
  }
  return rows;
}

}  // namespace canopee::usecases
