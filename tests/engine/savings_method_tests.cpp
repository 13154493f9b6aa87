// The savings method of the DAE ("gains achats", issue 19): one-off purchases are
// counted once on every basis, recurring ones annualised; a single price cannot
// measure the pooling effect; TTC columns at each lot's VAT rate. Every figure
// below is computed by hand in the comments, never by the code under test.
#include <doctest/doctest.h>

#include <vector>

#include "engine/aggregation.hpp"
#include "engine/report.hpp"
#include "engine/savings.hpp"
#include "tests/support/need_builder.hpp"

using namespace canopee;

namespace {

Quantity qty(const char* t) { return *parse_quantity(t, "q"); }
Amount eur(const char* t) { return *parse_amount(t, "a"); }
UnitPrice price(const char* t) { return *parse_unit_price(t, "p"); }

// 12.00 below 500 units, 9.00 from 500: a tiered schedule measures pooling.
PriceSchedule tiered() { return *PriceSchedule::make({{qty("0"), price("12")}, {qty("500"), price("9")}}); }
PriceSchedule flat(const char* p) { return *PriceSchedule::make({{qty("0"), price(p)}}); }

ReportLine report_line(std::int64_t lot, std::int64_t member, int months, const SavingsLine& figures,
                       std::int64_t vat_rate_bp = 2000) {
  ReportLine l;
  l.tender_id = 1;
  l.tender_reference = "CNP-2027-0001";
  l.lot_id = lot;
  l.member_id = member;
  l.member_code = member == 1 ? "OPAL" : "REIMS";
  l.cpv_digits = 44810000;
  l.awarded_on = *parse_date("2027-03-15", "d");
  l.duration_months = months;
  l.figures = figures;
  l.vat_rate_bp = vat_rate_bp;
  return l;
}

std::string no_label(std::uint32_t) { return {}; }

}  // namespace

TEST_CASE("a one-off purchase counts once on every basis; a recurring one is annualised") {
  // 100 units bought once, reference 10.00 → 1,000.00; flat price 8.00 → contract 800.00.
  const std::vector<LotLine> once = {{1, qty("100"), eur("1000.00"), qty("100"), eur("1000.00")}};
  const std::vector<LotLine> yearly = {{1, qty("100"), eur("1000.00")}};  // no one-off part: recurs
  const auto one_off = (*compute_savings(once, flat("8"), price("8")))[0];
  const auto recurring = (*compute_savings(yearly, flat("8"), price("8")))[0];
  CHECK(one_off.one_off_contract == eur("800.00"));
  CHECK(one_off.one_off_standalone == eur("800.00"));
  CHECK(recurring.one_off_contract == eur("0.00"));
  CHECK(recurrence_of(one_off) == Recurrence::one_off);
  CHECK(recurrence_of(recurring) == Recurrence::recurring);

  // 6-month contract: the former rule doubled the one-off line (2,000.00 / 1,600.00).
  const auto six = to_twelve_months(one_off, 6);
  CHECK(six.reference == eur("1000.00"));
  CHECK(six.contract == eur("800.00"));
  CHECK(six.savings == eur("200.00"));
  // 48 months: the former rule divided it by 4 (250.00 / 200.00).
  const auto forty_eight = to_twelve_months(one_off, 48);
  CHECK(forty_eight.reference == eur("1000.00"));
  CHECK(forty_eight.contract == eur("800.00"));
  // The recurring line: × 12/6 = × 2, and × 12/48 = ÷ 4.
  CHECK(to_twelve_months(recurring, 6).reference == eur("2000.00"));
  CHECK(to_twelve_months(recurring, 6).contract == eur("1600.00"));
  CHECK(to_twelve_months(recurring, 48).reference == eur("250.00"));
  CHECK(to_twelve_months(recurring, 48).savings == eur("50.00"));
}

TEST_CASE("a line mixing recurring and one-off needs annualises the recurring part only") {
  // REIMS: 700 units over 24 months, of which 100 bought once; reference 7,700.00, of
  // which 1,000.00 one-off. Awarded at 9.00 (tiered: alone at 700 ≥ 500 it pays 9.00 too).
  //   contract 700 × 9 = 6,300.00; one-off 100 × 9 = 900.00
  //   standalone 6,300.00; one-off share 6,300 × 100 / 700 = 900.00
  const std::vector<LotLine> lines = {{2, qty("700"), eur("7700.00"), qty("100"), eur("1000.00")}};
  const auto s = (*compute_savings(lines, tiered(), price("9")))[0];
  CHECK(s.contract == eur("6300.00"));
  CHECK(s.one_off_contract == eur("900.00"));
  CHECK(s.one_off_standalone == eur("900.00"));
  CHECK(s.savings == eur("1400.00"));
  CHECK(recurrence_of(s) == Recurrence::mixed);
  // 24 months: reference (7,700 − 1,000) × 12/24 + 1,000 = 3,350 + 1,000 = 4,350.00
  //            contract  (6,300 − 900) × 12/24 + 900     = 2,700 + 900   = 3,600.00
  const auto y = to_twelve_months(s, 24);
  CHECK(y.reference == eur("4350.00"));
  CHECK(y.contract == eur("3600.00"));
  CHECK(y.savings == eur("750.00"));
  CHECK(y.savings.cents == y.pooling_effect.cents + y.competition_effect.cents);
  // 7 months: 6,700 × 12/7 = 11,485.714… → 11,485.71, + 1,000 = 12,485.71
  CHECK(to_twelve_months(s, 7).reference == eur("12485.71"));
  // The one-off standalone part rounds half away: 1,000.00 alone for 3 units of 7:
  // 1,000 × 3 / 7 = 428.571… → 428.57.
  const std::vector<LotLine> odd = {{3, qty("7"), eur("100.00"), qty("3"), eur("40.00")}};
  const auto o = (*compute_savings(odd, *PriceSchedule::make({{qty("0"), price("1000")}, {qty("50"), price("900")}}),
                                   price("900")))[0];
  CHECK(o.standalone == eur("7000.00"));
  CHECK(o.one_off_standalone == eur("3000.00"));  // 7,000 × 3/7 exactly
  CHECK(o.one_off_contract == eur("2700.00"));    // 3 × 900
}

TEST_CASE("a single price cannot measure the pooling effect; tiers can") {
  const std::vector<LotLine> lines = {{1, qty("300"), eur("3000.00")}};
  const auto flat_line = (*compute_savings(lines, flat("9"), price("9")))[0];
  CHECK_FALSE(flat_line.pooling_measurable);
  CHECK(flat_line.pooling_effect == eur("0.00"));  // 0 by construction, not a measure
  const auto tiered_line = (*compute_savings(lines, tiered(), price("9")))[0];
  CHECK(tiered_line.pooling_measurable);
  CHECK(tiered_line.pooling_effect == eur("900.00"));  // alone 300 × 12 = 3,600 − 2,700
}

TEST_CASE("the report: costs follow their lines, TTC per lot rate, pooling status") {
  // Lot 11, OPAL: one-off, 6 months, reference 1,000.00, contract 800.00, flat price, VAT 10 %.
  SavingsLine opal;
  opal.member_id = 1;
  opal.reference = eur("1000.00");
  opal.contract = opal.standalone = eur("800.00");
  opal.savings = opal.competition_effect = eur("200.00");
  opal.one_off_reference = opal.reference;
  opal.one_off_contract = opal.one_off_standalone = opal.contract;
  opal.pooling_measurable = false;
  // Lot 12, REIMS: recurring, 6 months, reference 500.00, contract 400.00, alone 450.00,
  // tiered price, VAT 5.5 %.
  SavingsLine reims;
  reims.member_id = 2;
  reims.reference = eur("500.00");
  reims.contract = eur("400.00");
  reims.standalone = eur("450.00");
  reims.savings = eur("100.00");
  reims.pooling_effect = eur("50.00");
  reims.competition_effect = eur("50.00");
  const std::vector<ReportLine> lines = {report_line(11, 1, 6, opal, 1000), report_line(12, 2, 6, reims, 550)};
  // Tender costs: OPAL 60.00 (subsidy 36.00), REIMS 30.00 (subsidy 12.00).
  const std::vector<TenderMemberCost> costs = {{1, 1, eur("60.00"), eur("36.00")}, {1, 2, eur("30.00"), eur("12.00")}};

  const auto contract = build_savings_report(lines, costs, ReportGroup::member, ReportBasis::contract, no_label);
  REQUIRE(contract.rows.size() == 2);
  // OPAL TTC at 10 %: reference 1,100.00, contract 880.00, savings 220.00.
  CHECK(contract.rows[0].figures.reference_ttc == eur("1100.00"));
  CHECK(contract.rows[0].figures.contract_ttc == eur("880.00"));
  CHECK(contract.rows[0].figures.savings_ttc == eur("220.00"));
  CHECK(contract.rows[0].figures.contract_one_off == eur("800.00"));
  CHECK(contract.rows[0].figures.pooling_status() == PoolingStatus::not_measurable);
  // REIMS TTC at 5.5 %: 500 × 1.055 = 527.50; 400 × 1.055 = 422.00; savings 105.50.
  CHECK(contract.rows[1].figures.reference_ttc == eur("527.50"));
  CHECK(contract.rows[1].figures.contract_ttc == eur("422.00"));
  CHECK(contract.rows[1].figures.savings_ttc == eur("105.50"));
  CHECK(contract.rows[1].figures.pooling_status() == PoolingStatus::measured);
  CHECK(contract.totals.pooling_status() == PoolingStatus::partly_measured);
  CHECK(contract.totals.lines_pooling_measured == 1);
  CHECK(contract.totals.lines_pooling_not_measurable == 1);
  CHECK(contract.totals.savings_ttc == eur("325.50"));  // 220.00 + 105.50
  REQUIRE(contract.lines.size() == 2);
  CHECK(contract.lines[0].recurrence == Recurrence::one_off);
  CHECK_FALSE(contract.lines[0].pooling_measurable);
  CHECK(contract.lines[1].recurrence == Recurrence::recurring);

  const auto yearly = build_savings_report(lines, costs, ReportGroup::member, ReportBasis::twelve_months, no_label);
  // OPAL is one-off: the same on both bases, its cost and subsidy too.
  CHECK(yearly.rows[0].figures.reference == eur("1000.00"));
  CHECK(yearly.rows[0].figures.shared_costs == eur("60.00"));
  CHECK(yearly.rows[0].figures.subsidy == eur("36.00"));
  CHECK(yearly.rows[0].figures.net_savings == eur("176.00"));  // 200 − 60 + 36
  // REIMS recurs over 6 months: × 2 — reference 1,000.00, contract 800.00, cost 60.00,
  // subsidy 24.00, net 200 − 60 + 24 = 164.00; TTC 1,055.00 / 844.00 / 211.00.
  CHECK(yearly.rows[1].figures.reference == eur("1000.00"));
  CHECK(yearly.rows[1].figures.contract == eur("800.00"));
  CHECK(yearly.rows[1].figures.shared_costs == eur("60.00"));
  CHECK(yearly.rows[1].figures.subsidy == eur("24.00"));
  CHECK(yearly.rows[1].figures.net_savings == eur("164.00"));
  CHECK(yearly.rows[1].figures.savings_ttc == eur("211.00"));
  CHECK(yearly.totals.net_savings == eur("340.00"));
}

TEST_CASE("TTC rounds each line half away from zero to the cent") {
  CHECK(with_vat(eur("1234.57"), 550) == eur("1302.47"));  // 123,457 × 1.055 = 130,247.135 cents
  CHECK(with_vat(eur("0.10"), 550) == eur("0.11"));        // 10.55 cents → 11
  CHECK(with_vat(eur("-0.10"), 550) == eur("-0.11"));      // a negative saving: away from zero
  CHECK(with_vat(eur("99.99"), 2000) == eur("119.99"));    // 11,998.8 cents → 11,999
  CHECK(with_vat(eur("100.00"), 0) == eur("100.00"));
}

TEST_CASE("a one-off line's shared cost is split between its parts by contract value") {
  // A mixed line over 24 months: contract 6,300.00 of which 900.00 one-off; its cost
  // 70.00 has a one-off part 70 × 900 / 6,300 = 10.00 and a recurring part 60.00.
  // 12 months: 60 × 12/24 + 10 = 40.00.
  SavingsLine mixed;
  mixed.member_id = 2;
  mixed.reference = eur("7700.00");
  mixed.contract = mixed.standalone = eur("6300.00");
  mixed.savings = mixed.competition_effect = eur("1400.00");
  mixed.one_off_reference = eur("1000.00");
  mixed.one_off_contract = mixed.one_off_standalone = eur("900.00");
  const std::vector<ReportLine> lines = {report_line(11, 2, 24, mixed)};
  const std::vector<TenderMemberCost> costs = {{1, 2, eur("70.00"), eur("0.00")}};
  const auto yearly = build_savings_report(lines, costs, ReportGroup::member, ReportBasis::twelve_months, no_label);
  CHECK(yearly.rows[0].figures.shared_costs == eur("40.00"));
  CHECK(yearly.rows[0].figures.contract_one_off == eur("900.00"));
  CHECK(yearly.lines[0].recurrence == Recurrence::mixed);
}

TEST_CASE("pooling keeps each member's one-off part of its lot line") {
  // OPAL: 100 l recurring (yearly) + 40 l once, at 5.00; REIMS: 60 l recurring. 24 months:
  //   OPAL quantity 100 × 2 + 40 = 240 l, reference 1,200.00, one-off 40 l / 200.00
  //   REIMS 120 l, 600.00, nothing one-off.
  auto recurring = test::need_draft("44810000-1", "100", "l", "5");
  recurring.recurring = true;
  auto once = test::need_draft("44810000-1", "40", "l", "5");
  once.recurring = false;
  auto reims = test::need_draft("44810000-1", "60", "l", "5");
  reims.recurring = true;
  const std::vector<Need> needs = {test::make_need(1, 1, recurring), test::make_need(2, 1, once),
                                   test::make_need(3, 2, reims)};
  AggregationOptions options;
  options.duration_months = 24;
  const auto proposal = propose_aggregation(needs, options);
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 1);
  const auto& members = proposal->lots[0].members;
  REQUIRE(members.size() == 2);
  CHECK(members[0].quantity == qty("240"));
  CHECK(members[0].reference_value == eur("1200.00"));
  CHECK(members[0].one_off_quantity == qty("40"));
  CHECK(members[0].one_off_reference_value == eur("200.00"));
  CHECK(members[1].quantity == qty("120"));
  CHECK(members[1].one_off_quantity == qty("0"));
  CHECK(members[1].one_off_reference_value == eur("0.00"));
}
