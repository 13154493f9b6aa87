// A sincere estimate (issue 16 item 4, R2121-1): a lot without reference prices is no
// estimate; the officer's estimate of a lot takes precedence over the references.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/procedure.hpp"
#include "engine/tender.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
Amount euros(const char* text) { return *parse_amount(text, "a"); }

// Two members on each lot; `prices` the reference unit price of each line (1/10,000 €).
Lot lot(int number, const char* cpv, Amount references, std::vector<std::int64_t> prices) {
  Lot l;
  l.number = number;
  l.cpv = cpv;
  l.quantity = Quantity{1'000'000};
  l.estimated_value = references;
  std::int64_t member = 1;
  for (const auto p : prices) l.members.push_back({member++, Quantity{500'000}, Amount{0}, UnitPrice{p}});
  return l;
}

Tender tender(std::vector<Lot> lots) {
  Tender t;
  t.kind = PurchaseKind::supplies;
  t.criteria = {{"prix", 60, true, false}, {"environnement", 40, false, true}};
  t.bid_deadline = "2026-12-01T12:00:00Z";
  // The execution conditions of 2026-08-21 (L2112-2, L2112-2-1), tested in execution_conditions_tests.
  t.environmental_conditions = "clause environnementale";
  t.social_considerations = "clause sociale";
  t.launch_date = day("2026-06-01");
  t.lots = std::move(lots);
  return t;
}

bool warns(const ProcedureAdvice& a, std::string_view code) {
  return std::any_of(a.warnings.begin(), a.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

ProcedureAdvice advise(const Tender& t) {
  auto advice = advise_procedure(procedure_input(t, *t.launch_date), ThresholdTable::defaults());
  REQUIRE(advice.ok());
  return std::move(advice).value();
}

// Publishing on the tender's launch date (else `today`), the notice sent at midnight UTC.
Status publication_check(const Tender& t, Date today) {
  const Date launch = t.launch_date.value_or(today);
  return check_publishable(t, launch, utc_instant(launch));
}

}  // namespace

TEST_CASE("estimate: a lot without any reference is no estimate — warned, and publication refused") {
  // 1,000 units of paint with no reference price: the references add up to 0 €.
  const auto t = tender(
      {lot(1, "44810000-1", Amount{0}, {0, 0}), lot(2, "09310000-5", euros("30000.00"), {1650000, 1720000})});
  const auto advice = advise(t);
  // 30,000 € alone is under the 60,000 € of R2122-8 (from 2026-04-01): the advice says so,
  // but warns that it is worthless until lot 1 is estimated.
  CHECK(advice.procedure == Procedure::no_competition);
  CHECK(warns(advice, "estimate_missing"));
  CHECK_FALSE(warns(advice, "reference_missing"));
  auto refused = publication_check(t, day("2026-06-01"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().rule == "estimate.missing");
  CHECK(refused.error().fields.at(0).field == "lots[0].officer_estimate");
  CHECK(refused.error().fields.at(0).message.find("R2121-1") != std::string::npos);
}

TEST_CASE("estimate: the officer's estimate takes precedence and decides the procedure") {
  auto first = lot(1, "44810000-1", Amount{0}, {0, 0});
  first.officer_estimate = euros("186000.00");
  const auto t = tender({first, lot(2, "09310000-5", euros("30000.00"), {1650000, 1720000})});
  const auto in = procedure_input(t, *t.launch_date);
  CHECK(to_string(in.estimated_total) == "216000.00");  // 186,000 + 30,000
  REQUIRE(in.lots.size() == 2);
  CHECK(in.lots[0].officer_estimate);
  CHECK(to_string(in.lots[0].value) == "186000.00");
  const auto advice = advise(t);
  // Exactly the EU threshold for supplies in 2026 (216,000 €): formal.
  CHECK(advice.procedure == Procedure::formal);
  CHECK_FALSE(warns(advice, "estimate_missing"));
  CHECK_FALSE(warns(advice, "reference_missing"));
  CHECK(publication_check(t, day("2026-06-01")).ok());
  // One cent less: adapted.
  auto below = t;
  below.lots[0].officer_estimate = euros("185999.99");
  CHECK(advise(below).procedure == Procedure::adapted);
  // The smallest positive estimate publishes; the family of the lot counts the estimate.
  below.lots[0].officer_estimate = euros("0.01");
  CHECK(publication_check(below, day("2026-06-01")).ok());
}

TEST_CASE("estimate: a member line without a reference is warned, lot by lot") {
  // Member 2 gave no reference: lot 1 is valued on member 1's line alone.
  const auto t = tender({lot(1, "44810000-1", euros("7800.00"), {78000, 0}),
                         lot(2, "09310000-5", euros("30000.00"), {1650000, 1720000})});
  const auto advice = advise(t);
  CHECK(warns(advice, "reference_missing"));
  const auto w = std::find_if(advice.warnings.begin(), advice.warnings.end(),
                              [](const Warning& x) { return x.code == "reference_missing"; });
  CHECK(w->article == "R2121-1");
  CHECK(w->message.find("Lot 1 : 1 ligne(s)") == 0);
  CHECK(publication_check(t, day("2026-06-01")).ok());  // a partial estimate is warned, not refused
  // The officer's estimate answers the warning.
  auto estimated = t;
  estimated.lots[0].officer_estimate = euros("15600.00");
  CHECK_FALSE(warns(advise(estimated), "reference_missing"));
}
