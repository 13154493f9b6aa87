// Award criteria and the law (issue 16 item 5): L2152-7 as amended by loi 2021-1104
// art. 35, R2152-7 as amended by décret 2022-767, R2152-9/10 (life-cycle cost).
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/evaluation.hpp"
#include "engine/procedure.hpp"
#include "engine/tender.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
UnitPrice price(const char* text) { return *parse_unit_price(text, "p"); }
Quantity qty(const char* text) { return *parse_quantity(text, "q"); }

Criterion price_criterion(int weight, bool environmental = false) { return {"prix", weight, true, environmental}; }
Criterion lcc_criterion(int weight) {
  Criterion c{"coût du cycle de vie", weight, false, false};
  c.life_cycle_cost = true;
  return c;
}

std::vector<std::string> codes(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.code);
  return out;
}

Tender publishable(std::vector<Criterion> criteria, const char* launch) {
  Tender t;
  t.criteria = std::move(criteria);
  t.bid_deadline = "2026-12-01T12:00:00Z";
  // The execution conditions of 2026-08-21 (L2112-2, L2112-2-1), tested in execution_conditions_tests.
  t.environmental_conditions = "clause environnementale";
  t.social_considerations = "clause sociale";
  t.launch_date = day(launch);
  Lot lot;
  lot.number = 1;
  lot.cpv = "09310000-5";
  lot.quantity = qty("1");
  lot.estimated_value = Amount{100'000'00};
  t.lots.push_back(lot);
  Lot second = lot;
  second.number = 2;
  t.lots.push_back(second);
  return t;
}

// Publishing on the tender's launch date (else `today`), the notice sent at midnight UTC.
Status publication_check(const Tender& t, Date today) {
  const Date launch = t.launch_date.value_or(today);
  return check_publishable(t, launch, utc_instant(launch));
}

}  // namespace

TEST_CASE("criteria: the life-cycle cost is the cost criterion; never both price and life-cycle cost") {
  CHECK(validate_criteria(std::vector<Criterion>{lcc_criterion(100)}).ok());
  CHECK(validate_criteria(std::vector<Criterion>{lcc_criterion(70), {"technique", 30, false, false}}).ok());
  // Two cost criteria: refused.
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{price_criterion(50), lcc_criterion(50)}).ok());
  // No cost criterion: refused.
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{{"technique", 100, false, true}}).ok());
  Criterion both = price_criterion(100);
  both.life_cycle_cost = true;
  auto both_status = validate_criteria(std::vector<Criterion>{both});
  REQUIRE_FALSE(both_status.ok());
  CHECK(both_status.error().fields.at(0).field == "criteria[0].life_cycle_cost");
}

TEST_CASE("criteria: price and environmental on one criterion is refused at any date") {
  const std::vector<Criterion> merged = {price_criterion(100, true)};
  // Without a launch date (a draft being written) and before 21/08/2026 too.
  CHECK(codes(award_criteria_rule_errors(merged, std::nullopt)) ==
        std::vector<std::string>{"criteria.price_environmental"});
  const auto before = award_criteria_rule_errors(merged, day("2026-08-20"));
  REQUIRE(before.size() == 1);
  CHECK(before[0].field == "criteria[0].environmental");
  CHECK(before[0].message.find("L2152-7") != std::string::npos);
  // From 21/08/2026 it is also a single criterion that is not a life-cycle cost.
  CHECK(codes(award_criteria_rule_errors(merged, day("2026-08-21"))) ==
        std::vector<std::string>{"criteria.price_environmental", "criteria.single_not_life_cycle_cost"});
  // Among several criteria, the price flagged environmental is refused and does not count.
  const std::vector<Criterion> several = {price_criterion(70, true), {"technique", 30, false, false}};
  CHECK(codes(award_criteria_rule_errors(several, day("2026-08-21"))) ==
        std::vector<std::string>{"criteria.price_environmental", "criteria.environmental_missing"});
}

TEST_CASE("criteria: the dated rules of R2152-7, the day before and the day of 21/08/2026") {
  const std::vector<Criterion> price_only = {price_criterion(100)};
  const std::vector<Criterion> lcc_only = {lcc_criterion(100)};
  const std::vector<Criterion> with_environment = {price_criterion(60),
                                                   {"technique", 30, false, false},
                                                   {"environnement", 10, false, true}};
  const std::vector<Criterion> without_environment = {price_criterion(60), {"technique", 40, false, false}};
  const std::vector<Criterion> lcc_and_technique = {lcc_criterion(80), {"technique", 20, false, false}};

  // 20/08/2026: the old rules (a single price criterion for standardised purchases).
  CHECK(award_criteria_rule_errors(price_only, day("2026-08-20")).empty());
  CHECK(award_criteria_rule_errors(without_environment, day("2026-08-20")).empty());
  // 21/08/2026: a single criterion must be the life-cycle cost…
  CHECK(codes(award_criteria_rule_errors(price_only, day("2026-08-21"))) ==
        std::vector<std::string>{"criteria.single_not_life_cycle_cost"});
  CHECK(award_criteria_rule_errors(lcc_only, day("2026-08-21")).empty());
  // …several criteria need one environmental; a life-cycle cost is one.
  CHECK(award_criteria_rule_errors(with_environment, day("2026-08-21")).empty());
  CHECK(codes(award_criteria_rule_errors(without_environment, day("2026-08-21"))) ==
        std::vector<std::string>{"criteria.environmental_missing"});
  CHECK(award_criteria_rule_errors(lcc_and_technique, day("2026-08-21")).empty());
  // No launch date: only the undated rule.
  CHECK(award_criteria_rule_errors(price_only, std::nullopt).empty());
}

TEST_CASE("publication: the criteria rules at the launch date, with the rule's code on the problem") {
  const auto today = day("2026-06-01");
  CHECK(publication_check(publishable({price_criterion(100)}, "2026-08-20"), today).ok());
  auto refused = publication_check(publishable({price_criterion(100, true)}, "2026-08-21"), today);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().rule == "criteria.price_environmental");
  CHECK(publication_check(publishable({lcc_criterion(100)}, "2026-08-21"), today).ok());
  auto single_price = publication_check(publishable({price_criterion(100)}, "2026-08-21"), today);
  REQUIRE_FALSE(single_price.ok());
  CHECK(single_price.error().rule == "criteria.single_not_life_cycle_cost");
}

TEST_CASE("evaluation: a life-cycle cost criterion is scored from the bid's price, like the price") {
  // 1,000 units; LCC 70 %, technique 30 %. A: 10.00 → 10,000 €; B: 12.50 → 12,500 €.
  const std::vector<Criterion> criteria = {lcc_criterion(70), {"technique", 30, false, false}};
  BidInput a;
  a.bid_id = 1;
  a.regularity = Regularity::valid;
  a.schedule = PriceSchedule::flat(price("10"));
  a.scores = {{"technique", *parse_score("50", "s")}};
  BidInput b = a;
  b.bid_id = 2;
  b.schedule = PriceSchedule::flat(price("12.5"));
  b.scores = {{"technique", *parse_score("100", "s")}};
  auto e = evaluate_lot(qty("1000"), criteria, std::vector<BidInput>{a, b}, {});
  REQUIRE(e.ok());
  // A: cost score 100 → 70 + 30×50/100 = 85. B: 100×10,000/12,500 = 80 → 56 + 30 = 86.
  REQUIRE(e->bids.size() == 2);
  CHECK(e->bids[0].bid_id == 2);
  CHECK(format_score(e->bids[0].price_score) == "80.0000");
  CHECK(format_score(e->bids[0].weighted_total) == "86.0000");
  CHECK(format_score(e->bids[1].weighted_total) == "85.0000");
  CHECK(e->bids[0].scores_complete);  // the cost criterion needs no officer score
}
