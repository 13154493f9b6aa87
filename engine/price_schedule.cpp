#include "engine/price_schedule.hpp"

#include <algorithm>
#include <string>

namespace canopee {

Result<PriceSchedule> PriceSchedule::make(std::vector<Tier> tiers) {
  if (tiers.empty())
    return Error::invalid("tiers", "il faut au moins une tranche (ou un prix unitaire)", "price.tiers.empty");
  if (tiers.size() > kMaxTiers) return Error::invalid("tiers", "100 tranches au plus", "price.tiers.too_many");
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const std::string at = "tiers[" + std::to_string(i) + "]";
    if (i == 0 && tiers[i].min_quantity.thousandths != 0) {
      errors.push_back({at + ".min_quantity", "la première tranche doit commencer à 0", "price.tiers.first_not_zero"});
    }
    if (i > 0 && tiers[i].min_quantity <= tiers[i - 1].min_quantity) {
      errors.push_back(
          {at + ".min_quantity",
           "doit dépasser celle de la tranche précédente (les tranches sont triées et ne se chevauchent pas)",
           "price.tiers.order"});
    }
    if (tiers[i].min_quantity.thousandths < 0 || tiers[i].min_quantity.thousandths > kMaxQuantity) {
      errors.push_back({at + ".min_quantity", "est hors des limites", "price.tiers.out_of_range"});
    }
    if (tiers[i].unit_price.ten_thousandths < 0)
      errors.push_back({at + ".unit_price", "ne doit pas être négatif", "price.unit_price.negative"});
    if (tiers[i].unit_price.ten_thousandths > kMaxUnitPrice)
      errors.push_back({at + ".unit_price", "est trop grand", "money.unit_price.too_large"});
  }
  if (!errors.empty()) return Error{ErrorCode::invalid, "barème de prix invalide", std::move(errors), "price.invalid"};
  return PriceSchedule(std::move(tiers));
}

PriceSchedule PriceSchedule::flat(UnitPrice price) { return PriceSchedule({{Quantity{0}, price}}); }

UnitPrice PriceSchedule::unit_price_at(Quantity quantity) const {
  // The last tier whose minimum is ≤ quantity (the first tier starts at 0).
  const auto it = std::upper_bound(tiers_.begin(), tiers_.end(), quantity,
                                   [](Quantity q, const Tier& t) { return q < t.min_quantity; });
  return it == tiers_.begin() ? tiers_.front().unit_price : std::prev(it)->unit_price;
}

Result<Amount> PriceSchedule::cost_at(Quantity quantity) const {
  return line_amount(quantity, unit_price_at(quantity));
}

int128 PriceSchedule::exact_cost_at(Quantity quantity) const {
  return static_cast<int128>(quantity.thousandths) * unit_price_at(quantity).ten_thousandths;
}

}  // namespace canopee
