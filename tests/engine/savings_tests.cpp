#include <doctest/doctest.h>

#include <random>

#include "engine/cost_split.hpp"
#include "engine/savings.hpp"

using namespace canopee;

namespace {

Quantity qty(const char* t) { return *parse_quantity(t, "q"); }
Amount eur(const char* t) { return *parse_amount(t, "a"); }

PriceSchedule winner() {
  return *PriceSchedule::make({{qty("0"), *parse_unit_price("12", "p")}, {qty("500"), *parse_unit_price("9", "p")}});
}

}  // namespace

TEST_CASE("savings split into pooling and competition effects, hand-computed") {
  // Lot of 1,000 units won at 9.00 (the winner charges 12.00 below 500 units).
  const std::vector<LotLine> lines = {{1, qty("300"), eur("3000.00")}, {2, qty("700"), eur("7700.00")}};
  auto s = compute_savings(lines, winner(), *parse_unit_price("9", "p"));
  REQUIRE(s.ok());
  // member 1: contract 2,700; alone 300 × 12 = 3,600
  CHECK((*s)[0].contract == eur("2700.00"));
  CHECK((*s)[0].standalone == eur("3600.00"));
  CHECK((*s)[0].savings == eur("300.00"));
  CHECK((*s)[0].pooling_effect == eur("900.00"));
  CHECK((*s)[0].competition_effect == eur("-600.00"));  // its reference was below the winner's solo price
  // member 2 is above the tier alone: no pooling effect
  CHECK((*s)[1].pooling_effect == eur("0.00"));
  CHECK((*s)[1].competition_effect == eur("1400.00"));

  const auto yearly = to_twelve_months((*s)[0], 24);
  CHECK(yearly.reference == eur("1500.00"));
  CHECK(yearly.contract == eur("1350.00"));
  CHECK(yearly.pooling_effect == eur("450.00"));
  const auto odd = to_twelve_months((*s)[0], 7);
  CHECK(odd.reference == eur("5142.86"));  // 3,000 × 12 / 7 = 5,142.857…
  CHECK(odd.savings.cents == odd.pooling_effect.cents + odd.competition_effect.cents);
}

TEST_CASE("property: savings = pooling + competition on every line and basis, totals sum exactly") {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 2000; ++round) {
    std::vector<LotLine> lines;
    std::int64_t total = 0;
    for (int m = 0; m < 1 + static_cast<int>(rng() % 8); ++m) {
      const Quantity q{static_cast<std::int64_t>(1 + rng() % 10'000'000)};
      lines.push_back({m + 1, q, Amount{static_cast<std::int64_t>(rng() % 100'000'000)}});
      total += q.thousandths;
    }
    std::vector<Tier> tiers = {{Quantity{0}, UnitPrice{static_cast<std::int64_t>(1 + rng() % 1'000'000)}}};
    tiers.push_back({Quantity{static_cast<std::int64_t>(1 + rng() % 5'000'000)},
                     UnitPrice{static_cast<std::int64_t>(rng() % 1'000'000)}});
    const auto schedule = *PriceSchedule::make(tiers);
    auto s = compute_savings(lines, schedule, schedule.unit_price_at(Quantity{total}));
    REQUIRE(s.ok());
    SavingsLine sum;
    for (const auto& line : *s) {
      REQUIRE(line.savings.cents == line.pooling_effect.cents + line.competition_effect.cents);
      const auto y = to_twelve_months(line, 1 + static_cast<int>(rng() % 60));
      REQUIRE(y.savings.cents == y.pooling_effect.cents + y.competition_effect.cents);
      sum += line;
    }
    REQUIRE(sum.savings.cents == sum.reference.cents - sum.contract.cents);
  }
}

TEST_CASE("shared costs by key with the subsidy, hand-computed") {
  const std::vector<CostBasis> basis = {{1, eur("2700.00"), qty("300")},
                                        {2, eur("6300.00"), qty("700")},
                                        {3, eur("0.00"), qty("0")}};
  const std::vector<SharedCost> costs = {
      {"Publicité BOAMP/JOUE", eur("1000.00"), CostKey::contract_value, {}, true},
      {"Frais juridiques", eur("100.00"), CostKey::equal, {}, false},
      {"Coordination GIE", eur("250.00"), CostKey::fixed, {{1, 10000}}, true},
  };
  const auto split = split_costs(costs, basis, true, SubsidySettings{});
  REQUIRE(split.size() == 3);
  const auto& publicity = split[0];
  CHECK(publicity.members[0].share == eur("300.00"));  // 1,000 × 2,700 / 9,000
  CHECK(publicity.members[1].share == eur("700.00"));
  CHECK(publicity.members[2].share == eur("0.00"));
  CHECK(publicity.subsidy_rate_bp == 6000);  // shared by two members: collective rate
  CHECK(publicity.subsidy == eur("600.00"));
  CHECK(publicity.members[0].subsidy == eur("180.00"));
  CHECK(publicity.members[1].subsidy == eur("420.00"));
  const auto& legal = split[1];
  CHECK(legal.members[0].share == eur("33.34"));  // the tie goes to the lowest member id
  CHECK(legal.members[1].share == eur("33.33"));
  CHECK(legal.members[2].share == eur("33.33"));
  CHECK(legal.subsidy == eur("0.00"));
  const auto& coordination = split[2];
  CHECK(coordination.subsidy_rate_bp == 4000);  // one member alone: single-landlord rate
  CHECK(coordination.subsidy == eur("100.00"));

  SubsidySettings capped;
  capped.cap = eur("500.00");
  const auto with_cap = split_costs(costs, basis, true, capped);
  // uncapped 600 + 100 = 700 > 500: 600/700 × 500 = 428.571… and 71.428…
  CHECK(with_cap[0].subsidy == eur("428.57"));
  CHECK(with_cap[2].subsidy == eur("71.43"));
}

TEST_CASE("shared costs that cannot be split are left unallocated, alone") {
  const std::vector<CostBasis> basis = {{1, eur("0.00"), qty("1")}, {2, eur("0.00"), qty("1")}};
  const auto nothing_awarded = split_costs(
      std::vector<SharedCost>{{"Publicité", eur("10.00"), CostKey::contract_value, {}, false}}, basis, true, {});
  REQUIRE(nothing_awarded.size() == 1);
  CHECK_FALSE(nothing_awarded[0].allocated());
  CHECK(nothing_awarded[0].members.empty());
  const auto mixed_units = split_costs(std::vector<SharedCost>{{"x", eur("10.00"), CostKey::quantity, {}, false}},
                                       basis, false, {});
  REQUIRE(mixed_units.size() == 1);
  CHECK_FALSE(mixed_units[0].allocated());
  const std::vector<std::int64_t> participants = {1, 2};
  CHECK_FALSE(
      validate_shared_cost({"x", eur("10.00"), CostKey::fixed, {{1, 5000}, {2, 4999}}, false}, participants).ok());
  CHECK_FALSE(
      validate_shared_cost({"x", eur("10.00"), CostKey::fixed, {{1, 5000}, {9, 5000}}, false}, participants).ok());
  CHECK_FALSE(validate_shared_cost({"x", eur("0.00"), CostKey::equal, {}, false}, participants).ok());
  CHECK_FALSE(validate_shared_cost({"", eur("1.00"), CostKey::equal, {}, false}, participants).ok());
  CHECK_FALSE(validate_shared_cost({"x", eur("1.00"), CostKey::equal, {{1, 10000}}, false}, participants).ok());
  CHECK(parse_percent("33.34", "p").value() == 3334);
  CHECK_FALSE(parse_percent("100.01", "p").ok());
}

TEST_CASE("property: every cost split sums to its amount and its subsidy") {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 2000; ++round) {
    std::vector<CostBasis> basis;
    const auto n = 1 + rng() % 10;
    for (std::size_t m = 0; m < n; ++m) {
      basis.push_back({static_cast<std::int64_t>(m + 1), Amount{static_cast<std::int64_t>(1 + rng() % 1'000'000'000)},
                       Quantity{static_cast<std::int64_t>(1 + rng() % 1'000'000)}});
    }
    const std::vector<SharedCost> costs = {
        {"a", Amount{static_cast<std::int64_t>(1 + rng() % 100'000'000)}, static_cast<CostKey>(rng() % 3), {}, true}};
    SubsidySettings settings;
    if (rng() % 2) settings.cap = Amount{static_cast<std::int64_t>(rng() % 10'000'000)};
    const auto split = split_costs(costs, basis, true, settings);
    REQUIRE(split.at(0).allocated());
    std::int64_t shares = 0;
    std::int64_t subsidy = 0;
    for (const auto& m : split[0].members) {
      shares += m.share.cents;
      subsidy += m.subsidy.cents;
    }
    REQUIRE(shares == costs[0].amount.cents);
    REQUIRE(subsidy == split[0].subsidy.cents);
    if (settings.cap) REQUIRE(split[0].subsidy.cents <= settings.cap->cents);
  }
}

// Issue 14, item 1: one cost that cannot be split erased every allocation of its
// tender. Each cost is now split on its own.
TEST_CASE("one cost that cannot be split leaves the others allocated, to the cent") {
  // Nothing awarded: no contract value yet; three members with lot lines.
  const std::vector<CostBasis> basis = {{1, eur("0.00"), qty("300")},
                                        {2, eur("0.00"), qty("700")},
                                        {3, eur("0.00"), qty("5")}};
  const std::vector<SharedCost> costs = {
      {"Publicité", eur("1800.00"), CostKey::contract_value, {}, true},  // nothing to split by yet
      {"Frais juridiques", eur("1000.00"), CostKey::equal, {}, true},
      {"Quantités", eur("50.00"), CostKey::quantity, {}, false},  // lots in different units
      {"Coordination GIE", eur("2000.00"), CostKey::fixed, {{1, 4000}, {2, 3000}, {3, 3000}}, false},
  };
  const auto split = split_costs(costs, basis, false, SubsidySettings{});
  REQUIRE(split.size() == 4);
  CHECK_FALSE(split[0].allocated());
  CHECK(split[0].subsidy == eur("0.00"));
  CHECK_FALSE(split[2].allocated());
  // 1,000.00 € equally between 3: 333.333… each, the spare cent to the lowest id.
  REQUIRE(split[1].allocated());
  CHECK(split[1].members.at(0).share == eur("333.34"));
  CHECK(split[1].members.at(1).share == eur("333.33"));
  CHECK(split[1].members.at(2).share == eur("333.33"));
  // Collective rate 60 %: 600.00, split like the shares: 600 × 333.34 / 1,000 =
  // 200.004 → 200.00; 199.998 → 199.99 twice, plus the 2 spare cents (remainders .8).
  CHECK(split[1].subsidy == eur("600.00"));
  CHECK(split[1].members.at(0).subsidy == eur("200.00"));
  CHECK(split[1].members.at(1).subsidy == eur("200.00"));
  CHECK(split[1].members.at(2).subsidy == eur("200.00"));
  // 2,000.00 € at 40 / 30 / 30 %.
  REQUIRE(split[3].allocated());
  CHECK(split[3].members.at(0).share == eur("800.00"));
  CHECK(split[3].members.at(1).share == eur("600.00"));
  CHECK(split[3].members.at(2).share == eur("600.00"));
}

TEST_CASE("a cost's key is checked against the tender when it is recorded") {
  CostContext mixed;
  mixed.participants = {1, 2};
  mixed.same_unit = false;
  auto quantity = check_cost_for_tender({"x", eur("10.00"), CostKey::quantity, {}, false}, mixed);
  REQUIRE_FALSE(quantity.ok());
  CHECK(quantity.error().code == ErrorCode::invalid);
  CHECK(quantity.error().fields.at(0).field == "key");
  CHECK(check_cost_for_tender({"x", eur("10.00"), CostKey::contract_value, {}, false}, mixed).ok());
  CHECK(check_cost_for_tender({"x", eur("10.00"), CostKey::equal, {}, false}, mixed).ok());

  CostContext all_unsuccessful;
  all_unsuccessful.participants = {1, 2};
  all_unsuccessful.contract_value_ahead = false;
  auto by_value = check_cost_for_tender({"x", eur("10.00"), CostKey::contract_value, {}, false}, all_unsuccessful);
  REQUIRE_FALSE(by_value.ok());
  CHECK(by_value.error().fields.at(0).field == "key");
  CHECK(
      check_cost_for_tender({"x", eur("10.00"), CostKey::fixed, {{1, 5000}, {2, 5000}}, false}, all_unsuccessful).ok());
  // The context-free rules still apply.
  CHECK_FALSE(
      check_cost_for_tender({"x", eur("10.00"), CostKey::fixed, {{1, 5000}, {9, 5000}}, false}, all_unsuccessful).ok());
}
