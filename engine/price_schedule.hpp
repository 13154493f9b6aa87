#pragma once
// A bid's price schedule: one unit price, or all-units quantity tiers — the unit
// price of the highest tier whose minimum is at most the quantity applies to every
// unit. Tiers are sorted, their minimums strictly increasing, the first from 0.
#include <span>
#include <vector>

#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

struct Tier {
  Quantity min_quantity;
  UnitPrice unit_price;
  bool operator==(const Tier&) const = default;
};

inline constexpr std::size_t kMaxTiers = 100;

class PriceSchedule {
 public:
  // Errors name "tiers[i].min_quantity" / "tiers[i].unit_price".
  static Result<PriceSchedule> make(std::vector<Tier> tiers);
  static PriceSchedule flat(UnitPrice price);

  UnitPrice unit_price_at(Quantity quantity) const;
  // quantity × unit_price_at(quantity), rounded to the cent.
  Result<Amount> cost_at(Quantity quantity) const;
  // The same product exactly, in 1/10,000,000 €.
  int128 exact_cost_at(Quantity quantity) const;
  const std::vector<Tier>& tiers() const { return tiers_; }
  bool is_flat() const { return tiers_.size() == 1; }

 private:
  explicit PriceSchedule(std::vector<Tier> tiers) : tiers_(std::move(tiers)) {}
  std::vector<Tier> tiers_;
};

}  // namespace canopee
