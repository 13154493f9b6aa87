// The savings report's dates on both backends (issue 17 item 4, issue 19 item 4): a
// line is counted from its member contract's notification when recorded, otherwise
// from the award decision, flagged so. Figures by hand: the flow's paint lot awarded
// to Beta at 9.00 €/l on 2026-11-01 — OPAL 300 l (reference 10.00: 3,000.00 →
// 2,700.00, savings 300.00), Reims 700 l (reference 11.00: 7,700.00 → 6,300.00,
// savings 1,400.00). Reims's contract is signed on 2026-12-01 and notified on
// 2026-12-03; OPAL's is never signed.
#include <doctest/doctest.h>

#include "adapters/db/report_repository.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/reports.hpp"

using namespace canopee;
using test::day;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }
Amount eur(const char* t) { return *parse_amount(t, "a"); }

struct NotifiedNextMonth : test::PaintLotWithBids {
  NotifiedNextMonth() {
    award_to_beta();
    // Both bidders written to on 2026-11-02 (an adapted procedure: no standstill by default).
    const std::vector<std::pair<std::int64_t, LetterKind>> letters{{beta_bid.id, LetterKind::award},
                                                                   {alpha_bid.id, LetterKind::rejection}};
    for (const auto& [bid, kind] : letters) {
      REQUIRE(
          usecases::prepare_and_record_letter(*database, actor, tender.id, lot_id(),
                                              {bid, kind, SendingMeans::electronic, utc("2026-11-02T10:00:00Z"), {}},
                                              utc("2026-11-02T12:00:00Z"), day("2026-11-02"))
              .ok());
    }
    const auto chain = usecases::award_chain(*database, tender.id, lot_id(), day("2026-12-01"));
    REQUIRE(chain.ok());
    for (const auto& c : chain->contracts) {
      if (c.member_id != reims.id) continue;
      REQUIRE(usecases::sign_contract(*database, actor, c.id, std::nullopt, day("2026-12-01"), day("2026-12-01")).ok());
      REQUIRE(
          usecases::notify_contract(*database, actor, c.id, std::nullopt, day("2026-12-03"), day("2026-12-03")).ok());
    }
  }

  SavingsReport report(const char* from, const char* to, ReportGroup group,
                       std::optional<std::int64_t> member = std::nullopt) {
    reports::SavingsParameters p;
    p.from = day(from);
    p.to = day(to);
    p.group = group;
    p.member_id = member;
    auto r = reports::savings_report(*database, CpvNomenclature::starter(), p);
    REQUIRE(r.ok());
    return *r;
  }
};

}  // namespace

TEST_CASE("savings lines read with their notification; the period bears on the counting date") {
  NotifiedNextMonth f;
  auto lines = db::report_lines(*f.database, day("1900-01-01"), day("2999-12-31"), std::nullopt);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  for (const auto& l : *lines) {
    CAPTURE(l.member_code);
    CHECK(to_string(l.awarded_on) == "2026-11-01");
    if (l.member_id == f.reims.id) {
      REQUIRE(l.notified_on.has_value());
      CHECK(to_string(*l.notified_on) == "2026-12-03");
      CHECK(l.date_basis() == SavingsDateBasis::notified);
    } else {
      CHECK_FALSE(l.notified_on.has_value());
      CHECK(l.date_basis() == SavingsDateBasis::award_decision);
    }
  }
  // November holds OPAL's line alone: Reims's, decided in November, counts from December.
  auto november = db::report_lines(*f.database, day("2026-11-01"), day("2026-11-30"), std::nullopt);
  REQUIRE(november.ok());
  REQUIRE(november->size() == 1);
  CHECK(november->at(0).member_id == f.opal.id);
  auto december = db::report_lines(*f.database, day("2026-12-01"), day("2026-12-31"), f.reims.id);
  REQUIRE(december.ok());
  REQUIRE(december->size() == 1);
  CHECK(december->at(0).member_id == f.reims.id);
  CHECK(db::report_lines(*f.database, day("2026-12-01"), day("2026-12-31"), f.opal.id)->empty());
}

TEST_CASE("savings report by month: the notified contract moves to its month, the other stays flagged") {
  NotifiedNextMonth f;
  const auto by_month = f.report("2026-01-01", "2026-12-31", ReportGroup::month);
  REQUIRE(by_month.rows.size() == 2);
  // November: OPAL, counted from the decision: 300.00, all of it from the decision alone
  const auto& november = by_month.rows[0];
  CHECK(november.key == "2026-11");
  CHECK(november.figures.reference == eur("3000.00"));
  CHECK(november.figures.contract == eur("2700.00"));
  CHECK(november.figures.savings == eur("300.00"));
  CHECK(november.figures.savings_notified == eur("0.00"));
  CHECK(november.figures.savings_award_only == eur("300.00"));
  CHECK(november.figures.lines_award_only == 1);
  CHECK(november.figures.lines_notified == 0);
  // December: Reims, notified on 2026-12-03: 1,400.00, all of it from the notification
  const auto& december = by_month.rows[1];
  CHECK(december.key == "2026-12");
  CHECK(december.figures.reference == eur("7700.00"));
  CHECK(december.figures.savings == eur("1400.00"));
  CHECK(december.figures.savings_notified == eur("1400.00"));
  CHECK(december.figures.savings_award_only == eur("0.00"));
  CHECK(december.figures.lines_notified == 1);
  // Totals: 300 + 1,400 = 1,700.00 = 1,400.00 notified + 300.00 from the decision alone; one lot
  CHECK(by_month.totals.savings == eur("1700.00"));
  CHECK(by_month.totals.savings_notified == eur("1400.00"));
  CHECK(by_month.totals.savings_award_only == eur("300.00"));
  CHECK(by_month.totals.lots == 1);
  REQUIRE(by_month.lines.size() == 2);
  CHECK(by_month.lines[0].member_id == f.opal.id);  // 2026-11-01 before 2026-12-03
  CHECK(to_string(by_month.lines[1].counted_on) == "2026-12-03");
  CHECK(to_string(by_month.lines[1].awarded_on) == "2026-11-01");

  // The period: November alone holds 300.00 (OPAL), December 1,400.00 (Reims) — a
  // November-only reading no longer counts Reims's savings, decided in November.
  const auto only_november = f.report("2026-11-01", "2026-11-30", ReportGroup::member);
  REQUIRE(only_november.rows.size() == 1);
  CHECK(only_november.rows[0].member_id == std::optional<std::int64_t>(f.opal.id));
  CHECK(only_november.totals.savings == eur("300.00"));
  const auto only_december = f.report("2026-12-01", "2026-12-31", ReportGroup::member);
  REQUIRE(only_december.rows.size() == 1);
  CHECK(only_december.rows[0].member_id == std::optional<std::int64_t>(f.reims.id));
  CHECK(only_december.totals.savings_notified == eur("1400.00"));
  // One member's report: OPAL's line, flagged
  const auto opal = f.report("2026-01-01", "2026-12-31", ReportGroup::member, f.opal.id);
  CHECK(opal.totals.savings_award_only == eur("300.00"));
  CHECK(opal.totals.lines_notified == 0);
}
