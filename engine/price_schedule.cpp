#include "engine/price_schedule.hpp"

#include <algorithm>
#include <string>

namespace canopee {

Result<PriceSchedule> PriceSchedule::make(std::vector<Tier> tiers) {
  if (tiers.empty()) return Error::invalid("tiers", "at least one tier (or a unit price) is required");
  if (tiers.size() > kMaxTiers) return Error::invalid("tiers", "at most 100 tiers");
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const std::string at = "tiers[" + std::to_string(i) + "]";
    if (i == 0 && tiers[i].min_quantity.thousandths != 0) {
      errors.push_back({at + ".min_quantity", "the first tier must start at 0"});
    }
    if (i > 0 && tiers[i].min_quantity <= tiers[i - 1].min_quantity) {
      errors.push_back({at + ".min_quantity", "must be greater than the previous tier's (tiers are sorted and do not overlap)"});
    }
    if (tiers[i].min_quantity.thousandths < 0 || tiers[i].min_quantity.thousandths > kMaxQuantity) {
      errors.push_back({at + ".min_quantity", "is out of range"});
    }
    if (tiers[i].unit_price.ten_thousandths < 0) errors.push_back({at + ".unit_price", "must not be negative"});
    if (tiers[i].unit_price.ten_thousandths > kMaxUnitPrice) errors.push_back({at + ".unit_price", "is too large"});
  }
  if (!errors.empty()) return Error{ErrorCode::invalid, "invalid price schedule", std::move(errors)};
  return PriceSchedule(std::move(tiers));
}

PriceSchedule PriceSchedule::flat(UnitPrice price) { return PriceSchedule({{Quantity{0}, price}}); }

UnitPrice PriceSchedule::unit_price_at(Quantity quantity) const {
  // The last tier whose minimum is ≤ quantity (the first tier starts at 0).
  const auto it = std::upper_bound(tiers_.begin(), tiers_.end(), quantity,
                                   [](Quantity q, const Tier& t) { return q < t.min_quantity; });
  return it == tiers_.begin() ? tiers_.front().unit_price : std::prev(it)->unit_price;
}

Result<Amount> PriceSchedule::cost_at(Quantity quantity) const { return line_amount(quantity, unit_price_at(quantity)); }

int128 PriceSchedule::exact_cost_at(Quantity quantity) const {
  return static_cast<int128>(quantity.thousandths) * unit_price_at(quantity).ten_thousandths;
}

}  // namespace canopee
