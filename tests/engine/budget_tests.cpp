// Budget and accounting codes (engine/budget.hpp) with figures computed by hand.
#include <doctest/doctest.h>

#include "engine/budget.hpp"
#include "engine/report.hpp"

using namespace canopee;

namespace {

BudgetCode code(BudgetCodeKind kind, const char* text, bool active = true) {
  BudgetCode c;
  c.member_id = 1;
  c.kind = kind;
  c.code = text;
  c.label = "libellé";
  c.active = active;
  return c;
}

BudgetLineFacts line(std::int64_t member, std::optional<std::string> nature, std::optional<std::string> analytic,
                     std::int64_t cents, bool paid = false) {
  return {member, std::move(nature), std::move(analytic), Amount{cents}, paid};
}

}  // namespace

TEST_CASE("budget codes: the code's text, its label and its kind") {
  for (const char* good : {"6152", "615.2", "PROG-2027/A", "a_1"}) {
    CAPTURE(good);
    CHECK(validate_budget_code_text(good, "code"));
  }
  for (const char* bad :
       {"", "=1+1", "-6152", " 6152", "61 52", "6152;", "é615", "12345678901234567890123456789012345678901"}) {
    CAPTURE(bad);
    const auto s = validate_budget_code_text(bad, "code");
    REQUIRE_FALSE(s);
    CHECK(s.error().rule == "budget_code.code.invalid");
  }
  CHECK(validate_budget_code_text(std::string(40, '7'), "code"));
  CHECK(validate_budget_label("Entretien et réparations", "label"));
  CHECK_FALSE(validate_budget_label("   ", "label"));
  CHECK_FALSE(validate_budget_label(std::string(201, 'x'), "label"));
  CHECK(validate_budget_label(std::string(200, 'x'), "label"));
  CHECK(*parse_budget_code_kind("analytic", "kind") == BudgetCodeKind::analytic);
  CHECK(parse_budget_code_kind("Nature", "kind").error().rule == "budget_code.kind.unknown");
}

TEST_CASE("budget codes: a need's code must be the member's, of its kind, active") {
  const std::vector<BudgetCode> codes{code(BudgetCodeKind::nature, "6152"), code(BudgetCodeKind::analytic, "PROG1"),
                                      code(BudgetCodeKind::nature, "6061", false)};
  CHECK(check_budget_code(codes, BudgetCodeKind::nature, "6152", "budget_nature"));
  CHECK(check_budget_code(codes, BudgetCodeKind::analytic, "PROG1", "budget_analytic"));
  // PROG1 is analytic, not a nature.
  const auto wrong_kind = check_budget_code(codes, BudgetCodeKind::nature, "PROG1", "budget_nature");
  REQUIRE_FALSE(wrong_kind);
  CHECK(wrong_kind.error().rule == "budget_code.unknown");
  CHECK(wrong_kind.error().fields.at(0).field == "budget_nature");
  CHECK(check_budget_code(codes, BudgetCodeKind::nature, "6061", "budget_nature").error().rule ==
        "budget_code.inactive");
  CHECK(check_budget_code({}, BudgetCodeKind::nature, "6152", "n").error().rule == "budget_code.unknown");
}

TEST_CASE("budget codes: an order line takes the needs' code only when they all agree") {
  using Codes = std::vector<std::optional<std::string>>;
  CHECK(agreed_code(Codes{"6152", "6152"}) == std::optional<std::string>("6152"));
  CHECK_FALSE(agreed_code(Codes{"6152", "6061"}));
  CHECK_FALSE(agreed_code(Codes{"6152", std::nullopt}));
  CHECK_FALSE(agreed_code(Codes{std::nullopt, "6152"}));
  CHECK_FALSE(agreed_code(Codes{}));
  CHECK(agreed_code(Codes{"PROG1"}) == std::optional<std::string>("PROG1"));
}

TEST_CASE("budget exports: rows per member, nature and analytic, sums of the line amounts") {
  // Member 1: 6152/PROG1 1,234.56 € (paid) + 6152/PROG1 0.44 € = 1,235.00 €, paid 1,234.56 €, 2 lines;
  //           6152/none 100.00 €; none/none 7.77 € (paid).
  // Member 2: 6152/PROG1 50.00 €.
  // Totals: 1235.00 + 100.00 + 7.77 + 50.00 = 1,392.77 €; paid 1234.56 + 7.77 = 1,242.33 €; 5 lines.
  const std::vector<BudgetLineFacts> lines{line(1, "6152", "PROG1", 123'456, true), line(2, "6152", "PROG1", 5'000),
                                           line(1, "6152", std::nullopt, 10'000),
                                           line(1, std::nullopt, std::nullopt, 777, true),
                                           line(1, "6152", "PROG1", 44)};
  const auto t = budget_rows(lines);
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0].member_id == 1);  // none sorts first
  CHECK_FALSE(t.rows[0].nature);
  CHECK(t.rows[0].amount == Amount{777});
  CHECK(t.rows[0].paid == Amount{777});
  CHECK(t.rows[1].nature == std::optional<std::string>("6152"));
  CHECK_FALSE(t.rows[1].analytic);
  CHECK(t.rows[1].amount == Amount{10'000});
  CHECK(t.rows[1].paid == Amount{0});
  CHECK(t.rows[2].analytic == std::optional<std::string>("PROG1"));
  CHECK(t.rows[2].amount == Amount{123'500});
  CHECK(t.rows[2].paid == Amount{123'456});
  CHECK(t.rows[2].lines == 2);
  CHECK(t.rows[3].member_id == 2);
  CHECK(t.rows[3].amount == Amount{5'000});
  CHECK(t.amount == Amount{139'277});
  CHECK(t.paid == Amount{124'233});
  CHECK(t.lines == 5);
}

TEST_CASE("budget exports: what a contract still leaves to order") {
  // 10,000.00 € less 2,500.50 € ordered: 7,499.50 €; ordered beyond (a modification raised it): 0.
  CHECK(not_yet_ordered(Amount{1'000'000}, Amount{250'050}) == Amount{749'950});
  CHECK(not_yet_ordered(Amount{1'000'000}, Amount{1'000'001}) == Amount{0});
}

TEST_CASE("budget exports: TTC per line at its lot's rate, half away from zero, then summed") {
  // 1 234,56 € at 20 %: 1 481,472 → 1 481,47 €; 0,10 € at 5,5 %: 0,1055 → 0,11 €;
  // 0,05 € at 5,5 %: 0,05275 → 0,05 € (paid); 100,00 € at 10 %: 110,00 €.
  // One row (no codes): HT 1 334,71 €, TTC 1 481,47 + 0,11 + 0,05 + 110,00 = 1 591,63 €; paid 0,05 € TTC.
  std::vector<BudgetLineFacts> lines;
  for (const auto& [cents, rate, paid] : {std::tuple{123'456, 2000, false}, std::tuple{10, 550, false},
                                          std::tuple{5, 550, true}, std::tuple{10'000, 1000, false}}) {
    auto l = line(1, std::nullopt, std::nullopt, cents, paid);
    l.amount_ttc = with_vat(Amount{cents}, rate);
    lines.push_back(l);
  }
  CHECK(lines[0].amount_ttc == Amount{148'147});
  CHECK(lines[1].amount_ttc == Amount{11});
  CHECK(lines[2].amount_ttc == Amount{5});
  CHECK(lines[3].amount_ttc == Amount{11'000});
  const auto t = budget_rows(lines);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].amount == Amount{133'471});
  CHECK(t.rows[0].amount_ttc == Amount{159'163});
  CHECK(t.rows[0].paid_ttc == Amount{5});
  CHECK(t.amount_ttc == Amount{159'163});
  CHECK(t.paid_ttc == Amount{5});
}
