#include <doctest/doctest.h>

#include <algorithm>

#include "engine/procedure.hpp"

using namespace canopee;

namespace {

ProcedureInput input(const char* date, const char* total, PurchaseKind kind = PurchaseKind::supplies) {
  ProcedureInput in;
  in.kind = kind;
  in.launch_date = *parse_date(date, "launch_date");
  in.estimated_total = *parse_amount(total, "total");
  in.lots = {{"a", in.estimated_total}, {"b", Amount{0}}};  // two lots: no single-lot warning
  in.criteria = std::vector<CriterionInfo>{{"prix", 60, false}, {"environnement", 40, true}};
  return in;
}

ProcedureAdvice advise(const ProcedureInput& in) {
  auto advice = advise_procedure(in, ThresholdTable::defaults());
  REQUIRE(advice.ok());
  return std::move(advice).value();
}

bool cites(const ProcedureAdvice& a, std::string_view article) {
  return std::any_of(a.citations.begin(), a.citations.end(), [&](const Citation& c) { return c.article == article; });
}

bool warns(const ProcedureAdvice& a, std::string_view code) {
  return std::any_of(a.warnings.begin(), a.warnings.end(), [&](const Warning& w) { return w.code == code; });
}

}  // namespace

TEST_CASE("supplies in June 2026: each threshold and the cent below it") {
  struct Case {
    const char* total;
    Procedure procedure;
    Publicity publicity;
    const char* article;
  };
  const Case cases[] = {
      {"0.00", Procedure::no_competition, Publicity::none, "R2122-8"},
      {"59999.99", Procedure::no_competition, Publicity::none, "R2122-8"},
      {"60000.00", Procedure::adapted, Publicity::free, "R2131-12 1°"},
      {"89999.99", Procedure::adapted, Publicity::free, "R2131-12 1°"},
      {"90000.00", Procedure::adapted, Publicity::boamp_or_jal, "R2131-12 2°"},
      {"215999.99", Procedure::adapted, Publicity::boamp_or_jal, "R2123-1 1°"},
      {"216000.00", Procedure::formal, Publicity::boamp_and_joue, "R2124-1"},
      {"5000000.00", Procedure::formal, Publicity::boamp_and_joue, "R2131-16"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.total);
    const auto a = advise(input("2026-06-01", c.total));
    CHECK(a.procedure == c.procedure);
    CHECK(a.publicity == c.publicity);
    CHECK(cites(a, c.article));
    CHECK(cites(a, "R2121-1"));
  }
}

TEST_CASE("the day a threshold changes") {
  // R2122-8 supplies: 40,000 € until 2026-03-31, 60,000 € from 2026-04-01
  CHECK(advise(input("2026-03-31", "50000.00")).procedure == Procedure::adapted);
  CHECK(advise(input("2026-04-01", "50000.00")).procedure == Procedure::no_competition);
  // EU supplies: 221,000 € until 2025-12-31, 216,000 € from 2026-01-01
  CHECK(advise(input("2025-12-31", "220000.00")).procedure == Procedure::adapted);
  CHECK(advise(input("2026-01-01", "220000.00")).procedure == Procedure::formal);
  // works: R2122-8 dispense 100,000 € through 2025 (décret 2022-1683 art. 6, extended to
  // 2025-12-31 by décret 2024-1217), and from 2026-01-01 (décret 2025-1386): no step.
  CHECK(advise(input("2024-01-01", "99999.99", PurchaseKind::works)).procedure == Procedure::no_competition);
  CHECK(advise(input("2024-01-01", "100000.00", PurchaseKind::works)).procedure == Procedure::adapted);
  CHECK(advise(input("2025-12-31", "50000.00", PurchaseKind::works)).procedure == Procedure::no_competition);
  CHECK(advise(input("2025-12-31", "99999.99", PurchaseKind::works)).procedure == Procedure::no_competition);
  CHECK(advise(input("2025-12-31", "100000.00", PurchaseKind::works)).procedure == Procedure::adapted);
  CHECK(to_string(advise(input("2025-12-31", "1.00", PurchaseKind::works)).no_competition_threshold) == "100000.00");
  CHECK(advise(input("2026-01-01", "50000.00", PurchaseKind::works)).procedure == Procedure::no_competition);
  CHECK(advise(input("2026-01-01", "99999.99", PurchaseKind::works)).procedure == Procedure::no_competition);
  CHECK(advise(input("2026-01-01", "100000.00", PurchaseKind::works)).procedure == Procedure::adapted);
  // EU works: 5,538,000 € in 2025, 5,404,000 € in 2026
  CHECK(advise(input("2025-06-01", "5404000.00", PurchaseKind::works)).procedure == Procedure::adapted);
  CHECK(advise(input("2026-06-01", "5403999.99", PurchaseKind::works)).procedure == Procedure::adapted);
  CHECK(advise(input("2026-06-01", "5404000.00", PurchaseKind::works)).procedure == Procedure::formal);
  // services follow the supplies thresholds
  CHECK(advise(input("2026-06-01", "216000.00", PurchaseKind::services)).procedure == Procedure::formal);
}

TEST_CASE("dates outside the table are errors, not guesses") {
  auto before = advise_procedure(input("2023-12-31", "1000.00"), ThresholdTable::defaults());
  REQUIRE_FALSE(before.ok());
  CHECK(before.error().fields.at(0).field == "launch_date");
  CHECK_FALSE(advise_procedure(input("2028-01-01", "1000.00"), ThresholdTable::defaults()).ok());
  // an operator adds the next period's thresholds as settings
  auto table = ThresholdTable::defaults();
  REQUIRE(table
              .add({Threshold::eu_supplies_services, *parse_date("2028-01-01", "d"), std::nullopt, 230'000'00,
                    "hypothetical 2028 regulation"})
              .ok());
  REQUIRE(table.add({Threshold::eu_works, *parse_date("2028-01-01", "d"), std::nullopt, 5'600'000'00, "x"}).ok());
  auto after = advise_procedure(input("2028-01-01", "220000.00"), table);
  REQUIRE(after.ok());
  CHECK(after->procedure == Procedure::adapted);
  CHECK(to_string(after->eu_threshold) == "230000.00");
}

TEST_CASE("petits lots: lots below 80,000 € up to 20 % of the total, exactly at the boundary") {
  ProcedureInput in = input("2026-06-01", "1000000.00");
  in.lots = {{"L1", *parse_amount("700000.00", "x")},
             {"L2", *parse_amount("79999.99", "x")},
             {"L3", *parse_amount("79999.99", "x")},
             {"L4", *parse_amount("40000.02", "x")},
             {"L5", *parse_amount("100000.00", "x")}};
  auto a = advise(in);
  REQUIRE(a.procedure == Procedure::formal);
  CHECK(a.small_lots == std::vector<std::string>{"L2", "L3", "L4"});  // 200,000.00 = exactly 20 %
  CHECK(to_string(a.small_lots_value) == "200000.00");
  CHECK(cites(a, "R2123-1 2°"));

  in.lots[3].value = *parse_amount("40000.03", "x");  // one cent over 20 % with all three
  in.lots[0].value = *parse_amount("699999.99", "x");
  a = advise(in);
  CHECK(a.small_lots == std::vector<std::string>{"L2", "L4"});

  in.lots = {{"A", *parse_amount("80000.00", "x")}, {"B", *parse_amount("920000.00", "x")}};
  CHECK(advise(in).small_lots.empty());  // 80,000.00 is not below 80,000 €

  ProcedureInput works = input("2026-06-01", "6000000.00", PurchaseKind::works);
  works.lots = {{"W1", *parse_amount("999999.99", "x")}, {"W2", *parse_amount("5000000.01", "x")}};
  CHECK(advise(works).small_lots == std::vector<std::string>{"W1"});  // works: below 1,000,000 €
}

TEST_CASE("warnings: single lot, framework duration, environmental criterion, near a threshold") {
  ProcedureInput in = input("2026-06-01", "100000.00");
  in.lots = {{"only", in.estimated_total}};
  CHECK(warns(advise(in), "single_lot_unjustified"));
  in.allotment_justification = "prestation indissociable";
  CHECK_FALSE(warns(advise(in), "single_lot_unjustified"));

  in.duration_months = 48;
  CHECK_FALSE(warns(advise(in), "framework_too_long"));
  in.duration_months = 49;
  CHECK(warns(advise(in), "framework_too_long"));
  in.framework_agreement = false;
  CHECK_FALSE(warns(advise(in), "framework_too_long"));

  ProcedureInput env = input("2026-08-21", "100000.00");
  env.criteria = std::vector<CriterionInfo>{{"prix", 100, false}};
  CHECK(warns(advise(env), "environmental_criterion_missing"));
  env.launch_date = *parse_date("2026-08-20", "d");
  CHECK_FALSE(warns(advise(env), "environmental_criterion_missing"));
  env.launch_date = *parse_date("2026-08-21", "d");
  env.criteria.reset();
  CHECK(warns(advise(env), "environmental_criterion_required"));

  CHECK(warns(advise(input("2026-06-01", "205200.00")), "near_threshold"));  // 95 % of 216,000
  CHECK_FALSE(warns(advise(input("2026-06-01", "205199.99")), "near_threshold"));
}

TEST_CASE("families are cited for supplies, the whole opération for works") {
  ProcedureInput in = input("2026-06-01", "100000.00");
  in.families = {{44810000, *parse_amount("60000.00", "x")}, {9310000, *parse_amount("40000.00", "x")}};
  auto a = advise(in);
  CHECK(std::count_if(a.citations.begin(), a.citations.end(),
                      [](const Citation& c) { return c.article == "R2121-6"; }) == 2);
  in.kind = PurchaseKind::works;
  a = advise(in);
  CHECK(cites(a, "R2121-5"));
  CHECK_FALSE(cites(a, "R2121-6"));
}

TEST_CASE("the advice is written in French, amounts in the French way") {
  // 25 920,00 € of supplies in December 2026: below the 60 000 € of R2122-8 since 2026-04-01.
  const auto a = advise(input("2026-12-01", "25920.00"));
  const auto text = [&](std::string_view article) {
    const auto c = std::find_if(a.citations.begin(), a.citations.end(),
                                [&](const Citation& x) { return x.article == article; });
    REQUIRE(c != a.citations.end());
    return c->text;
  };
  CHECK(text("R2121-1").find("25\u00a0920,00\u00a0€") != std::string::npos);
  CHECK(text("R2122-8").rfind("Sous 60\u00a0000,00\u00a0€ (CCP R2122-8 modifié par le décret 2025-1386", 0) == 0);
  CHECK(text("R2122-8").find("sans publicité ni mise en concurrence") != std::string::npos);
  const auto big = advise(input("2026-12-01", "1234567.89"));
  CHECK(std::any_of(big.citations.begin(), big.citations.end(), [](const Citation& c) {
    return c.text.find("1\u00a0234\u00a0567,89\u00a0€") != std::string::npos;
  }));
}
