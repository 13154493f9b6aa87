// The savings report's CGLLS subsidy (issue 19 item 7): the granted subsidy nets the
// savings; the projected one (aided projects planned or requested, eligible costs of
// no project) is spread, scaled and summed exactly like it, and never netted. Figures
// by hand below; amounts in cents.
#include <doctest/doctest.h>

#include "engine/report.hpp"

using namespace canopee;

namespace {

// Tender 1 over 24 months: OPAL (member 1) has two lines, contracts 3,000.00 and 1,000.00
// (3 : 1), savings 300.00 and 100.00; REIMS (member 2) one line, contract 2,000.00, savings 200.00.
ReportLine line(std::int64_t lot, std::int64_t member, const char* code, std::int64_t contract, std::int64_t savings) {
  ReportLine l;
  l.tender_id = 1;
  l.tender_reference = "T1";
  l.lot_id = lot;
  l.member_id = member;
  l.member_code = code;
  l.cpv_digits = 44810000;
  l.awarded_on = *parse_date("2027-03-15", "d");
  l.duration_months = 24;
  l.figures.member_id = member;
  l.figures.contract = Amount{contract};
  l.figures.reference = Amount{contract + savings};
  l.figures.standalone = Amount{contract + savings};
  l.figures.savings = Amount{savings};
  l.figures.competition_effect = Amount{savings};
  return l;
}

std::string label(std::uint32_t) { return "classe"; }

}  // namespace

TEST_CASE("savings report: granted subsidy nets the savings, projected is shown apart, spread the same way") {
  const std::vector<ReportLine> lines = {line(11, 1, "OPAL", 300'000, 30'000), line(12, 1, "OPAL", 100'000, 10'000),
                                         line(11, 2, "REIMS", 200'000, 20'000)};
  // OPAL: costs 100.00, granted 40.01, projected 10.01; REIMS: costs 50.00, granted 0, projected 25.00.
  const std::vector<TenderMemberCost> costs = {{1, 1, Amount{10'000}, Amount{4'001}, Amount{1'001}},
                                               {1, 2, Amount{5'000}, Amount{0}, Amount{2'500}}};
  const auto r = build_savings_report(lines, costs, ReportGroup::member, ReportBasis::contract, label);
  REQUIRE(r.rows.size() == 2);
  const auto& opal = r.rows[0].figures;
  const auto& reims = r.rows[1].figures;
  // OPAL: net = 400.00 − 100.00 + 40.01 = 340.01; the projected 10.01 apart.
  CHECK(opal.subsidy.cents == 4'001);
  CHECK(opal.subsidy_projected.cents == 1'001);
  CHECK(opal.net_savings.cents == 34'001);
  // REIMS: net = 200.00 − 50.00 + 0 = 150.00; projected 25.00.
  CHECK(reims.subsidy_projected.cents == 2'500);
  CHECK(reims.net_savings.cents == 15'000);
  CHECK(r.totals.subsidy.cents == 4'001);
  CHECK(r.totals.subsidy_projected.cents == 3'501);
  CHECK(r.totals.net_savings.cents == 49'001);  // 600.00 − 150.00 + 40.01

  // By tender, one row: the same sums.
  const auto t = build_savings_report(lines, costs, ReportGroup::tender, ReportBasis::contract, label);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].figures.subsidy_projected.cents == 3'501);

  // 12-month basis (24 months → × 12/24), each line's part scaled then summed, like the granted one.
  // OPAL's projected 1,001 spread 3 : 1 → 750.75 → 750 and 250.25 → 250, the cent left to the
  // larger remainder (.75): 751 and 250; halved → 375.5 → 376 and 125 = 501.
  // OPAL's granted 4,001 the same way: 3,001 and 1,000 → 1,500.5 → 1,501 and 500 = 2,001.
  // REIMS's projected 2,500 → 1,250.
  const auto y = build_savings_report(lines, costs, ReportGroup::member, ReportBasis::twelve_months, label);
  CHECK(y.rows[0].figures.subsidy.cents == 2'001);
  CHECK(y.rows[0].figures.subsidy_projected.cents == 501);
  CHECK(y.rows[1].figures.subsidy_projected.cents == 1'250);
  CHECK(y.totals.subsidy_projected.cents == 1'751);

  // Without any projected subsidy, nothing changes and the column stays at zero.
  const std::vector<TenderMemberCost> granted_only = {{1, 1, Amount{10'000}, Amount{4'001}}};
  const auto g = build_savings_report(lines, granted_only, ReportGroup::member, ReportBasis::contract, label);
  CHECK(g.totals.subsidy_projected.cents == 0);
  CHECK(g.rows[0].figures.net_savings.cents == 34'001);
}
