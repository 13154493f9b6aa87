#include <doctest/doctest.h>

#include "engine/allocation.hpp"

using namespace canopee;

namespace {

Quantity qty(const char* t) { return *parse_quantity(t, "q"); }
UnitPrice price(const char* t) { return *parse_unit_price(t, "p"); }
Amount eur(const char* t) { return *parse_amount(t, "a"); }

}  // namespace

TEST_CASE("a tender's allocation, computed by hand") {
  // Lot 1: OPAL (1) 900 units, REIMS (2) 300, awarded at 10.00 under 1000 units, 8.00 from 1000.
  // Alone: 9 000.00 and 3 000.00; together at 8.00: 7 200.00 and 2 400.00; the pooling gain is
  // 2 400.00 (uniform: 1 800.00 and 600.00). Shapley with two members halves it: 1 200.00 each,
  // so OPAL should pay 600.00 to REIMS. Lot 2 has no winner and is left out.
  Tender tender;
  Lot first;
  first.id = 11;
  first.number = 1;
  first.members = {{1, qty("900"), {}, {}}, {2, qty("300"), {}, {}}};
  Lot second = first;
  second.id = 12;
  second.number = 2;
  tender.lots = {first, second};
  Bid winner;
  winner.tiers = {{qty("0"), price("10")}, {qty("1000"), price("8")}};
  const std::map<std::int64_t, Bid> winners{{11, winner}};
  const std::vector<SavingsLine> savings{{1, eur("10000"), eur("7200"), eur("9000"), eur("2800"), eur("1800"),
                                          eur("1000")},
                                         {2, eur("3500"), eur("2400"), eur("3000"), eur("1100"), eur("600"),
                                          eur("500")}};
  const std::vector<MemberCost> costs{{1, eur("100"), eur("60")}, {2, eur("50"), eur("30")}, {1, eur("10"), eur("0")}};

  const auto shapley = allocate_tender(tender, winners, savings, costs, FairMethod::shapley).value();
  REQUIRE(shapley.lots.size() == 1);
  CHECK(shapley.lots[0].lot_id == 11);
  CHECK(shapley.lots[0].share.gain == eur("2400"));
  const auto& opal = shapley.members.at(1);
  CHECK(opal.line.contract == eur("7200"));
  CHECK(opal.line.reference == eur("10000"));
  CHECK(opal.line.savings == eur("2800"));
  CHECK(opal.line.pooling_effect == eur("1800"));
  CHECK(opal.line.competition_effect == eur("1000"));
  CHECK(opal.shared_costs == eur("110"));
  CHECK(opal.subsidy == eur("60"));
  CHECK(opal.fair_share == eur("1200"));
  CHECK(opal.transfer == eur("-600"));
  CHECK(shapley.members.at(2).transfer == eur("600"));
  CHECK(shapley.totals.line.contract == eur("9600"));
  CHECK(shapley.totals.line.savings == eur("3900"));
  CHECK(shapley.totals.shared_costs == eur("160"));
  CHECK(shapley.totals.subsidy == eur("90"));
  CHECK(shapley.totals.fair_share == eur("2400"));
  CHECK(shapley.totals.transfer == eur("0"));

  const auto uniform = allocate_tender(tender, winners, savings, costs, FairMethod::uniform).value();
  CHECK(uniform.members.at(1).fair_share == eur("1800"));
  CHECK(uniform.members.at(1).transfer == eur("0"));
}

TEST_CASE("a tender with nothing awarded allocates only its costs") {
  Tender tender;
  Lot lot;
  lot.id = 1;
  lot.members = {{3, qty("10"), {}, {}}};
  tender.lots = {lot};
  const std::vector<MemberCost> costs{{3, eur("42.50"), eur("0")}};
  const auto allocation = allocate_tender(tender, {}, {}, costs, FairMethod::uniform).value();
  CHECK(allocation.lots.empty());
  CHECK(allocation.members.at(3).shared_costs == eur("42.50"));
  CHECK(allocation.totals.fair_share == eur("0"));
}
