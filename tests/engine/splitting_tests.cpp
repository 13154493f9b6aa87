// The anti-splitting view (issue 16 item 14, R2121-6 and R2121-7): hand-computed at
// the exact thresholds and across calendar years.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/splitting.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
Amount euros(const char* text) { return *parse_amount(text, "a"); }

LotMemberLine line(std::int64_t member, const char* reference_value, std::int64_t quantity = 1000) {
  LotMemberLine l;
  l.member_id = member;
  l.quantity = Quantity{quantity};
  l.reference_value = euros(reference_value);
  l.reference_unit_price = UnitPrice{1};
  return l;
}

Lot lot(const char* cpv, std::vector<LotMemberLine> members) {
  Lot l;
  l.cpv = cpv;
  for (const auto& m : members) l.estimated_value += m.reference_value;
  l.members = std::move(members);
  return l;
}

Tender tender(std::int64_t id, const char* launch, Procedure procedure, std::vector<Lot> lots) {
  Tender t;
  t.id = id;
  t.reference = "AO-" + std::to_string(id);
  t.title = "Consultation " + std::to_string(id);
  t.status = TenderStatus::published;
  t.procedure = procedure;
  t.launch_date = day(launch);
  t.created_on = day(launch);
  t.lots = std::move(lots);
  return t;
}

StandalonePurchase purchase(std::int64_t id, std::int64_t member, std::uint32_t cpv, const char* amount,
                            const char* date) {
  StandalonePurchase p;
  p.id = id;
  p.member_id = member;
  p.cpv = CpvCode{cpv, 0};
  p.label = "Achat " + std::to_string(id);
  p.amount = euros(amount);
  p.purchased_on = day(date);
  return p;
}

SplittingReport report(int year, const std::vector<Tender>& tenders, const std::vector<StandalonePurchase>& purchases,
                       std::optional<std::int64_t> member = std::nullopt, bool joint_rows = true) {
  SplittingRequest request{year, member, joint_rows};
  auto r = splitting_report(request, tenders, purchases, ThresholdTable::defaults());
  REQUIRE(r.ok());
  return *r;
}

const SplittingRow* row(const SplittingReport& r, SplittingScope scope, std::uint32_t family, std::int64_t member = 0) {
  for (const auto& row : r.rows) {
    if (row.scope == scope && row.family == family && (scope == SplittingScope::joint || row.member_id == member))
      return &row;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("splitting: two adapted tenders of one family whose year total reaches the EU threshold") {
  // 2026: EU threshold for supplies 216,000.00 €. Family 0931 (electricity 09310000).
  SUBCASE("one cent under: no alert") {
    const std::vector<Tender> tenders = {tender(1, "2026-02-01", Procedure::adapted,
                                                {lot("09310000-5", {line(1, "60000.00"), line(2, "40000.00")})}),
                                         tender(2, "2026-09-01", Procedure::adapted,
                                                {lot("09310000-5", {line(1, "115999.99")})})};
    const auto r = report(2026, tenders, {});
    const auto* joint = row(r, SplittingScope::joint, 9310000);
    REQUIRE(joint != nullptr);
    CHECK(joint->grouping_key == "network");
    CHECK(joint->total == euros("215999.99"));
    CHECK(joint->required_procedure == Procedure::adapted);
    CHECK(joint->thresholds.eu == euros("216000.00"));
    CHECK_FALSE(joint->alert);
    // Member 1: 60,000.00 + 115,999.99 = 175,999.99.
    const auto* m1 = row(r, SplittingScope::member, 9310000, 1);
    REQUIRE(m1 != nullptr);
    CHECK(m1->joint_value == euros("175999.99"));
    CHECK(m1->standalone_value == Amount{0});
    CHECK_FALSE(m1->alert);
  }
  SUBCASE("exactly at the threshold: the total requires a formal procedure") {
    const std::vector<Tender> tenders = {tender(1, "2026-02-01", Procedure::adapted,
                                                {lot("09310000-5", {line(1, "60000.00"), line(2, "40000.00")})}),
                                         tender(2, "2026-09-01", Procedure::adapted,
                                                {lot("09310000-5", {line(1, "116000.00")})})};
    const auto r = report(2026, tenders, {});
    const auto* joint = row(r, SplittingScope::joint, 9310000);
    REQUIRE(joint != nullptr);
    CHECK(joint->total == euros("216000.00"));
    CHECK(joint->required_procedure == Procedure::formal);
    REQUIRE(joint->alert);
    CHECK(joint->alert->code == "splitting.threshold_crossed");
    CHECK(joint->alert->article == "R2121-6, R2121-7");
    CHECK(joint->alert->message.find("216\u00a0000,00\u00a0€") != std::string::npos);
    CHECK(joint->alert->message.find("AO-1") != std::string::npos);
    CHECK(joint->alert->message.find("AO-2") != std::string::npos);
    REQUIRE(joint->items.size() == 2);
    CHECK(joint->items[0].lighter);
    CHECK(joint->items[1].lighter);
    // Each member stays under it: no alert on the member rows.
    CHECK_FALSE(row(r, SplittingScope::member, 9310000, 1)->alert);
    CHECK(row(r, SplittingScope::member, 9310000, 1)->total == euros("176000.00"));
    CHECK_FALSE(row(r, SplittingScope::member, 9310000, 2)->alert);
  }
  SUBCASE("a formal tender is not lighter: no alert") {
    const std::vector<Tender> tenders = {tender(1, "2026-02-01", Procedure::formal,
                                                {lot("09310000-5", {line(1, "100000.00")})}),
                                         tender(2, "2026-03-01", Procedure::formal,
                                                {lot("09310000-5", {line(1, "116000.00")})})};
    CHECK_FALSE(row(report(2026, tenders, {}), SplittingScope::joint, 9310000)->alert);
  }
}

TEST_CASE("splitting: stand-alone purchases under the dispense whose sum reaches it") {
  // Until 2026-03-31 the dispense is 40,000.00 € (R2122-8); from 2026-04-01, 60,000.00 €.
  SUBCASE("39,999.99 €: none") {
    const auto r = report(2026, {},
                          {purchase(1, 3, 30192000, "20000.00", "2026-01-15"),
                           purchase(2, 3, 30197000, "19999.99", "2026-03-31")});
    const auto* m = row(r, SplittingScope::member, 30190000, 3);
    REQUIRE(m != nullptr);
    CHECK(m->standalone_value == euros("39999.99"));
    CHECK(m->required_procedure == Procedure::no_competition);
    CHECK_FALSE(m->alert);
    CHECK(row(r, SplittingScope::joint, 30190000) == nullptr);  // no joint tender in this family
  }
  SUBCASE("40,000.00 €: an adapted procedure was required") {
    const auto r = report(2026, {},
                          {purchase(1, 3, 30192000, "20000.00", "2026-01-15"),
                           purchase(2, 3, 30197000, "20000.00", "2026-03-31")});
    const auto* m = row(r, SplittingScope::member, 30190000, 3);
    REQUIRE(m != nullptr);
    CHECK(m->total == euros("40000.00"));
    CHECK(m->required_procedure == Procedure::adapted);
    CHECK(m->thresholds.no_competition == euros("40000.00"));
    CHECK(m->thresholds.date == day("2026-01-15"));
    REQUIRE(m->alert);
    CHECK(m->alert->code == "splitting.threshold_crossed");
    CHECK(m->alert->message.find("R2121-7") != std::string::npos);
    CHECK(m->items.size() == 2);
    CHECK(m->items[0].procedure == Procedure::no_competition);
    CHECK(m->items[0].required == Procedure::adapted);
  }
  SUBCASE("40,000.00 € from 2026-04-01: under the new 60,000.00 € dispense") {
    const auto r = report(2026, {},
                          {purchase(1, 3, 30192000, "20000.00", "2026-04-01"),
                           purchase(2, 3, 30197000, "20000.00", "2026-05-02")});
    const auto* m = row(r, SplittingScope::member, 30190000, 3);
    CHECK(m->required_procedure == Procedure::no_competition);
    CHECK(m->thresholds.no_competition == euros("60000.00"));
    CHECK_FALSE(m->alert);
  }
  SUBCASE("a purchase of another family or another member is not added") {
    const auto r = report(2026, {},
                          {purchase(1, 3, 30192000, "20000.00", "2026-01-15"),
                           purchase(2, 4, 30197000, "20000.00", "2026-01-16"),
                           purchase(3, 3, 30210000, "20000.00", "2026-01-17")});
    CHECK(row(r, SplittingScope::member, 30190000, 3)->total == euros("20000.00"));
    CHECK(row(r, SplittingScope::member, 30190000, 4)->total == euros("20000.00"));
    CHECK(row(r, SplittingScope::member, 30210000, 3)->total == euros("20000.00"));
    CHECK(std::none_of(r.rows.begin(), r.rows.end(), [](const SplittingRow& x) { return x.alert.has_value(); }));
  }
}

TEST_CASE("splitting: the calendar year (31 December vs 1 January)") {
  // 2025: dispense 40,000.00 €; 2026 before April: 40,000.00 €.
  const std::vector<StandalonePurchase> across = {purchase(1, 1, 30192000, "30000.00", "2025-12-31"),
                                                  purchase(2, 1, 30192000, "30000.00", "2026-01-01")};
  const auto r2025 = report(2025, {}, across);
  const auto r2026 = report(2026, {}, across);
  CHECK(row(r2025, SplittingScope::member, 30190000, 1)->total == euros("30000.00"));
  CHECK(row(r2026, SplittingScope::member, 30190000, 1)->total == euros("30000.00"));
  CHECK_FALSE(row(r2025, SplittingScope::member, 30190000, 1)->alert);
  CHECK_FALSE(row(r2026, SplittingScope::member, 30190000, 1)->alert);

  const std::vector<StandalonePurchase> same_year = {purchase(1, 1, 30192000, "30000.00", "2026-01-01"),
                                                     purchase(2, 1, 30192000, "20000.00", "2026-12-31")};
  const auto same = report(2026, {}, same_year);
  const auto* m = row(same, SplittingScope::member, 30190000, 1);
  CHECK(m->total == euros("50000.00"));
  // On 1 January the dispense is 40,000.00 € (50,000.00 € requires MAPA); on 31 December
  // it is 60,000.00 € (none required): the stricter requirement is the row's.
  CHECK(m->required_procedure == Procedure::adapted);
  CHECK(m->thresholds.date == day("2026-01-01"));
  REQUIRE(m->alert);
  CHECK(m->items[0].lighter);
  CHECK_FALSE(m->items[1].lighter);
  CHECK(m->items[1].required == Procedure::no_competition);

  // A tender counts in its launch year; one not launched in its creation year.
  auto draft = tender(7, "2027-01-01", Procedure::adapted, {lot("09310000-5", {line(1, "1000.00")})});
  draft.launch_date.reset();
  draft.created_on = day("2026-12-31");
  CHECK(tender_year(draft) == 2026);
  CHECK(row(report(2026, {draft}, {}), SplittingScope::joint, 9310000)->total == euros("1000.00"));
  draft.launch_date = day("2027-01-01");
  CHECK(tender_year(draft) == 2027);
  CHECK(row(report(2026, {draft}, {}), SplittingScope::joint, 9310000) == nullptr);
}

TEST_CASE("splitting: cancelled tenders and purchases count for nothing; filters") {
  auto cancelled = tender(1, "2026-02-01", Procedure::adapted, {lot("09310000-5", {line(1, "200000.00")})});
  cancelled.status = TenderStatus::cancelled;
  const auto kept = tender(2, "2026-03-01", Procedure::adapted,
                           {lot("09310000-5", {line(1, "20000.00"), line(2, "10000.00")})});
  auto gone = purchase(3, 1, 9310000, "50000.00", "2026-05-01");
  gone.cancelled = true;
  const auto r = report(2026, {cancelled, kept}, {gone});
  CHECK(row(r, SplittingScope::joint, 9310000)->total == euros("30000.00"));
  CHECK(row(r, SplittingScope::member, 9310000, 1)->total == euros("20000.00"));

  const auto mine = report(2026, {cancelled, kept}, {gone}, 2, false);
  REQUIRE(mine.rows.size() == 1);
  CHECK(mine.rows[0].member_id == 2);
  CHECK(mine.rows[0].total == euros("10000.00"));
}

TEST_CASE("splitting: an officer's estimate is shared pro rata to the reference values") {
  auto l = lot("09310000-5", {line(2, "100.00"), line(1, "300.00")});
  l.officer_estimate = euros("1000.01");
  const auto shares = member_shares(l);
  REQUIRE(shares.size() == 2);
  // 100,001 cents × 3/4 = 75,000.75 and × 1/4 = 25,000.25: the remaining cent to the larger remainder.
  CHECK(shares[0] == std::pair<std::int64_t, Amount>{1, euros("750.01")});
  CHECK(shares[1] == std::pair<std::int64_t, Amount>{2, euros("250.00")});
  // No reference at all: by quantity.
  auto bare = lot("09310000-5", {line(1, "0.00", 1000), line(2, "0.00", 3000)});
  bare.officer_estimate = euros("100.00");
  const auto by_quantity = member_shares(bare);
  CHECK(by_quantity[0].second == euros("25.00"));
  CHECK(by_quantity[1].second == euros("75.00"));
}

TEST_CASE("splitting: a year the thresholds do not cover is refused on the field year") {
  auto r = splitting_report({2023, std::nullopt, true}, {}, {}, ThresholdTable::defaults());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().fields.at(0).field == "year");
  CHECK(r.error().rule == "splitting.year");
  // 2028 has no EU threshold in the built-in table yet: the error names the year.
  const std::vector<StandalonePurchase> later = {purchase(1, 1, 30192000, "10.00", "2028-02-01")};
  auto r2028 = splitting_report({2028, std::nullopt, true}, {}, later, ThresholdTable::defaults());
  REQUIRE_FALSE(r2028.ok());
  CHECK(r2028.error().fields.at(0).field == "year");
  CHECK(r2028.error().rule == "splitting.thresholds_unknown");
}

TEST_CASE("splitting: stand-alone purchase validation") {
  auto p = purchase(0, 1, 30192000, "0.01", "2026-01-01");
  CHECK(validate_standalone_purchase(p).ok());
  p.amount = Amount{0};
  p.label = "";
  p.purchased_on = day("2023-12-31");
  p.member_id = 0;
  p.supplier_name = std::string(201, 'a');
  auto s = validate_standalone_purchase(p);
  REQUIRE_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& f : s.error().fields) fields.push_back(f.field);
  CHECK(fields == std::vector<std::string>{"member_id", "label", "amount", "purchased_on", "supplier_name"});
  CHECK(s.error().rule == "standalone_purchase.invalid");
  p = purchase(0, 1, 30192000, "1.00", "2026-01-01");
  p.label = "bon\x01";
  CHECK_FALSE(validate_standalone_purchase(p).ok());
  p.label = "\xff";
  CHECK_FALSE(validate_standalone_purchase(p).ok());
  p.label = "Papier";
  p.amount = Amount{kMaxAmount + 1};
  CHECK_FALSE(validate_standalone_purchase(p).ok());
  CHECK_FALSE(validate_cancel_reason("   ").ok());
  CHECK(validate_cancel_reason("Saisie en double").ok());
}

TEST_CASE("splitting: the advice warns when the year's other tenders of the family cross a threshold") {
  // This tender: family 0931 at 100,000.00 € launched 2026-09-01, adapted procedure.
  auto self = tender(10, "2026-09-01", Procedure::adapted, {lot("09310000-5", {line(1, "100000.00")})});
  self.criteria = {};
  auto other = [&](const char* value, const char* launch = "2026-02-01") {
    return tender(11, launch, Procedure::adapted, {lot("09310000-5", {line(2, value)})});
  };
  auto advice_with = [&](const std::vector<Tender>& all) {
    const auto input = procedure_input(self, *self.launch_date);
    auto advice = advise_procedure(input, ThresholdTable::defaults());
    REQUIRE(advice.ok());
    CHECK(advice->procedure == Procedure::adapted);
    const auto others = other_family_totals(all, 2026, joint_grouping_key(self), self.id);
    REQUIRE(add_family_year_warnings(*advice, input, others, ThresholdTable::defaults()).ok());
    return *advice;
  };
  auto has = [](const ProcedureAdvice& a) {
    return std::any_of(a.warnings.begin(), a.warnings.end(),
                       [](const Warning& w) { return w.code == "splitting.family_year_total"; });
  };
  CHECK_FALSE(has(advice_with({self, other("115999.99")})));
  const auto crossed = advice_with({self, other("116000.00")});
  REQUIRE(has(crossed));
  const auto w = std::find_if(crossed.warnings.begin(), crossed.warnings.end(),
                              [](const Warning& x) { return x.code == "splitting.family_year_total"; });
  CHECK(w->article == "R2121-6, R2121-7");
  CHECK(w->message.find("216\u00a0000,00\u00a0€") != std::string::npos);
  CHECK(w->message.find("0931") != std::string::npos);
  CHECK(w->message.find("procédure formalisée") != std::string::npos);
  // Another year, a cancelled tender, the tender itself: not counted.
  CHECK_FALSE(has(advice_with({self, other("116000.00", "2025-12-31")})));
  auto cancelled = other("116000.00");
  cancelled.status = TenderStatus::cancelled;
  CHECK_FALSE(has(advice_with({self, cancelled})));
  CHECK(other_family_totals(std::vector<Tender>{self}, 2026, "network", self.id).empty());
  // Another family is not added.
  auto paper = tender(12, "2026-02-01", Procedure::adapted, {lot("30190000-7", {line(2, "200000.00")})});
  CHECK_FALSE(has(advice_with({self, paper})));
}

TEST_CASE("splitting: works are valued per opération (R2121-5), the family total only points at them") {
  // Two painting works purchases of 30,000.00 € (CPV 45442100, class 4544) in March 2026:
  // their sum, 60,000.00 €, stays under the 100,000 € works dispense: no alert. Two of
  // 60,000.00 € make 120,000.00 € ≥ 100,000 €: a works alert, not a splitting one.
  const std::vector<StandalonePurchase> under = {purchase(1, 1, 45442100, "30000.00", "2026-03-02"),
                                                 purchase(2, 1, 45442100, "30000.00", "2026-03-20")};
  auto r = report(2026, {}, under);
  REQUIRE(row(r, SplittingScope::member, 45440000, 1) != nullptr);
  CHECK_FALSE(row(r, SplittingScope::member, 45440000, 1)->alert);
  const std::vector<StandalonePurchase> over = {purchase(1, 1, 45442100, "60000.00", "2026-03-02"),
                                                purchase(2, 1, 45442100, "60000.00", "2026-03-20")};
  r = report(2026, {}, over);
  const auto* works = row(r, SplittingScope::member, 45440000, 1);
  REQUIRE(works != nullptr);
  CHECK(works->kind == PurchaseKind::works);
  CHECK(works->total == euros("120000.00"));
  REQUIRE(works->alert);
  CHECK(works->alert->code == "splitting.works_operation");
  CHECK(works->alert->article == "R2121-5");
  CHECK(works->alert->message.find("même opération") != std::string::npos);
}

TEST_CASE("splitting: a groupement's tenders add up together, apart from another groupement's") {
  // The two tenders of the EU-threshold case (100,000.00 + 116,000.00 = 216,000.00 €): in one
  // groupement they reach the threshold; in two different groupements (two buyers) they do not.
  auto first = tender(1, "2026-02-01", Procedure::adapted,
                      {lot("09310000-5", {line(1, "60000.00"), line(2, "40000.00")})});
  auto second = tender(2, "2026-09-01", Procedure::adapted, {lot("09310000-5", {line(1, "116000.00")})});
  first.groupement_id = 7;
  second.groupement_id = 7;
  auto r = report(2026, {first, second}, {});
  const auto* together = row(r, SplittingScope::joint, 9310000);
  REQUIRE(together != nullptr);
  CHECK(together->grouping_key == "groupement:7");
  CHECK(together->total == euros("216000.00"));
  CHECK(together->alert);
  second.groupement_id = 8;
  r = report(2026, {first, second}, {});
  std::vector<std::string> keys;
  for (const auto& rw : r.rows) {
    if (rw.scope != SplittingScope::joint) continue;
    keys.push_back(rw.grouping_key);
    CHECK_FALSE(rw.alert);
  }
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"groupement:7", "groupement:8"});
  // A tender without a groupement stays in the network's grouping.
  CHECK(joint_grouping_key(tender(3, "2026-01-01", Procedure::adapted, {})) == "network");
}

TEST_CASE("splitting: a buyer cancels a purchase only on the day it was recorded; an officer any day") {
  auto p = purchase(1, 1, 30192000, "1000.00", "2026-03-02");
  p.created_at = "2026-03-02T22:30:00Z";  // 23:30 in Paris (winter time): recorded on 2 March
  CHECK(check_cancel_right(p, false, day("2026-03-02")).ok());
  CHECK(check_cancel_right(p, false, day("2026-03-03")).error().rule == "standalone_purchase.cancel_by_officer");
  CHECK(check_cancel_right(p, true, day("2026-11-30")).ok());
  p.created_at = "2026-03-02T23:30:00Z";  // already 3 March in Paris
  CHECK(check_cancel_right(p, false, day("2026-03-02")).error().code == ErrorCode::conflict);
  CHECK(check_cancel_right(p, false, day("2026-03-03")).ok());
}
