// Modifications of a contract (R2194-1 to R2194-9), each limit at its edge. Figures by
// hand: an initial amount of 100 000,00 € is 10 000 000 cents; 50 % of it is 5 000 000,
// 10 % 1 000 000, 15 % 1 500 000.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/modification.hpp"

using namespace canopee;

namespace {

Date d(const char* text) { return *parse_date(text, "d"); }
const Date kToday = d("2027-06-30");
const Amount kEuSupplies{21'600'000};  // 216 000 € (2026–2027)

ModifiedContract supplies(std::int64_t initial = 10'000'000) {
  ModifiedContract c;
  c.basis = MaximumBasis::value;
  c.initial = initial;
  c.initial_value = Amount{initial};
  c.kind = PurchaseKind::supplies;
  c.initial_months = 24;
  c.notified_on = d("2027-01-15");
  return c;
}

Modification mod(ModificationGround ground, std::int64_t change, const char* on = "2027-03-01") {
  Modification m;
  m.ground = ground;
  m.object = "Extension aux résidences du secteur nord";
  m.justification = "Les travaux du secteur nord rendent ces prestations nécessaires";
  m.signed_on = d(on);
  m.amount_change = change;
  return m;
}

std::string rule_of(const Status& s) { return s ? "" : s.error().rule; }

Status check(const ModifiedContract& c, const std::vector<Modification>& recorded, const Modification& m) {
  return check_modification(c, recorded, m, kEuSupplies, kToday);
}

}  // namespace

TEST_CASE("modification grounds: names, French labels and articles") {
  CHECK(to_string(ModificationGround::de_minimis) == "de_minimis");
  CHECK(*parse_modification_ground("holder_change", "ground") == ModificationGround::holder_change);
  const auto unknown = parse_modification_ground("avenant", "ground");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().fields.front().code == "modification.ground.unknown");
  CHECK(article(ModificationGround::review_clause) == "R2194-1");
  CHECK(article(ModificationGround::additional) == "R2194-2");
  CHECK(article(ModificationGround::unforeseen) == "R2194-5");
  CHECK(article(ModificationGround::holder_change) == "R2194-6");
  CHECK(article(ModificationGround::non_substantial) == "R2194-7");
  CHECK(article(ModificationGround::de_minimis) == "R2194-8");
  CHECK(french_label(ModificationGround::de_minimis) == "modification de faible montant");
}

TEST_CASE("percentages of the initial amount: hundredths, half away from zero") {
  CHECK(percent_hundredths(1, 3) == 3333);      // 33.333… %
  CHECK(percent_hundredths(2, 3) == 6667);      // 66.666… %
  CHECK(percent_hundredths(1, 20'000) == 1);    // 0.005 % → 0.01
  CHECK(percent_hundredths(-1, 20'000) == -1);  // −0.005 % → −0.01
  CHECK(percent_hundredths(1, 20'001) == 0);    // just under 0.005 %
  CHECK(percent_text(1234) == "12.34");
  CHECK(percent_text(5000) == "50.00");
  CHECK(percent_text(-50) == "-0.50");
  CHECK(percent_text(-1) == "-0.01");
  CHECK(percent_text(0) == "0.00");
}

TEST_CASE("R2194-3: an additional modification up to 50 % of the initial amount, per modification") {
  const auto c = supplies();
  CHECK(check(c, {}, mod(ModificationGround::additional, 5'000'000)).ok());
  const auto over = check(c, {}, mod(ModificationGround::additional, 5'000'001));
  CHECK(rule_of(over) == "modification.over_half");
  CHECK(over.error().message.find("R2194-3") != std::string::npos);
  CHECK(over.error().message.find("50,00") != std::string::npos);
  // Per modification, not cumulated: a second 50 % passes after a first one.
  auto first = mod(ModificationGround::additional, 5'000'000);
  first.number = 1;
  CHECK(check(c, {first}, mod(ModificationGround::additional, 5'000'000, "2027-04-01")).ok());
  // Additional services raise the amount; a justification is required.
  CHECK(rule_of(check(c, {}, mod(ModificationGround::additional, -1))) == "modification.additional.not_increase");
  auto bare = mod(ModificationGround::additional, 100);
  bare.justification = "car.";
  CHECK(rule_of(check(c, {}, bare)) == "modification.justification.required");
}

TEST_CASE("R2194-5: unforeseen circumstances, the same 50 %, both ways") {
  const auto c = supplies();
  CHECK(check(c, {}, mod(ModificationGround::unforeseen, 5'000'000)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::unforeseen, 5'000'001))) == "modification.over_half");
  CHECK(check(c, {}, mod(ModificationGround::unforeseen, -5'000'000)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::unforeseen, -5'000'001))) == "modification.over_half");
  // An odd initial amount: 50 % of 1 001 cents is 500.5, so 500 passes and 501 does not.
  const auto odd = supplies(1'001);
  CHECK(check(odd, {}, mod(ModificationGround::unforeseen, 500)).ok());
  CHECK(rule_of(check(odd, {}, mod(ModificationGround::unforeseen, 501))) == "modification.over_half");
}

TEST_CASE("R2194-8 and R2194-9: de minimis below 10 % cumulated (supplies and services)") {
  const auto c = supplies();
  auto first = mod(ModificationGround::de_minimis, 600'000);
  first.number = 1;
  first.justification.clear();  // none needed
  CHECK(check(c, {}, first).ok());
  // 600 000 + 399 999 = 999 999 < 1 000 000: allowed; 400 000 reaches 10 % exactly: refused
  // ("inférieur à 10 %").
  CHECK(check(c, {first}, mod(ModificationGround::de_minimis, 399'999, "2027-03-02")).ok());
  const auto at_limit = check(c, {first}, mod(ModificationGround::de_minimis, 400'000, "2027-03-02"));
  CHECK(rule_of(at_limit) == "modification.de_minimis.percent");
  CHECK(at_limit.error().message.find("10,00") != std::string::npos);
  // Only de minimis modifications are cumulated (an unforeseen one has its own limit).
  auto unforeseen = mod(ModificationGround::unforeseen, 3'000'000);
  unforeseen.number = 1;
  CHECK(check(c, {unforeseen}, mod(ModificationGround::de_minimis, 999'999, "2027-03-02")).ok());
  // Magnitudes: a decrease does not make room for a later increase.
  auto decrease = mod(ModificationGround::de_minimis, -600'000);
  decrease.number = 1;
  CHECK(rule_of(check(c, {decrease}, mod(ModificationGround::de_minimis, 400'000, "2027-03-02"))) ==
        "modification.de_minimis.percent");
}

TEST_CASE("R2194-8: de minimis below 15 % for works") {
  auto c = supplies();
  c.kind = PurchaseKind::works;
  CHECK(check(c, {}, mod(ModificationGround::de_minimis, 1'499'999)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::de_minimis, 1'500'000))) == "modification.de_minimis.percent");
}

TEST_CASE("R2194-8: de minimis below the EU threshold in force") {
  const auto c = supplies(300'000'000);  // 3 000 000 €: 10 % is 300 000 €, above 216 000 €
  CHECK(check(c, {}, mod(ModificationGround::de_minimis, 21'599'999)).ok());
  const auto at = check(c, {}, mod(ModificationGround::de_minimis, 21'600'000));
  CHECK(rule_of(at) == "modification.de_minimis.threshold");
  // The threshold is the one the use case passes for the modification's day (221 000 € in 2025).
  CHECK(check_modification(c, {}, mod(ModificationGround::de_minimis, 21'600'000), Amount{22'100'000}, kToday).ok());
}

TEST_CASE("a quantity basis: limits in the unit, the EU threshold at the contract's value per unit") {
  ModifiedContract c = supplies();
  c.basis = MaximumBasis::quantity;
  c.initial = 1'000'000;                                  // 1 000 units
  c.initial_value = Amount{5'000'000};                    // 50 000,00 €: 50 € a unit
  CHECK(value_of_change(c, 100'000) == Amount{500'000});  // 100 units = 5 000,00 €
  CHECK(value_of_change(c, 1) == Amount{5});              // 0.001 unit = 0,05 €
  CHECK(check(c, {}, mod(ModificationGround::additional, 500'000)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::additional, 500'001))) == "modification.over_half");
  CHECK(check(c, {}, mod(ModificationGround::de_minimis, 99'999)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::de_minimis, 100'000))) == "modification.de_minimis.percent");
  // 4 000 units at 50 € = 200 000 €: under 216 000 € but a huge share; 5 000 units over both.
  ModifiedContract big = c;
  big.initial = 100'000'000;                                                   // 100 000 units
  big.initial_value = Amount{500'000'000};                                     // 5 000 000 €
  CHECK(check(big, {}, mod(ModificationGround::de_minimis, 4'319'999)).ok());  // 215 999,95 €
  CHECK(rule_of(check(big, {}, mod(ModificationGround::de_minimis, 4'320'000))) ==
        "modification.de_minimis.threshold");  // 216 000,00 €
}

TEST_CASE("R2194-1: a review clause, no cap, the clause named") {
  const auto c = supplies();
  auto m = mod(ModificationGround::review_clause, 20'000'000);  // +200 %
  m.justification.clear();
  m.clause_reference = "CCAP article 12.3";
  CHECK(check(c, {}, m).ok());
  m.clause_reference = "  ";
  CHECK(rule_of(check(c, {}, m)) == "modification.clause_reference.required");
}

TEST_CASE("R2194-6: a new holder, nothing else changes") {
  const auto c = supplies();
  CHECK(check(c, {}, mod(ModificationGround::holder_change, 0)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::holder_change, 1))) == "modification.holder_change.other_change");
  auto longer = mod(ModificationGround::holder_change, 0);
  longer.months_change = 3;
  CHECK(rule_of(check(c, {}, longer)) == "modification.holder_change.other_change");
}

TEST_CASE("R2194-7: non substantial, justified, an increase below the de minimis share") {
  const auto c = supplies();
  CHECK(check(c, {}, mod(ModificationGround::non_substantial, 999'999)).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::non_substantial, 1'000'000))) ==
        "modification.non_substantial.too_high");
  CHECK(check(c, {}, mod(ModificationGround::non_substantial, -4'000'000)).ok());
  auto bare = mod(ModificationGround::non_substantial, 0);
  bare.justification.clear();
  CHECK(rule_of(check(c, {}, bare)) == "modification.justification.required");
}

TEST_CASE("the new amount stays positive and at least what was ordered") {
  auto c = supplies();
  c.consumed = 9'000'000;
  // 10 000 000 − 1 000 000 = 9 000 000: exactly what was ordered, allowed.
  CHECK(check(c, {}, mod(ModificationGround::unforeseen, -1'000'000)).ok());
  const auto below = check(c, {}, mod(ModificationGround::unforeseen, -1'000'001));
  CHECK(rule_of(below) == "modification.below_ordered");
  CHECK(below.error().code == ErrorCode::conflict);
  CHECK(below.error().message.find("89\u00a0999,99") != std::string::npos);
  auto review = mod(ModificationGround::review_clause, -10'000'000);
  review.clause_reference = "CCAP 4";
  CHECK(rule_of(check(supplies(), {}, review)) == "modification.amount.not_positive");
  CHECK(rule_of(check(supplies(0), {}, mod(ModificationGround::de_minimis, 0))) == "modification.no_initial_amount");
}

TEST_CASE("dates: in force, in order, not in the future, before the end") {
  auto c = supplies();
  const auto m = mod(ModificationGround::de_minimis, 100);
  c.notified_on.reset();
  CHECK(rule_of(check(c, {}, m)) == "modification.contract_not_in_force");
  c = supplies();
  CHECK(rule_of(check(c, {}, mod(ModificationGround::de_minimis, 100, "2027-01-14"))) ==
        "modification.contract_not_in_force");
  CHECK(check(c, {}, mod(ModificationGround::de_minimis, 100, "2027-01-15")).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::de_minimis, 100, "2027-07-01"))) == "modification.date.future");
  auto first = mod(ModificationGround::de_minimis, 100, "2027-03-01");
  first.number = 1;
  CHECK(rule_of(check(c, {first}, mod(ModificationGround::de_minimis, 100, "2027-02-28"))) ==
        "modification.date.before_previous");
  CHECK(check(c, {first}, mod(ModificationGround::de_minimis, 100, "2027-03-01")).ok());
  // 3 months from 15 Jan 2027: the last day is 14 Apr 2027.
  c.initial_months = 3;
  CHECK(check(c, {}, mod(ModificationGround::de_minimis, 100, "2027-04-14")).ok());
  CHECK(rule_of(check(c, {}, mod(ModificationGround::de_minimis, 100, "2027-04-15"))) == "modification.contract_ended");
  // A modification that added 2 months moves the end to 14 Jun 2027.
  auto longer = mod(ModificationGround::review_clause, 0, "2027-02-01");
  longer.clause_reference = "CCAP 7";
  longer.months_change = 2;
  CHECK(check(c, {longer}, mod(ModificationGround::de_minimis, 100, "2027-06-14")).ok());
}

TEST_CASE("the shape: object, texts, months") {
  auto m = mod(ModificationGround::de_minimis, 100);
  CHECK(validate_modification(m).ok());
  m.object = " ";
  CHECK(rule_of(validate_modification(m)) == "modification.object.invalid");
  m.object = std::string("a\x01") + "b";
  CHECK(rule_of(validate_modification(m)) == "modification.object.invalid");
  m.object = std::string(1001, 'a');
  CHECK(rule_of(validate_modification(m)) == "modification.object.invalid");
  m.object = "\xC3";  // malformed UTF-8
  CHECK(rule_of(validate_modification(m)) == "modification.object.invalid");
  m = mod(ModificationGround::de_minimis, 100);
  m.months_change = -1;
  CHECK(rule_of(validate_modification(m)) == "modification.months_change.range");
  m.months_change = 121;
  CHECK(rule_of(validate_modification(m)) == "modification.months_change.range");
  m.months_change = 120;
  CHECK(validate_modification(m).ok());
  m.amount_change = kMaxAmount + 1;
  m.clause_reference = std::string(201, 'c');
  const auto two = validate_modification(m);
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().fields.size() == 2);
  CHECK(two.error().rule == "modification.invalid");
}

TEST_CASE("the cumulative effect, each change as a share of the initial amount") {
  const auto c = supplies();
  std::vector<Modification> recorded;
  recorded.push_back(mod(ModificationGround::additional, 5'000'000));
  recorded.push_back(mod(ModificationGround::de_minimis, 333'333));
  recorded.push_back(mod(ModificationGround::unforeseen, -1'000'000));
  recorded[1].months_change = 6;
  recorded[2].months_change = 3;
  const auto s = summarise_modifications(c, recorded);
  REQUIRE(s.lines.size() == 3);
  CHECK(percent_text(s.lines[0].percent_hundredths) == "50.00");
  CHECK(percent_text(s.lines[1].percent_hundredths) == "3.33");
  CHECK(percent_text(s.lines[2].percent_hundredths) == "-10.00");
  CHECK(s.lines[0].amount_after == 15'000'000);
  CHECK(s.lines[1].amount_after == 15'333'333);
  CHECK(s.lines[2].amount_after == 14'333'333);
  CHECK(s.lines[1].months_after == 30);
  CHECK(s.cumulative_change == 4'333'333);
  CHECK(percent_text(s.cumulative_percent_hundredths) == "43.33");
  CHECK(s.current == 14'333'333);
  CHECK(s.months_change == 9);
  CHECK(s.current_months == 33);
  CHECK(s.de_minimis_cumulative == 333'333);
}
