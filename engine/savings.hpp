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
  // The part of reference, contract and standalone bought once (from one-off needs):
  // never annualised; the rest recurs every year (issue 19 item 1).
  Amount one_off_reference{};
  Amount one_off_contract{};
  Amount one_off_standalone{};
  Amount recurring_reference() const { return reference - one_off_reference; }
  Amount recurring_contract() const { return contract - one_off_contract; }
  Amount recurring_standalone() const { return standalone - one_off_standalone; }
  // A single price (a flat schedule) gives the same unit price alone and together:
  // the pooling effect is 0 by construction, not measured (issue 19 item 3).
  bool pooling_measurable = true;
  SavingsLine& operator+=(const SavingsLine& o);
};

// Contract basis: lot quantities are over the whole contract. The one-off part of the
// contract is the one-off quantity at the awarded price, and of the standalone cost
// its share of the member's quantity (half away from zero): both to the cent, the
// recurring part being the rest.
Result<std::vector<SavingsLine>> compute_savings(std::span<const LotLine> lines, const PriceSchedule& winning_schedule,
                                                 UnitPrice awarded_unit_price);

// How a figure of a line is brought to 12 months: its recurring part × 12 / duration,
// rounded half away from zero to the cent, plus its one-off part once.
Amount twelve_month_amount(Amount whole, Amount one_off, int duration_months);

// The 12-month basis: reference, contract and standalone by twelve_month_amount; the
// savings and effects derived from them, so savings = pooling + competition still holds
// exactly. A one-off line counts the same on both bases.
SavingsLine to_twelve_months(const SavingsLine& line, int duration_months);

}  // namespace canopee
