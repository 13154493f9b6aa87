#pragma once
// Savings per member and lot (design.md §4), the French public-sector
// "gains achats" method: reference × volume − new price × volume, split into
//   pooling effect      standalone − contract   (buying together)
//   competition effect  reference − standalone  (putting suppliers in competition)
// where standalone is what the member would have paid the same winner alone,
// from the winning bid's own tier schedule.
#include <span>
#include <vector>

#include "engine/award.hpp"
#include "engine/price_schedule.hpp"

namespace canopee {

struct SavingsLine {
  std::int64_t member_id = 0;
  Amount reference;
  Amount contract;
  Amount standalone;
  Amount savings;             // reference − contract
  Amount pooling_effect;      // standalone − contract
  Amount competition_effect;  // reference − standalone
  SavingsLine& operator+=(const SavingsLine& o);
};

// Contract basis: lot quantities are over the whole contract.
Result<std::vector<SavingsLine>> compute_savings(std::span<const LotLine> lines, const PriceSchedule& winning_schedule,
                                                 UnitPrice awarded_unit_price);

// The 12-month basis: reference, contract and standalone × 12 / duration, each
// rounded half away from zero to the cent; savings and effects derived from them,
// so savings = pooling + competition still holds exactly.
SavingsLine to_twelve_months(const SavingsLine& line, int duration_months);

}  // namespace canopee
