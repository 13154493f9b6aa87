// The savings report (engine/report.*): frozen savings lines grouped by member,
// category, tender or month, on the contract or the 12-month basis, with each
// tender's shared costs and subsidy spread over the member's lines. Every figure
// below is computed by hand in the comments, never by the code under test.
#include <doctest/doctest.h>

#include <vector>

#include "engine/cpv.hpp"
#include "engine/report.hpp"

using namespace canopee;

namespace {

Amount eur(const char* t) { return *parse_amount(t, "a"); }

// A line on the contract basis; savings and the two effects derived by hand:
// savings = reference − contract, pooling = standalone − contract,
// competition = reference − standalone.
ReportLine line(std::int64_t tender, const char* reference_text, std::int64_t lot, std::int64_t member,
                const char* code, std::uint32_t cpv, const char* awarded, int months, const char* reference,
                const char* contract, const char* standalone, const char* savings, const char* pooling,
                const char* competition) {
  ReportLine l;
  l.tender_id = tender;
  l.tender_reference = reference_text;
  l.lot_id = lot;
  l.member_id = member;
  l.member_code = code;
  l.cpv_digits = cpv;
  l.awarded_on = *parse_date(awarded, "d");
  l.duration_months = months;
  l.figures.member_id = member;
  l.figures.reference = eur(reference);
  l.figures.contract = eur(contract);
  l.figures.standalone = eur(standalone);
  l.figures.savings = eur(savings);
  l.figures.pooling_effect = eur(pooling);
  l.figures.competition_effect = eur(competition);
  return l;
}

// Tender 9 "T1" (24 months, awarded 2027-03-15) and tender 10 "T2" (12 months,
// awarded 2027-04-02); members 10 OPAL and 2 REIMS (ids chosen so that a textual
// sort would put them the other way round).
//   L1 lot 11, OPAL,  paint 44810000:  ref 3,000.00  contract 2,700.00  alone 3,600.00
//      savings 300.00, pooling 900.00, competition −600.00
//   L2 lot 11, REIMS, paint 44810000:  ref 7,700.00  contract 6,300.00  alone 6,300.00
//      savings 1,400.00, pooling 0.00, competition 1,400.00
//   L3 lot 12, OPAL,  works 45442100:  ref 1,000.00  contract 900.00    alone 950.00
//      savings 100.00, pooling 50.00, competition 50.00
//   L4 lot 21, REIMS, paint 44810000 (T2): ref 500.00 contract 550.00  alone 560.00
//      savings −50.00, pooling 10.00, competition −60.00
std::vector<ReportLine> lines() {
  return {
      line(9, "T1", 11, 10, "OPAL", 44810000, "2027-03-15", 24, "3000.00", "2700.00", "3600.00", "300.00", "900.00",
           "-600.00"),
      line(9, "T1", 11, 2, "REIMS", 44810000, "2027-03-15", 24, "7700.00", "6300.00", "6300.00", "1400.00", "0.00",
           "1400.00"),
      line(9, "T1", 12, 10, "OPAL", 45442100, "2027-03-15", 24, "1000.00", "900.00", "950.00", "100.00", "50.00",
           "50.00"),
      line(10, "T2", 21, 2, "REIMS", 44810000, "2027-04-02", 12, "500.00", "550.00", "560.00", "-50.00", "10.00",
           "-60.00"),
  };
}

// OPAL's costs in T1: 100.01 € shared, 30.00 € subsidy, spread over L1 and L3 pro
// rata to their contracts 2,700 : 900 = 3 : 1 (largest remainder, in cents):
//   costs   10,001 × 3/4 = 7,500.75 → 7,500, 10,001 × 1/4 = 2,500.25 → 2,500;
//           the cent left goes to the larger remainder (.75): L1 75.01, L3 25.00
//   subsidy  3,000 × 3/4 = 2,250 (L1 22.50), 3,000 × 1/4 = 750 (L3 7.50)
// REIMS's costs in T2: 20.00 € on its only line there, L4.
std::vector<TenderMemberCost> costs() {
  return {{9, 10, eur("100.01"), eur("30.00")}, {10, 2, eur("20.00"), eur("0")}};
}

std::string class_label(std::uint32_t cls) { return "classe " + cpv_digits_string(cls); }

SavingsReport report(ReportGroup group, ReportBasis basis = ReportBasis::contract) {
  const auto l = lines();
  const auto c = costs();
  return build_savings_report(l, c, group, basis, class_label);
}

// Totals whatever the grouping (contract basis):
//   reference 3,000 + 7,700 + 1,000 + 500 = 12,200.00; contract 2,700 + 6,300 + 900 + 550 = 10,450.00
//   savings 300 + 1,400 + 100 − 50 = 1,750.00; pooling 900 + 0 + 50 + 10 = 960.00;
//   competition −600 + 1,400 + 50 − 60 = 790.00; costs 100.01 + 20.00 = 120.01; subsidy 30.00
//   net 1,750.00 − 120.01 + 30.00 = 1,659.99; lots 11, 12, 21 = 3 (lot 11 counted once)
//   savings % 1,750 / 12,200 = 14.344 % → 1,434 basis points
void check_contract_totals(const SavingsReport& r) {
  CHECK(r.totals.reference == eur("12200.00"));
  CHECK(r.totals.contract == eur("10450.00"));
  CHECK(r.totals.savings == eur("1750.00"));
  CHECK(r.totals.pooling_effect == eur("960.00"));
  CHECK(r.totals.competition_effect == eur("790.00"));
  CHECK(r.totals.shared_costs == eur("120.01"));
  CHECK(r.totals.subsidy == eur("30.00"));
  CHECK(r.totals.net_savings == eur("1659.99"));
  CHECK(r.totals.lots == 3);
  CHECK(r.totals.savings_pct_bp() == 1434);
}

}  // namespace

TEST_CASE("savings report by member, contract basis, hand-computed") {
  const auto r = report(ReportGroup::member);
  CHECK(r.group == ReportGroup::member);
  CHECK(r.basis == ReportBasis::contract);
  REQUIRE(r.rows.size() == 2);
  // Rows by member id, numerically: 2 before 10.
  const auto& reims = r.rows[0];
  CHECK(reims.key == "2");
  CHECK(reims.label == "REIMS");
  CHECK(reims.member_id == std::optional<std::int64_t>(2));
  // REIMS = L2 + L4: reference 7,700 + 500 = 8,200.00; contract 6,300 + 550 = 6,850.00;
  // savings 1,400 − 50 = 1,350.00; pooling 0 + 10 = 10.00; competition 1,400 − 60 = 1,340.00;
  // costs 20.00, no subsidy: net 1,330.00; lots 11 and 21; 1,350 / 8,200 = 16.463 % → 1,646 bp
  CHECK(reims.figures.reference == eur("8200.00"));
  CHECK(reims.figures.contract == eur("6850.00"));
  CHECK(reims.figures.savings == eur("1350.00"));
  CHECK(reims.figures.pooling_effect == eur("10.00"));
  CHECK(reims.figures.competition_effect == eur("1340.00"));
  CHECK(reims.figures.shared_costs == eur("20.00"));
  CHECK(reims.figures.subsidy == eur("0.00"));
  CHECK(reims.figures.net_savings == eur("1330.00"));
  CHECK(reims.figures.lots == 2);
  CHECK(reims.figures.savings_pct_bp() == 1646);

  const auto& opal = r.rows[1];
  CHECK(opal.key == "10");
  CHECK(opal.label == "OPAL");
  CHECK(opal.member_id == std::optional<std::int64_t>(10));
  // OPAL = L1 + L3: reference 4,000.00; contract 3,600.00; savings 400.00; pooling 950.00;
  // competition −550.00; costs 75.01 + 25.00 = 100.01; subsidy 30.00;
  // net 400.00 − 100.01 + 30.00 = 329.99; lots 11 and 12; 400 / 4,000 = 10 % → 1,000 bp
  CHECK(opal.figures.reference == eur("4000.00"));
  CHECK(opal.figures.contract == eur("3600.00"));
  CHECK(opal.figures.savings == eur("400.00"));
  CHECK(opal.figures.pooling_effect == eur("950.00"));
  CHECK(opal.figures.competition_effect == eur("-550.00"));
  CHECK(opal.figures.shared_costs == eur("100.01"));
  CHECK(opal.figures.subsidy == eur("30.00"));
  CHECK(opal.figures.net_savings == eur("329.99"));
  CHECK(opal.figures.lots == 2);
  CHECK(opal.figures.savings_pct_bp() == 1000);

  check_contract_totals(r);
}

TEST_CASE("savings report by category: the CPV class, costs following their lines, hand-computed") {
  const auto r = report(ReportGroup::category);
  REQUIRE(r.rows.size() == 2);
  // 44810000 is its own class (4 significant digits: 4481); 45442100 belongs to 45440000.
  const auto& paint = r.rows[0];
  CHECK(paint.key == "44810000");
  CHECK(paint.label == "classe 44810000");
  CHECK_FALSE(paint.member_id.has_value());
  // L1 + L2 + L4: reference 3,000 + 7,700 + 500 = 11,200.00; contract 2,700 + 6,300 + 550 = 9,550.00;
  // savings 300 + 1,400 − 50 = 1,650.00; pooling 900 + 0 + 10 = 910.00; competition −600 + 1,400 − 60 = 740.00;
  // costs 75.01 (L1) + 20.00 (L4) = 95.01; subsidy 22.50 (L1); net 1,650.00 − 95.01 + 22.50 = 1,577.49;
  // lots 11 and 21
  CHECK(paint.figures.reference == eur("11200.00"));
  CHECK(paint.figures.contract == eur("9550.00"));
  CHECK(paint.figures.savings == eur("1650.00"));
  CHECK(paint.figures.pooling_effect == eur("910.00"));
  CHECK(paint.figures.competition_effect == eur("740.00"));
  CHECK(paint.figures.shared_costs == eur("95.01"));
  CHECK(paint.figures.subsidy == eur("22.50"));
  CHECK(paint.figures.net_savings == eur("1577.49"));
  CHECK(paint.figures.lots == 2);

  const auto& works = r.rows[1];
  CHECK(works.key == "45440000");
  CHECK(works.label == "classe 45440000");
  // L3 alone: costs 25.00, subsidy 7.50: net 100.00 − 25.00 + 7.50 = 82.50
  CHECK(works.figures.reference == eur("1000.00"));
  CHECK(works.figures.contract == eur("900.00"));
  CHECK(works.figures.savings == eur("100.00"));
  CHECK(works.figures.shared_costs == eur("25.00"));
  CHECK(works.figures.subsidy == eur("7.50"));
  CHECK(works.figures.net_savings == eur("82.50"));
  CHECK(works.figures.lots == 1);

  check_contract_totals(r);
}

TEST_CASE("savings report by tender and by month, hand-computed") {
  const auto by_tender = report(ReportGroup::tender);
  REQUIRE(by_tender.rows.size() == 2);
  // Tender ids numerically: 9 before 10.
  const auto& t1 = by_tender.rows[0];
  CHECK(t1.key == "9");
  CHECK(t1.label == "T1");
  CHECK_FALSE(t1.member_id.has_value());
  // L1 + L2 + L3: reference 11,700.00; contract 9,900.00; savings 1,800.00; pooling 950.00;
  // competition 850.00; costs 100.01; subsidy 30.00; net 1,800.00 − 100.01 + 30.00 = 1,729.99; lots 11, 12
  CHECK(t1.figures.reference == eur("11700.00"));
  CHECK(t1.figures.contract == eur("9900.00"));
  CHECK(t1.figures.savings == eur("1800.00"));
  CHECK(t1.figures.pooling_effect == eur("950.00"));
  CHECK(t1.figures.competition_effect == eur("850.00"));
  CHECK(t1.figures.shared_costs == eur("100.01"));
  CHECK(t1.figures.subsidy == eur("30.00"));
  CHECK(t1.figures.net_savings == eur("1729.99"));
  CHECK(t1.figures.lots == 2);
  const auto& t2 = by_tender.rows[1];
  CHECK(t2.key == "10");
  CHECK(t2.label == "T2");
  // L4 alone: savings −50.00, costs 20.00: net −70.00; −50 / 500 = −10 % → −1,000 bp
  CHECK(t2.figures.savings == eur("-50.00"));
  CHECK(t2.figures.shared_costs == eur("20.00"));
  CHECK(t2.figures.net_savings == eur("-70.00"));
  CHECK(t2.figures.lots == 1);
  CHECK(t2.figures.savings_pct_bp() == -1000);
  check_contract_totals(by_tender);

  const auto by_month = report(ReportGroup::month);
  REQUIRE(by_month.rows.size() == 2);
  CHECK(by_month.rows[0].key == "2027-03");
  CHECK(by_month.rows[0].label == "2027-03");
  CHECK(by_month.rows[0].figures.net_savings == eur("1729.99"));  // T1's lines, awarded in March
  CHECK(by_month.rows[1].key == "2027-04");
  CHECK(by_month.rows[1].figures.net_savings == eur("-70.00"));  // T2's, in April
  check_contract_totals(by_month);
  // No contract notified: every line is counted from its award decision, flagged so.
  CHECK(by_month.totals.savings_award_only == eur("1750.00"));
  CHECK(by_month.totals.savings_notified == eur("0.00"));
  CHECK(by_month.totals.lines_award_only == 4);
  CHECK(by_month.totals.lines_notified == 0);
}

// The same four lines, three of them notified (issue 17 item 4, issue 19 item 4):
//   L1 lot 11 OPAL  awarded 2027-03-15, not notified   → counted 2027-03-15, award decision
//   L2 lot 11 REIMS awarded 2027-03-15, notified 04-06 → counted 2027-04-06 (moves to April)
//   L3 lot 12 OPAL  awarded 2027-03-15, notified 03-20 → counted 2027-03-20 (stays in March)
//   L4 lot 21 REIMS awarded 2027-04-02, notified 05-03 → counted 2027-05-03 (moves to May)
std::vector<ReportLine> notified_lines() {
  auto l = lines();
  l[1].notified_on = *parse_date("2027-04-06", "d");
  l[2].notified_on = *parse_date("2027-03-20", "d");
  l[3].notified_on = *parse_date("2027-05-03", "d");
  return l;
}

TEST_CASE("savings report: each line counted from its contract's notification, else its award decision") {
  const auto l = notified_lines();
  const auto c = costs();
  CHECK(l[0].counted_on() == *parse_date("2027-03-15", "d"));
  CHECK(l[0].date_basis() == SavingsDateBasis::award_decision);
  CHECK(l[1].counted_on() == *parse_date("2027-04-06", "d"));
  CHECK(l[1].date_basis() == SavingsDateBasis::notified);
  CHECK(to_string(SavingsDateBasis::notified) == "notified");
  CHECK(to_string(SavingsDateBasis::award_decision) == "award_decision");
  CHECK(kSavingsDateRule == "notification_else_award");

  const auto by_month = build_savings_report(l, c, ReportGroup::month, ReportBasis::contract, class_label);
  REQUIRE(by_month.rows.size() == 3);
  // March: L1 (award decision) + L3 (notified 03-20): reference 3,000 + 1,000 = 4,000.00;
  // contract 2,700 + 900 = 3,600.00; savings 300 + 100 = 400.00 of which 100.00 notified and
  // 300.00 from the decision alone; OPAL's T1 costs 75.01 + 25.00 = 100.01, subsidy 22.50 + 7.50
  // = 30.00; net 400.00 − 100.01 + 30.00 = 329.99; lots 11 and 12
  const auto& march = by_month.rows[0];
  CHECK(march.key == "2027-03");
  CHECK(march.figures.reference == eur("4000.00"));
  CHECK(march.figures.contract == eur("3600.00"));
  CHECK(march.figures.savings == eur("400.00"));
  CHECK(march.figures.savings_notified == eur("100.00"));
  CHECK(march.figures.savings_award_only == eur("300.00"));
  CHECK(march.figures.lines_notified == 1);
  CHECK(march.figures.lines_award_only == 1);
  CHECK(march.figures.shared_costs == eur("100.01"));
  CHECK(march.figures.net_savings == eur("329.99"));
  CHECK(march.figures.lots == 2);
  // April: L2 alone, awarded in March but notified in April: savings 1,400.00, all notified;
  // REIMS has no cost in T1: net 1,400.00
  const auto& april = by_month.rows[1];
  CHECK(april.key == "2027-04");
  CHECK(april.figures.savings == eur("1400.00"));
  CHECK(april.figures.savings_notified == eur("1400.00"));
  CHECK(april.figures.savings_award_only == eur("0.00"));
  CHECK(april.figures.net_savings == eur("1400.00"));
  CHECK(april.figures.lots == 1);
  // May: L4, awarded 04-02, notified 05-03: savings −50.00, costs 20.00, net −70.00
  const auto& may = by_month.rows[2];
  CHECK(may.key == "2027-05");
  CHECK(may.figures.savings_notified == eur("-50.00"));
  CHECK(may.figures.net_savings == eur("-70.00"));
  // Totals unchanged by the dates (check_contract_totals); split 100 + 1,400 − 50 = 1,450.00
  // notified and 300.00 from the decision alone: 1,450 + 300 = 1,750.00 savings
  check_contract_totals(by_month);
  CHECK(by_month.totals.savings_notified == eur("1450.00"));
  CHECK(by_month.totals.savings_award_only == eur("300.00"));
  CHECK(by_month.totals.lines_notified == 3);
  CHECK(by_month.totals.lines_award_only == 1);

  // Line by line, by counting date: L1 (03-15), L3 (03-20), L2 (04-06), L4 (05-03)
  REQUIRE(by_month.lines.size() == 4);
  CHECK(by_month.lines[0].lot_id == 11);
  CHECK(by_month.lines[0].member_code == "OPAL");
  CHECK(by_month.lines[0].date_basis == SavingsDateBasis::award_decision);
  CHECK_FALSE(by_month.lines[0].notified_on.has_value());
  CHECK(by_month.lines[0].savings == eur("300.00"));
  CHECK(by_month.lines[1].lot_id == 12);
  CHECK(by_month.lines[1].counted_on == *parse_date("2027-03-20", "d"));
  CHECK(by_month.lines[2].lot_id == 11);
  CHECK(by_month.lines[2].member_code == "REIMS");
  CHECK(by_month.lines[2].awarded_on == *parse_date("2027-03-15", "d"));
  CHECK(by_month.lines[2].counted_on == *parse_date("2027-04-06", "d"));
  CHECK(by_month.lines[2].date_basis == SavingsDateBasis::notified);
  CHECK(by_month.lines[3].lot_id == 21);

  // By member: REIMS (L2, L4) all notified 1,400 − 50 = 1,350.00; OPAL 100.00 notified (L3),
  // 300.00 from the decision alone (L1)
  const auto by_member = build_savings_report(l, c, ReportGroup::member, ReportBasis::contract, class_label);
  REQUIRE(by_member.rows.size() == 2);
  CHECK(by_member.rows[0].figures.savings_notified == eur("1350.00"));
  CHECK(by_member.rows[0].figures.lines_award_only == 0);
  CHECK(by_member.rows[1].figures.savings_notified == eur("100.00"));
  CHECK(by_member.rows[1].figures.savings_award_only == eur("300.00"));

  // 12-month basis, split after scaling: L2 700.00 + L3 50.00 + L4 −50.00 = 700.00 notified,
  // L1 150.00 from the decision alone; 700 + 150 = 850.00 = the 12-month savings
  const auto yearly = build_savings_report(l, c, ReportGroup::month, ReportBasis::twelve_months, class_label);
  CHECK(yearly.totals.savings == eur("850.00"));
  CHECK(yearly.totals.savings_notified == eur("700.00"));
  CHECK(yearly.totals.savings_award_only == eur("150.00"));
  CHECK(yearly.lines[0].savings == eur("150.00"));
}

TEST_CASE("savings report on the 12-month basis: every figure of a line scaled before grouping, hand-computed") {
  const auto r = report(ReportGroup::member, ReportBasis::twelve_months);
  CHECK(r.basis == ReportBasis::twelve_months);
  REQUIRE(r.rows.size() == 2);
  // T1 lasts 24 months: its lines × 12 / 24; T2 lasts 12: unchanged.
  //   L1: ref 1,500.00 contract 1,350.00 alone 1,800.00 → savings 150, pooling 450, competition −300;
  //       costs 7,501 c × 12 / 24 = 3,750.5 → 3,751 c (half away from zero) = 37.51; subsidy 2,250 / 2 = 11.25
  //   L3: ref 500.00 contract 450.00 alone 475.00 → savings 50, pooling 25, competition 25;
  //       costs 2,500 / 2 = 12.50; subsidy 750 / 2 = 3.75
  //   L2: ref 3,850.00 contract 3,150.00 alone 3,150.00 → savings 700, pooling 0, competition 700
  //   L4: as on the contract basis, costs 20.00
  const auto& reims = r.rows[0];
  CHECK(reims.key == "2");
  // L2 + L4: reference 3,850 + 500 = 4,350.00; contract 3,150 + 550 = 3,700.00; savings 700 − 50 = 650.00;
  // pooling 10.00; competition 700 − 60 = 640.00; costs 20.00; net 630.00
  CHECK(reims.figures.reference == eur("4350.00"));
  CHECK(reims.figures.contract == eur("3700.00"));
  CHECK(reims.figures.savings == eur("650.00"));
  CHECK(reims.figures.pooling_effect == eur("10.00"));
  CHECK(reims.figures.competition_effect == eur("640.00"));
  CHECK(reims.figures.shared_costs == eur("20.00"));
  CHECK(reims.figures.net_savings == eur("630.00"));
  const auto& opal = r.rows[1];
  CHECK(opal.key == "10");
  // L1 + L3: reference 2,000.00; contract 1,800.00; savings 200.00; pooling 475.00; competition −275.00;
  // costs 37.51 + 12.50 = 50.01 (not 100.01 / 2 = 50.005 rounded once); subsidy 11.25 + 3.75 = 15.00;
  // net 200.00 − 50.01 + 15.00 = 164.99
  CHECK(opal.figures.reference == eur("2000.00"));
  CHECK(opal.figures.contract == eur("1800.00"));
  CHECK(opal.figures.savings == eur("200.00"));
  CHECK(opal.figures.pooling_effect == eur("475.00"));
  CHECK(opal.figures.competition_effect == eur("-275.00"));
  CHECK(opal.figures.shared_costs == eur("50.01"));
  CHECK(opal.figures.subsidy == eur("15.00"));
  CHECK(opal.figures.net_savings == eur("164.99"));
  CHECK(opal.figures.lots == 2);
  // Totals: reference 6,350.00; contract 5,500.00; savings 850.00; pooling 485.00; competition 365.00;
  // costs 70.01; subsidy 15.00; net 850.00 − 70.01 + 15.00 = 794.99; lots 3
  CHECK(r.totals.reference == eur("6350.00"));
  CHECK(r.totals.contract == eur("5500.00"));
  CHECK(r.totals.savings == eur("850.00"));
  CHECK(r.totals.pooling_effect == eur("485.00"));
  CHECK(r.totals.competition_effect == eur("365.00"));
  CHECK(r.totals.shared_costs == eur("70.01"));
  CHECK(r.totals.subsidy == eur("15.00"));
  CHECK(r.totals.net_savings == eur("794.99"));
  CHECK(r.totals.lots == 3);
}

TEST_CASE("savings report: no lines, an empty report; groupings and bases parsed by name") {
  const auto empty = build_savings_report({}, costs(), ReportGroup::member, ReportBasis::contract, class_label);
  CHECK(empty.rows.empty());  // costs without lines have nowhere to go
  CHECK(empty.totals.shared_costs == eur("0.00"));
  CHECK(empty.totals.lots == 0);
  CHECK(empty.totals.savings_pct_bp() == 0);  // no reference: 0, not a division by zero

  for (const auto group : {ReportGroup::member, ReportGroup::category, ReportGroup::tender, ReportGroup::month}) {
    CAPTURE(to_string(group));
    CHECK(parse_report_group(to_string(group), "group_by").value() == group);
  }
  CHECK(parse_report_basis("contract", "basis").value() == ReportBasis::contract);
  CHECK(parse_report_basis("12m", "basis").value() == ReportBasis::twelve_months);
  const auto year = parse_report_group("year", "group_by");
  REQUIRE_FALSE(year.ok());
  CHECK(year.error().fields.at(0).field == "group_by");
  CHECK(year.error().fields.at(0).code == "report.group_by.unknown");
  const auto yearly = parse_report_basis("yearly", "basis");
  REQUIRE_FALSE(yearly.ok());
  CHECK(yearly.error().fields.at(0).code == "report.basis.unknown");
}
