// Thresholds as dated settings and the R2122-8 second paragraph (issue 16 item 8).
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/procedure.hpp"
#include "engine/threshold_settings.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
Amount euros(const char* text) { return *parse_amount(text, "a"); }

ThresholdEntry entry(Threshold t, const char* from, std::optional<const char*> until, std::int64_t value,
                     const char* source = "texte") {
  ThresholdEntry e{t, day(from), std::nullopt, value, source};
  if (until) e.until = day(*until);
  return e;
}

std::string first_field(const Status& s) { return s ? std::string() : s.error().fields.at(0).field; }

ProcedureInput input(const char* date, std::vector<LotValue> lots, PurchaseKind kind = PurchaseKind::supplies) {
  ProcedureInput in;
  in.kind = kind;
  in.launch_date = day(date);
  for (const auto& l : lots) in.estimated_total += l.value;
  in.lots = std::move(lots);
  in.criteria = std::vector<CriterionInfo>{{"prix", 60, false}, {"environnement", 40, true}};
  return in;
}

const Citation* citation(const ProcedureAdvice& a, std::string_view article) {
  const auto it = std::find_if(a.citations.begin(), a.citations.end(),
                               [&](const Citation& c) { return c.article == article; });
  return it == a.citations.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("threshold settings: what a row must be") {
  CHECK(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", "2029-12-31", 5'600'000'00)).ok());
  CHECK(validate_threshold_entry(entry(Threshold::eu_works, "2024-01-01", std::nullopt, 1)).ok());  // first day, 1 cent
  CHECK(first_field(validate_threshold_entry(entry(Threshold::eu_works, "2023-12-31", std::nullopt, 1))) == "from");
  CHECK(first_field(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", "2027-12-31", 1))) == "until");
  CHECK(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", "2028-01-01", 1)).ok());  // one day
  CHECK(first_field(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", std::nullopt, 0))) == "value");
  CHECK(first_field(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", std::nullopt, -5))) == "value");
  CHECK(first_field(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", std::nullopt, kMaxAmount + 1))) ==
        "value");
  CHECK(first_field(validate_threshold_entry(entry(Threshold::eu_works, "2028-01-01", std::nullopt, 1, ""))) ==
        "source");
  CHECK(validate_threshold_entry(entry(Threshold::small_lots_share_percent, "2028-01-01", std::nullopt, 100)).ok());
  CHECK(first_field(validate_threshold_entry(
            entry(Threshold::small_lots_share_percent, "2028-01-01", std::nullopt, 101))) == "value");
}

TEST_CASE("threshold settings: from 2028-01-01 the advice needs the new EU values, and works with them") {
  const auto in = input("2028-01-01", {{"a", euros("200000.00")}, {"b", euros("20000.00")}});
  auto table = ThresholdTable::defaults();
  CHECK_FALSE(advise_procedure(in, table).ok());
  // On 2027-12-31 the built-in 216,000 € applies: 220,000 € is formal.
  auto last_day = in;
  last_day.launch_date = day("2027-12-31");
  REQUIRE(advise_procedure(last_day, table).ok());
  CHECK(advise_procedure(last_day, table)->procedure == Procedure::formal);
  REQUIRE(table.add(entry(Threshold::eu_supplies_services, "2028-01-01", "2029-12-31", 221'000'00)).ok());
  auto advice = advise_procedure(in, table);
  REQUIRE(advice.ok());
  CHECK(advice->procedure == Procedure::adapted);  // 220,000 € < 221,000 €
  CHECK(to_string(advice->eu_threshold) == "221000.00");
  // A row starting the same day as a built-in one replaces it.
  REQUIRE(table.add(entry(Threshold::mapa_publicity, "2024-01-01", std::nullopt, 100'000'00)).ok());
  CHECK(table.at(Threshold::mapa_publicity, day("2026-06-01"))->value == 100'000'00);
}

TEST_CASE("R2122-8 second paragraph: lots under the dispense within 20 % of all lots, exactly at the boundary") {
  // 2026-06-01, supplies: dispense 60,000 €. Total 300,000 €: 20 % = 60,000 €.
  // Lots: 200,000 (too large), 59,999.99 (under), 40,000.01 (under), 0.00 is never counted.
  auto in = input("2026-06-01", {{"1", euros("200000.00")}, {"2", euros("59999.99")}, {"3", euros("40000.01")}});
  auto advice = advise_procedure(in, ThresholdTable::defaults());
  REQUIRE(advice.ok());
  CHECK(advice->procedure == Procedure::formal);
  // Cheapest first: lot 3 (40,000.01); lot 2 would make 100,000.00 > 60,000: only lot 3.
  const auto* limb = citation(*advice, "R2122-8 al. 2");
  REQUIRE(limb != nullptr);
  CHECK(limb->text.rfind("Lot(s) 3 : chacun sous 60\u00a0000,00\u00a0€, ensemble 40\u00a0000,01\u00a0€", 0) == 0);
  // Exactly 20 %: two lots of 30,000 € in 300,000 € (60,000 € = 20 %) both qualify.
  in = input("2026-06-01", {{"1", euros("240000.00")}, {"2", euros("30000.00")}, {"3", euros("30000.00")}});
  advice = advise_procedure(in, ThresholdTable::defaults());
  REQUIRE(advice.ok());
  REQUIRE(citation(*advice, "R2122-8 al. 2") != nullptr);
  CHECK(citation(*advice, "R2122-8 al. 2")->text.rfind("Lot(s) 2, 3 :", 0) == 0);
  // One cent more on lot 3 (60,000.01 > 20 % of 300,000.01 = 60,000.002): only lot 2.
  in.lots[2].value = euros("30000.01");
  in.estimated_total = euros("300000.01");
  advice = advise_procedure(in, ThresholdTable::defaults());
  CHECK(citation(*advice, "R2122-8 al. 2")->text.rfind("Lot(s) 2 :", 0) == 0);
  // Works in 2025: the dispense is 100,000 € (décret 2022-1683 art. 6, extended by 2024-1217).
  auto works = input("2025-06-01", {{"1", euros("400000.00")}, {"2", euros("99999.99")}}, PurchaseKind::works);
  advice = advise_procedure(works, ThresholdTable::defaults());
  REQUIRE(advice.ok());
  CHECK(advice->procedure == Procedure::adapted);
  REQUIRE(citation(*advice, "R2122-8 al. 2") != nullptr);  // 99,999.99 ≤ 20 % of 499,999.99
  // Below the dispense for the whole: no second paragraph (the whole is already free).
  CHECK(citation(*advise_procedure(input("2026-06-01", {{"1", euros("10000.00")}, {"2", euros("100.00")}}),
                                   ThresholdTable::defaults()),
                 "R2122-8 al. 2") == nullptr);
}
