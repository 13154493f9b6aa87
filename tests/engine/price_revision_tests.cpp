// Price forms and revision (R2112-9 to R2112-14), figures computed by hand below.
#include <doctest/doctest.h>

#include "engine/price_revision.hpp"

using namespace canopee;

namespace {

Date d(const char* text) { return *parse_date(text, "d"); }
YearMonth m(const char* text) { return *parse_year_month(text, "m"); }

PriceTerms bt01_yearly() {
  PriceTerms t;
  t.kind = PriceKind::revisable;
  t.fixed_part_bp = 1250;  // 12.5 %
  t.index_code = "BT01";
  t.base_month = m("2026-01");
  t.first_revision_on = d("2027-01-15");
  t.periodicity_months = 12;
  return t;
}

std::string code_of(const Status& s) { return s ? std::string() : s.error().fields.at(0).code; }

}  // namespace

TEST_CASE("index values are read exactly, with a dot or a comma") {
  CHECK(*parse_index_value("131.2", "v") == 1'312'000);
  CHECK(*parse_index_value("131,2", "v") == 1'312'000);
  CHECK(*parse_index_value("98.45", "v") == 984'500);
  CHECK(*parse_index_value("100", "v") == 1'000'000);
  CHECK(*parse_index_value("0.0001", "v") == 1);
  for (const char* bad : {"", "-1", "0", "1.23456", "1e3", "abc", " 12", "12.", "100000000"}) {
    CAPTURE(bad);
    const auto v = parse_index_value(bad, "value");
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().fields.at(0).code == "index.value_invalid");
    CHECK(v.error().fields.at(0).field == "value");
  }
  CHECK(french_index_value(1'312'000) == "131,2");
  CHECK(french_index_value(984'500) == "98,45");
  CHECK(french_index_value(1'000'000) == "100");
}

TEST_CASE("months and index codes") {
  CHECK(to_string(m("2026-01")) == "2026-01");
  CHECK(to_french(m("2026-08")) == "août 2026");
  CHECK(add_months(m("2026-11"), 3) == m("2027-02"));
  CHECK(add_months(m("2026-02"), -3) == m("2025-11"));
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "26-01", "2026/01", "1899-12", "2026-01-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_year_month(bad, "m").ok());
  }
  CHECK(check_index_code("BT01", "i").ok());
  CHECK(check_index_code("ICHT-E_2", "i").ok());
  CHECK(check_index_code("ABCDEFGHIJ0123456789", "i").ok());    // 20
  CHECK(!check_index_code("ABCDEFGHIJ0123456789X", "i").ok());  // 21
  CHECK(!check_index_code("", "i").ok());
  CHECK(!check_index_code("bt01", "i").ok());
  CHECK(!check_index_code("BT 01", "i").ok());
  CHECK(!check_index_code("BT01';--", "i").ok());
}

TEST_CASE("price terms are validated with stable codes") {
  CHECK(check_price_terms(bt01_yearly()).ok());
  CHECK(check_price_terms(PriceTerms{}).ok());  // firm, nothing else

  auto t = bt01_yearly();
  t.fixed_part_bp = 10'001;
  CHECK(code_of(check_price_terms(t)) == "price_terms.fixed_part");
  t.fixed_part_bp = -1;
  CHECK(code_of(check_price_terms(t)) == "price_terms.fixed_part");
  t.fixed_part_bp = 10'000;  // fully fixed is allowed (a formula that never moves)
  CHECK(check_price_terms(t).ok());

  t = bt01_yearly();
  t.index_code = "";
  CHECK(code_of(check_price_terms(t)) == "price_terms.index_code");
  t = bt01_yearly();
  t.base_month.reset();
  CHECK(code_of(check_price_terms(t)) == "price_terms.base_month");
  t = bt01_yearly();
  t.first_revision_on.reset();
  CHECK(code_of(check_price_terms(t)) == "price_terms.first_revision_on");
  t = bt01_yearly();
  t.first_revision_on = d("2026-01-31");  // within the base month itself
  CHECK(code_of(check_price_terms(t)) == "price_terms.first_revision_on");
  t.first_revision_on = d("2026-02-01");
  CHECK(check_price_terms(t).ok());
  for (int p : {0, 121}) {
    t = bt01_yearly();
    t.periodicity_months = p;
    CHECK(code_of(check_price_terms(t)) == "price_terms.periodicity_months");
  }
  t.periodicity_months = 120;
  CHECK(check_price_terms(t).ok());
  t.periodicity_months.reset();
  CHECK(code_of(check_price_terms(t)) == "price_terms.periodicity_months");

  PriceTerms firm;
  firm.index_code = "BT01";
  CHECK(code_of(check_price_terms(firm)) == "price_terms.firm_has_formula");

  PriceTerms actualisable = bt01_yearly();
  actualisable.kind = PriceKind::firm_actualisable;
  CHECK(code_of(check_price_terms(actualisable)) == "price_terms.periodicity_months");  // once only
  actualisable.periodicity_months.reset();
  CHECK(check_price_terms(actualisable).ok());
}

TEST_CASE("revision on BT01: P0 = 12.3400 €, a = 12.5 %, I0 = 131.2, I = 135.4") {
  // num = 1250 × 1 312 000 + 8750 × 1 354 000 = 1 640 000 000 + 11 847 500 000 = 13 487 500 000
  // den = 10 000 × 1 312 000 = 13 120 000 000
  // coefficient = 0.125 + 0.875 × 135.4 / 131.2 = 1.0280106707…  → shown 1,02801
  // P = 123 400 × 13 487 500 000 / 13 120 000 000 = 126 856.5167… → 126 857 = 12,6857 €
  const auto terms = bt01_yearly();
  const auto r = compute_revision(terms, d("2027-01-15"), 1'312'000, 1'354'000);
  REQUIRE(r.ok());
  CHECK(r->index_month == m("2027-01"));
  CHECK(r->coefficient_num == 13'487'500'000);
  CHECK(r->coefficient_den == 13'120'000'000);
  CHECK(french_coefficient(*r) == "1,02801");
  const auto p = revised_price(*r, UnitPrice{123'400});
  REQUIRE(p.ok());
  CHECK(p->ten_thousandths == 126'857);
  CHECK(explain_revision(terms, *r, UnitPrice{123'400}, *p) ==
        "P = P0 × (0,125 + 0,875 × I / I0) ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de janvier 2027 = 135,4 ; "
        "coefficient 1,02801 ; 12,3400\u00a0€ → 12,6857\u00a0€ HT");
  CHECK(explain_coefficient(terms, *r) ==
        "P = P0 × (0,125 + 0,875 × I / I0) ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de janvier 2027 = 135,4 ; "
        "coefficient 1,02801");
}

TEST_CASE("a falling index gives a coefficient below 1") {
  // I = 128.9: num = 1 640 000 000 + 8750 × 1 289 000 = 12 918 750 000; coefficient 0.98466082…
  // P = 123 400 × 12 918 750 000 / 13 120 000 000 = 121 507.1455… → 121 507 = 12,1507 €
  const auto r = compute_revision(bt01_yearly(), d("2027-01-15"), 1'312'000, 1'289'000);
  REQUIRE(r.ok());
  CHECK(french_coefficient(*r) == "0,98466");
  CHECK(revised_price(*r, UnitPrice{123'400})->ten_thousandths == 121'507);
}

TEST_CASE("the revised price is rounded half away from zero once, at the end") {
  // a = 50 %, I0 = 100, I = 150: coefficient 0.5 + 0.5 × 1.5 = 1.25 exactly.
  auto terms = bt01_yearly();
  terms.fixed_part_bp = 5000;
  const auto r = *compute_revision(terms, d("2027-01-15"), 1'000'000, 1'500'000);
  CHECK(french_coefficient(r) == "1,25000");
  CHECK(revised_price(r, UnitPrice{123'402})->ten_thousandths == 154'253);  // 154 252.5 → up
  CHECK(revised_price(r, UnitPrice{123'401})->ten_thousandths == 154'251);  // 154 251.25 → down
  CHECK(revised_price(r, UnitPrice{0})->ten_thousandths == 0);
  // An unchanged index leaves the price unchanged whatever a.
  const auto same = *compute_revision(bt01_yearly(), d("2027-01-15"), 1'312'000, 1'312'000);
  CHECK(revised_price(same, UnitPrice{123'400})->ten_thousandths == 123'400);
  CHECK(french_coefficient(same) == "1,00000");
  // Beyond the largest unit price.
  const auto huge = *compute_revision(bt01_yearly(), d("2027-01-15"), 1, kMaxIndexValue);
  CHECK(revised_price(huge, UnitPrice{kMaxUnitPrice}).error().rule == "revision.price_out_of_range");
}

TEST_CASE("a missing index value names the index and the month") {
  const auto no_base = compute_revision(bt01_yearly(), d("2027-01-15"), std::nullopt, 1'354'000);
  REQUIRE_FALSE(no_base.ok());
  CHECK(no_base.error().rule == "revision.index_missing");
  CHECK(no_base.error().message.find("BT01 de janvier 2026") != std::string::npos);
  const auto no_index = compute_revision(bt01_yearly(), d("2028-01-15"), 1'312'000, std::nullopt);
  REQUIRE_FALSE(no_index.ok());
  CHECK(no_index.error().message.find("BT01 de janvier 2028") != std::string::npos);
}

TEST_CASE("the revision in force: the day before a revision date, the day itself") {
  const auto t = bt01_yearly();  // 2027-01-15, then every 12 months
  CHECK_FALSE(revision_in_force(t, d("2027-01-14")).has_value());
  CHECK(revision_in_force(t, d("2027-01-15")) == d("2027-01-15"));
  CHECK(revision_in_force(t, d("2028-01-14")) == d("2027-01-15"));
  CHECK(revision_in_force(t, d("2028-01-15")) == d("2028-01-15"));
  CHECK(revision_in_force(t, d("2030-06-01")) == d("2030-01-15"));
  CHECK(check_on_schedule(t, d("2028-01-15")).ok());
  CHECK(code_of(check_on_schedule(t, d("2028-01-16"))) == "revision.not_on_schedule");
  CHECK(code_of(check_on_schedule(t, d("2027-01-14"))) == "revision.not_on_schedule");

  // Monthly from a 31st: the dates are counted from the first one, clamped to short months.
  auto monthly = t;
  monthly.first_revision_on = d("2027-01-31");
  monthly.periodicity_months = 1;
  CHECK(revision_in_force(monthly, d("2027-02-27")) == d("2027-01-31"));
  CHECK(revision_in_force(monthly, d("2027-02-28")) == d("2027-02-28"));
  CHECK(revision_in_force(monthly, d("2027-03-30")) == d("2027-02-28"));
  CHECK(revision_in_force(monthly, d("2027-03-31")) == d("2027-03-31"));

  CHECK_FALSE(revision_in_force(PriceTerms{}, d("2030-01-01")).has_value());
  CHECK(check_on_schedule(PriceTerms{}, d("2030-01-01")).error().rule == "revision.firm");
}

TEST_CASE("a firm price is actualised only past three months (R2112-11)") {
  // Mois zéro January 2026, taken as fixed on 1 January: 1 April is exactly three months later.
  CHECK_FALSE(actualisation_applies(m("2026-01"), d("2026-04-01")));
  CHECK(actualisation_applies(m("2026-01"), d("2026-04-02")));

  PriceTerms t;
  t.kind = PriceKind::firm_actualisable;
  t.index_code = "BT01";
  t.base_month = m("2026-01");
  t.first_revision_on = d("2026-04-01");  // start of execution
  CHECK_FALSE(revision_in_force(t, d("2026-12-31")).has_value());
  CHECK(code_of(check_on_schedule(t, d("2026-04-01"))) == "revision.not_on_schedule");

  t.first_revision_on = d("2026-04-02");
  CHECK_FALSE(revision_in_force(t, d("2026-04-01")).has_value());
  CHECK(revision_in_force(t, d("2026-04-02")) == d("2026-04-02"));
  CHECK(revision_in_force(t, d("2029-04-02")) == d("2026-04-02"));  // once only
  CHECK(index_month_for(t, d("2026-04-02")) == m("2026-01"));       // three months before the start

  t.first_revision_on = d("2026-06-10");
  CHECK(index_month_for(t, d("2026-06-10")) == m("2026-03"));
  // P = 123 400 × (10 000 × 1 338 000) / (10 000 × 1 312 000) = 125 845.426… → 12,5845 €
  const auto r = *compute_revision(t, d("2026-06-10"), 1'312'000, 1'338'000);
  CHECK(revised_price(r, UnitPrice{123'400})->ten_thousandths == 125'845);
  CHECK(explain_revision(t, r, UnitPrice{123'400}, UnitPrice{125'845}) ==
        "P = P0 × I / I0 ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de mars 2026 = 133,8 ; "
        "coefficient 1,01982 ; 12,3400\u00a0€ → 12,5845\u00a0€ HT");
}

TEST_CASE("price kinds by name") {
  CHECK(*parse_price_kind("revisable", "k") == PriceKind::revisable);
  CHECK(to_string(PriceKind::firm_actualisable) == "firm_actualisable");
  CHECK(french_label(PriceKind::firm) == "prix ferme");
  CHECK(parse_price_kind("fixed", "kind").error().fields.at(0).code == "value.unknown");
}
