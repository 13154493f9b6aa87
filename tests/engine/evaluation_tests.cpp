#include <doctest/doctest.h>

#include <algorithm>

#include "engine/award.hpp"
#include "engine/evaluation.hpp"

using namespace canopee;

namespace {

UnitPrice price(const char* text) { return *parse_unit_price(text, "p"); }
Quantity qty(const char* text) { return *parse_quantity(text, "q"); }
std::int64_t score(const char* text) { return *parse_score(text, "s"); }

const std::vector<Criterion> kCriteria = {{"prix", 60, true, false},
                                          {"technique", 30, false, false},
                                          {"environnement", 10, false, true}};

BidInput bid(std::int64_t id, PriceSchedule schedule, const char* technique, const char* environment,
             Regularity status = Regularity::valid) {
  BidInput b;
  b.bid_id = id;
  b.supplier_id = 100 + id;
  b.regularity = status;
  b.schedule = std::move(schedule);
  b.scores = {{"technique", score(technique)}, {"environnement", score(environment)}};
  return b;
}

PriceSchedule tiers(std::vector<std::pair<const char*, const char*>> list) {
  std::vector<Tier> t;
  for (auto [min, p] : list) t.push_back({qty(min), price(p)});
  return *PriceSchedule::make(std::move(t));
}

const BidEvaluation& find(const LotEvaluation& e, std::int64_t id) {
  return *std::find_if(e.bids.begin(), e.bids.end(), [&](const BidEvaluation& b) { return b.bid_id == id; });
}

// Three bids on 1,000 units; B's tiers give 9.00 from 500 units.
std::vector<BidInput> three_bids() {
  return {bid(1, PriceSchedule::flat(price("10")), "80", "50"), bid(2, tiers({{"0", "12"}, {"500", "9"}}), "60", "100"),
          bid(3, PriceSchedule::flat(price("11")), "100", "0")};
}

}  // namespace

TEST_CASE("price schedules: all-units tiers and their validation") {
  const auto s = tiers({{"0", "12"}, {"500", "9"}, {"1000", "8.5"}});
  CHECK(s.unit_price_at(qty("499.999")) == price("12"));
  CHECK(s.unit_price_at(qty("500")) == price("9"));  // a tier starts at its minimum
  CHECK(s.unit_price_at(qty("999.999")) == price("9"));
  CHECK(s.unit_price_at(qty("5000")) == price("8.5"));
  CHECK(s.cost_at(qty("600"))->cents == 540000);   // every unit at 9.00
  CHECK(s.exact_cost_at(qty("0.001")) == 120000);  // 0.001 × 12.0000 in 1e-7 €

  auto not_from_zero = PriceSchedule::make({{qty("10"), price("1")}});
  REQUIRE_FALSE(not_from_zero.ok());
  CHECK(not_from_zero.error().fields.at(0).field == "tiers[0].min_quantity");
  auto overlapping = PriceSchedule::make(
      {{qty("0"), price("2")}, {qty("100"), price("1")}, {qty("100"), price("0.5")}});
  REQUIRE_FALSE(overlapping.ok());
  CHECK(overlapping.error().fields.at(0).field == "tiers[2].min_quantity");
  CHECK_FALSE(PriceSchedule::make({{qty("0"), price("2")}, {qty("50"), price("3")}, {qty("20"), price("1")}}).ok());
  auto negative = PriceSchedule::make({{qty("0"), UnitPrice{-1}}});
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.error().fields.at(0).field == "tiers[0].unit_price");
  CHECK_FALSE(PriceSchedule::make({}).ok());
}

TEST_CASE("evaluation by the proportional formula, hand-computed") {
  auto e = evaluate_lot(qty("1000"), kCriteria, three_bids(), {});
  REQUIRE(e.ok());
  REQUIRE(e->bids.size() == 3);
  // B: 9,000.00 → price 100 → 60 + 30×60/100 + 10×100/100 = 88
  CHECK(e->bids[0].bid_id == 2);
  CHECK(e->bids[0].total_price.cents == 900000);
  CHECK(format_score(e->bids[0].price_score) == "100.0000");
  CHECK(format_score(e->bids[0].weighted_total) == "88.0000");
  // A: 10,000.00 → 100×9000/10000 = 90 → 54 + 24 + 5 = 83
  CHECK(e->bids[1].bid_id == 1);
  CHECK(format_score(e->bids[1].price_score) == "90.0000");
  CHECK(format_score(e->bids[1].weighted_total) == "83.0000");
  // C: 11,000.00 → 81.8181… → 49.0909… + 30 + 0 = 79.0909…
  CHECK(e->bids[2].bid_id == 3);
  CHECK(format_score(e->bids[2].price_score) == "81.8182");
  CHECK(format_score(e->bids[2].weighted_total) == "79.0909");
  CHECK(e->bids[0].rank == 1);
  CHECK(e->bids[2].rank == 3);
  CHECK(e->bids[0].awardable);
  CHECK(e->warnings.empty());
}

TEST_CASE("evaluation by the linear formula, hand-computed, and its warning") {
  EvaluationOptions options;
  options.formula = PriceFormula::linear;
  auto e = evaluate_lot(qty("1000"), kCriteria, three_bids(), options);
  REQUIRE(e.ok());
  // Pmin 9,000, Pmax 11,000: A 100×1000/2000 = 50 → 30 + 24 + 5 = 59; C 0 → 30
  CHECK(format_score(find(*e, 1).price_score) == "50.0000");
  CHECK(format_score(find(*e, 1).weighted_total) == "59.0000");
  CHECK(format_score(find(*e, 3).weighted_total) == "30.0000");
  CHECK(find(*e, 2).rank == 1);
  CHECK(e->warnings.empty());

  auto two = three_bids();
  two.pop_back();
  auto warned = evaluate_lot(qty("1000"), kCriteria, two, options);
  REQUIRE(warned->warnings.size() == 1);
  CHECK(warned->warnings[0].find("moins de trois offres") != std::string::npos);
  // equal prices: every bid gets the full price score
  std::vector<BidInput> same = {bid(1, PriceSchedule::flat(price("5")), "10", "10"),
                                bid(2, PriceSchedule::flat(price("5")), "20", "10")};
  auto equal = evaluate_lot(qty("10"), kCriteria, same, options);
  CHECK(format_score(equal->bids[0].price_score) == "100.0000");
  CHECK(equal->bids[0].bid_id == 2);
}

TEST_CASE("ties: weighted total, then the tie-break on the heaviest criterion, never the receipt") {
  // A: price 100 → 60 points, technique 0. B: price 125 → 80 → 48, technique 40 → 12. Both 60.
  std::vector<Criterion> criteria = {{"prix", 60, true, false}, {"technique", 40, false, true}};
  std::vector<BidInput> bids = {bid(7, PriceSchedule::flat(price("125")), "30", "0"),
                                bid(8, PriceSchedule::flat(price("100")), "0", "0")};
  bids[0].scores = {{"technique", score("30")}};
  bids[1].scores = {{"technique", score("0")}};
  auto e = evaluate_lot(qty("1"), criteria, bids, {});
  REQUIRE(e.ok());
  CHECK(e->bids[0].weighted_total == e->bids[1].weighted_total);
  CHECK(e->bids[0].bid_id == 8);  // the price weighs most: the lower price
  CHECK(e->bids[0].tie == TieOutcome::lowest_price);

  // Equal in everything: the order of entry decides nothing, both share the rank.
  std::vector<BidInput> twins = {bid(6, PriceSchedule::flat(price("100")), "50", "50"),
                                 bid(5, PriceSchedule::flat(price("100")), "50", "50")};
  auto t = evaluate_lot(qty("1"), kCriteria, twins, {});
  CHECK(t->bids[0].rank == 1);
  CHECK(t->bids[1].rank == 1);
  CHECK(t->bids[0].bid_id == 5);  // listed by id within the tie
  CHECK(t->bids[0].tie == TieOutcome::draw_needed);
  CHECK_FALSE(t->bids[0].awardable);
  CHECK_FALSE(t->bids[1].awardable);
}

TEST_CASE("exact ranking: totals closer than the displayed precision are still ordered") {
  // Over 10,000 units: A 30,000.00 € → 50 points, technique 0 → 50.
  // B 30,001.00 € → 50 × 30000/30001 = 49.99833…, technique 0.0034 → 0.0017: 50.0000333…
  // Rounded to 1/10,000 both show 50.0000; rounding before ranking would tie them
  // and give the lot to A on price.
  std::vector<Criterion> criteria = {{"prix", 50, true, false}, {"technique", 50, false, true}};
  std::vector<BidInput> bids = {bid(1, PriceSchedule::flat(price("3")), "0", "0"),
                                bid(2, PriceSchedule::flat(price("3.0001")), "0", "0")};
  bids[0].scores = {{"technique", score("0")}};
  bids[1].scores = {{"technique", score("0.0034")}};
  auto e = evaluate_lot(qty("10000"), criteria, bids, {});
  REQUIRE(e.ok());
  CHECK(format_score(e->bids[0].weighted_total) == "50.0000");
  CHECK(format_score(e->bids[1].weighted_total) == "50.0000");
  CHECK(e->bids[0].bid_id == 2);
}

TEST_CASE("abnormally low: two-pass mean, at the boundary and with an outlier") {
  auto flat = [](std::int64_t id, const char* p) { return bid(id, PriceSchedule::flat(price(p)), "50", "50"); };
  // 100, 100, 100, 79: m1 = m2 = 94.75, 0.9 × m2 = 85.275 → 79 flagged
  auto e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "100"), flat(2, "100"), flat(3, "100"), flat(4, "79")},
                        {});
  CHECK(find(*e, 4).abnormally_low);
  CHECK_FALSE(find(*e, 1).abnormally_low);
  // 100, 100, 200, 85: m1 = 121.25 leaves 200 out; m2 = 95, 0.9 × 95 = 85.5 → 85 flagged
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "100"), flat(2, "100"), flat(3, "200"), flat(4, "85")}, {});
  CHECK(find(*e, 4).abnormally_low);
  CHECK_FALSE(find(*e, 1).abnormally_low);  // a single-pass mean would have flagged the 100s
  // exactly 10 % below m2 is not "more than 10 % below"
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "100"), flat(2, "100"), flat(3, "100"), flat(4, "90")}, {});
  // m = 97.5, 0.9 × 97.5 = 87.75: 90 not flagged
  CHECK_FALSE(find(*e, 4).abnormally_low);
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "10"), flat(2, "9")}, {});
  // m = 9.5, 0.9 × 9.5 = 8.55
  CHECK_FALSE(find(*e, 2).abnormally_low);
}

TEST_CASE("abnormally low: mean minus one standard deviation, and the estimate ratio") {
  auto flat = [](std::int64_t id, const char* p) { return bid(id, PriceSchedule::flat(price(p)), "50", "50"); };
  EvaluationOptions options;
  options.method = AbnormallyLowMethod::mean_minus_stddev;
  // 100, 100, 100, 60: μ = 90, σ = √300 ≈ 17.32, μ − σ ≈ 72.68
  auto e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "100"), flat(2, "100"), flat(3, "100"), flat(4, "60")},
                        options);
  CHECK(find(*e, 4).abnormally_low);
  CHECK_FALSE(find(*e, 1).abnormally_low);
  // 100, 90, 80, 78: μ = 87, σ² = (169 + 9 + 49 + 81)/4 = 77, μ − σ ≈ 78.225 → 78 flagged
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "100"), flat(2, "90"), flat(3, "80"), flat(4, "78")},
                   options);
  CHECK(find(*e, 4).abnormally_low);
  CHECK_FALSE(find(*e, 3).abnormally_low);
  // 100, 90, 80, 79: μ = 87.25, σ² = 72.6875, μ − σ ≈ 78.724 → 79 not flagged
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "100"), flat(2, "90"), flat(3, "80"), flat(4, "79")},
                   options);
  CHECK_FALSE(find(*e, 4).abnormally_low);

  options.method = AbnormallyLowMethod::estimate_ratio;
  options.estimate = *parse_amount("100.00", "e");
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "69.99"), flat(2, "70")}, options);
  CHECK(find(*e, 1).abnormally_low);
  CHECK_FALSE(find(*e, 2).abnormally_low);
  options.estimate.reset();
  e = evaluate_lot(qty("1"), kCriteria, std::vector{flat(1, "1")}, options);
  CHECK_FALSE(e->warnings.empty());
}

TEST_CASE("who may be awarded: flags need an accepted justification; excluded bids are not ranked") {
  auto flat = [](std::int64_t id, const char* p, Regularity s = Regularity::valid) {
    return bid(id, PriceSchedule::flat(price(p)), "50", "50", s);
  };
  // Bids 2 and 3 have lower technical marks than bid 1 at the same price (no tie).
  std::vector<BidInput> bids = {flat(1, "100"),
                                bid(2, PriceSchedule::flat(price("100")), "40", "50"),
                                bid(3, PriceSchedule::flat(price("100")), "30", "50"),
                                flat(4, "50"),
                                flat(5, "40", Regularity::irregular),
                                flat(6, "101", Regularity::received)};
  auto e = evaluate_lot(qty("1"), kCriteria, bids, {});
  const auto& low = find(*e, 4);
  CHECK(low.abnormally_low);
  CHECK(low.rank == 1);
  CHECK_FALSE(low.awardable);
  CHECK(low.reason_code == "bid.price_review.not_requested");
  CHECK(low.reason.find("L2152-6") != std::string::npos);
  CHECK_FALSE(find(*e, 5).rank.has_value());  // irregular: not ranked
  CHECK(find(*e, 5).reason_code == "bid.excluded.irregular");
  CHECK(find(*e, 5).reason == "offre irrégulière : éliminée (L2152-2, R2152-1)");
  CHECK_FALSE(find(*e, 6).awardable);  // received: not checked yet
  CHECK(find(*e, 6).reason_code == "bid.regularity.undecided");
  CHECK(find(*e, 1).reason_code.empty());
  CHECK(find(*e, 1).reason.empty());

  const std::vector<LotLine> lines = {{1, qty("1"), Amount{10000}}};
  auto refused = award_lot(qty("1"), lines, *e, 4);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(award_lot(qty("1"), lines, *e, 5).error().code == ErrorCode::conflict);
  CHECK(award_lot(qty("1"), lines, *e, 99).error().code == ErrorCode::not_found);
  const auto best_awardable = std::find_if(e->bids.begin(), e->bids.end(), [](auto& b) { return b.awardable; })->bid_id;
  CHECK(best_awardable == 1);
  // Issue 16: bid 1 used to be awarded here, passing over bid 4 (ranked first,
  // abnormally low) although nobody had asked it to justify its price. The
  // decision on bid 4 must now be recorded first.
  auto skipped = award_lot(qty("1"), lines, *e, 1);
  REQUIRE_FALSE(skipped.ok());
  CHECK(skipped.error().code == ErrorCode::conflict);
  REQUIRE(skipped.error().fields.size() == 1);
  CHECK(skipped.error().fields[0].field == "bids[4]");

  // Justification accepted: bid 4 competes normally, and ranks first.
  bids[3].price_review = PriceReview::accepted;
  e = evaluate_lot(qty("1"), kCriteria, bids, {});
  CHECK(find(*e, 4).awardable);
  CHECK(award_lot(qty("1"), lines, *e, 1).error().rule == "award.better_bid_awardable");
  CHECK(award_lot(qty("1"), lines, *e, 4).ok());
  // Justification refused: bid 4 leaves the ranking; bid 1 is now the best.
  bids[3].price_review = PriceReview::refused;
  e = evaluate_lot(qty("1"), kCriteria, bids, {});
  CHECK_FALSE(find(*e, 4).rank.has_value());
  CHECK(find(*e, 4).reason_code == "bid.excluded.abnormally_low");
  CHECK(find(*e, 4).reason.find("R2152-4") != std::string::npos);
  CHECK(award_lot(qty("1"), lines, *e, 2).error().code == ErrorCode::conflict);  // 1 ranks higher
  CHECK(award_lot(qty("1"), lines, *e, 1).ok());
}

TEST_CASE("missing scores keep a bid from being awarded") {
  auto b = bid(1, PriceSchedule::flat(price("10")), "50", "50");
  b.scores = {{"technique", score("70")}};
  auto e = evaluate_lot(qty("1"), kCriteria, std::vector{b}, {});
  CHECK_FALSE(e->bids[0].awardable);
  CHECK(e->bids[0].reason_code == "bid.scores_missing");
  CHECK(e->bids[0].reason == "notes manquantes : environnement");
  CHECK(e->bids[0].missing_scores == std::vector<std::string>{"environnement"});
}

TEST_CASE("criteria: weights sum to 100, exactly one price criterion, unique names") {
  CHECK(validate_criteria(kCriteria).ok());
  auto sum = validate_criteria(std::vector<Criterion>{{"prix", 60, true, false}, {"tech", 39, false, false}});
  REQUIRE_FALSE(sum.ok());
  CHECK(sum.error().fields.back().message.find("99") != std::string::npos);
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{{"a", 50, true, false}, {"b", 50, true, false}}).ok());
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{{"a", 50, false, false}, {"b", 50, false, false}}).ok());
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{{"a", 50, true, false}, {"a", 50, false, false}}).ok());
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{{"a", 0, true, false}, {"b", 100, false, false}}).ok());
  CHECK_FALSE(validate_criteria(std::vector<Criterion>{}).ok());
  CHECK_FALSE(evaluate_lot(qty("1"), std::vector<Criterion>{{"prix", 99, true, false}}, {}, {}).ok());
  CHECK_FALSE(parse_score("100.0001", "s").ok());
  CHECK_FALSE(parse_score("-1", "s").ok());
}

TEST_CASE("award: one contract line per member, rounded per line, the total their sum") {
  auto e = evaluate_lot(qty("1000"), kCriteria, three_bids(), {});
  const std::vector<LotLine> lines = {{2, qty("666.667"), Amount{0}}, {1, qty("333.333"), Amount{0}}};
  auto award = award_lot(qty("1000"), lines, *e, 2);
  REQUIRE(award.ok());
  CHECK(award->unit_price == price("9"));
  REQUIRE(award->lines.size() == 2);
  CHECK(award->lines[0].member_id == 1);
  CHECK(award->lines[0].amount.cents == 300000);  // 333.333 × 9 = 2,999.997 → 3,000.00
  CHECK(award->lines[1].amount.cents == 600000);  // 666.667 × 9 = 6,000.003 → 6,000.00
  CHECK(award->total.cents == 900000);
  const std::vector<LotLine> short_lines = {{1, qty("999"), Amount{0}}};
  CHECK_FALSE(award_lot(qty("1000"), short_lines, *e, 2).ok());
  CHECK_FALSE(check_unsuccessful("  ").ok());
  CHECK(check_unsuccessful("aucune offre").ok());
}

// Issue 14, item 3: a bid whose total overflows was accepted, then the lot could
// never be evaluated or awarded, even after the bid was rejected.
TEST_CASE("a bid must price the lot within the largest amount (1,000,000,000,000 €)") {
  // 10,000 units × 100,000,000.0000 € = 1,000,000,000,000.00 €: exactly the largest amount.
  CHECK(check_bid_fits_lot(PriceSchedule::flat(price("100000000.0000")), qty("10000")).ok());
  // One ten-thousandth of a euro more per unit: 1 € beyond.
  auto flat = check_bid_fits_lot(PriceSchedule::flat(price("100000000.0001")), qty("10000"));
  REQUIRE_FALSE(flat.ok());
  CHECK(flat.error().code == ErrorCode::invalid);
  CHECK(flat.error().fields.at(0).field == "unit_price");
  // Tiers: the lot's 5,000 units fall in the 1 € tier (5,000 €), but a member buying
  // 1,999.999 units alone pays the first tier's 1,000,000,000 €: 1,999,999,000,000 €.
  auto tiered = check_bid_fits_lot(tiers({{"0", "1000000000"}, {"2000", "1"}}), qty("5000"));
  REQUIRE_FALSE(tiered.ok());
  CHECK(tiered.error().fields.at(0).field == "tiers[0].unit_price");
  // With the second tier from 1,000 units, the first prices at most 999.999 units:
  // 999,999,000,000 € fits.
  CHECK(check_bid_fits_lot(tiers({{"0", "1000000000"}, {"1000", "1"}}), qty("5000")).ok());
  // A tier beyond the lot's quantity is never reached.
  CHECK(check_bid_fits_lot(tiers({{"0", "1"}, {"6000", "1000000000"}}), qty("5000")).ok());
}

TEST_CASE("a stored bid whose total overflows is excluded alone: the lot is still evaluated") {
  const std::vector<BidInput> bids = {bid(1, PriceSchedule::flat(price("100000000.0001")), "50", "50",
                                          Regularity::irregular),
                                      bid(2, PriceSchedule::flat(price("10")), "80", "80"),
                                      bid(3, PriceSchedule::flat(price("100000000.0001")), "90", "90")};
  auto e = evaluate_lot(qty("10000"), kCriteria, bids, {});
  REQUIRE(e.ok());
  CHECK(find(*e, 2).rank == 1);
  CHECK(find(*e, 2).awardable);
  CHECK(find(*e, 2).total_price == *parse_amount("100000.00", "t"));  // 10,000 × 10 €
  CHECK_FALSE(find(*e, 1).rank.has_value());
  CHECK_FALSE(find(*e, 3).rank.has_value());
  CHECK_FALSE(find(*e, 3).awardable);
  CHECK(find(*e, 3).reason_code == "bid.excluded.beyond_largest_amount");
}
