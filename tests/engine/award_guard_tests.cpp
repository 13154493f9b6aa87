// Issue 16, item 1: an award never passes over a better-ranked bid that has no
// final decision (L2152-6, R2152-1 to R2152-4; CJEU 29 March 2012 C-599/10).
// Criteria: price 60, technique 30, environment 10; every bid scores 50 and 50
// on the others (20 points) unless said, so the cheaper bid ranks higher; one unit
// per lot, so a bid's total is its unit price.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/award.hpp"
#include "engine/evaluation.hpp"

using namespace canopee;

namespace {

const std::vector<Criterion> kCriteria = {{"prix", 60, true, false},
                                          {"technique", 30, false, false},
                                          {"environnement", 10, false, true}};
const std::vector<LotLine> kLines = {{1, *parse_quantity("1", "q"), Amount{10000}}};

BidInput bid(std::int64_t id, const char* unit_price, Regularity status = Regularity::valid,
             PriceReview review = PriceReview::none) {
  BidInput b;
  b.bid_id = id;
  b.supplier_id = 100 + id;
  b.regularity = status;
  b.schedule = PriceSchedule::flat(*parse_unit_price(unit_price, "p"));
  b.scores = {{"technique", *parse_score("50", "s")}, {"environnement", *parse_score("50", "s")}};
  b.price_review = review;
  return b;
}

// Bids equal in everything share a rank (a draw would settle them): a lower mark
// on technique places a bid below the others at the same price.
BidInput technique(BidInput b, const char* mark) {
  b.scores[0].score = *parse_score(mark, "s");
  return b;
}

LotEvaluation evaluate(const std::vector<BidInput>& bids) {
  auto e = evaluate_lot(*parse_quantity("1", "q"), kCriteria, bids, {});
  REQUIRE(e.ok());
  return *e;
}

const BidEvaluation& find(const LotEvaluation& e, std::int64_t id) {
  return *std::find_if(e.bids.begin(), e.bids.end(), [&](const BidEvaluation& b) { return b.bid_id == id; });
}

std::vector<std::string> codes(const BlockingBid& b) {
  std::vector<std::string> out;
  for (const auto& r : b.reasons) out.emplace_back(to_string(r.code));
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("award guard: the flag's exact edge decides whether the cheaper bid blocks") {
  // Three bids at 100 € and one at x: m1 = (300 + x) / 4, every bid within 120 % of
  // it, so m2 = m1; x is flagged when x < 0.9 × (300 + x) / 4, i.e. 3.1 x < 270,
  // x < 87.0967… € (two_pass_mean).
  SUBCASE("87.09 €: flagged (3.1 × 87.09 = 269.979 < 270), never asked: blocks") {
    const auto e = evaluate(
        {bid(1, "100"), technique(bid(2, "100"), "40"), technique(bid(3, "100"), "30"), bid(4, "87.09")});
    REQUIRE(find(e, 4).abnormally_low);
    CHECK(find(e, 4).rank == 1);
    CHECK(find(e, 1).rank == 2);
    const auto blocking = undecided_better_bids(e, 1);
    REQUIRE(blocking.size() == 1);
    CHECK(blocking[0].bid_id == 4);
    CHECK(blocking[0].rank == 1);
    CHECK(codes(blocking[0]) == V{"abnormally_low_not_requested"});
    CHECK(blocking[0].reasons[0].message.find("L2152-6") != std::string::npos);
    CHECK(blocking[0].reasons[0].message.find("C-599/10") != std::string::npos);

    auto refused = award_lot(*parse_quantity("1", "q"), kLines, e, 1);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::conflict);
    CHECK(refused.error().message.find("L2152-6") != std::string::npos);
    REQUIRE(refused.error().fields.size() == 1);
    CHECK(refused.error().fields[0].field == "bids[4]");
    CHECK(refused.error().fields[0].code == "award.block.abnormally_low_not_requested");
    CHECK(refused.error().fields[0].message.starts_with(
        "classée 1re : offre paraissant anormalement basse, sans demande d’explications"));
    // The bid itself cannot be awarded before its decision either.
    CHECK_FALSE(award_lot(*parse_quantity("1", "q"), kLines, e, 4).ok());
  }
  SUBCASE("87.10 €: not flagged (3.1 × 87.10 = 270.01): it ranks first and must be awarded") {
    const auto e = evaluate(
        {bid(1, "100"), technique(bid(2, "100"), "40"), technique(bid(3, "100"), "30"), bid(4, "87.10")});
    CHECK_FALSE(find(e, 4).abnormally_low);
    CHECK(find(e, 4).awardable);
    CHECK(undecided_better_bids(e, 1).empty());
    auto refused = award_lot(*parse_quantity("1", "q"), kLines, e, 1);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().rule == "award.better_bid_awardable");
    CHECK(award_lot(*parse_quantity("1", "q"), kLines, e, 4).ok());
  }
}

TEST_CASE("award guard: each missing decision is named, with its code and article") {
  // Totals: 4 (60 €) 60 + 20 = 80; 5 (80 €) 45 + 20 = 65; 2 (95 €) 37.8947 + 20 = 57.8947;
  // 6 (85 €, the environment score not recorded) 42.3529 + 15 = 57.3529; 1 and 3 (100 €)
  // 36 + 20 = 56: a tie the tie-break (price, the heaviest) does not settle.
  std::vector<BidInput> bids = {bid(1, "100"),
                                bid(2, "95", Regularity::received),
                                bid(3, "100", Regularity::received),
                                bid(4, "60", Regularity::received),
                                bid(5, "80", Regularity::valid, PriceReview::accepted),
                                bid(6, "85")};
  bids[5].scores = {{"technique", *parse_score("50", "s")}};
  // Flags: m1 = 520 / 6 = 86.67, every bid within 104 €, m2 = m1; flagged below 78 €: bid 4 only.
  // Bid 5 was questioned by the officer and its explanations accepted.
  auto e = evaluate(bids);
  REQUIRE(find(e, 4).abnormally_low);
  REQUIRE_FALSE(find(e, 5).abnormally_low);
  CHECK(find(e, 5).rank == 2);
  CHECK(find(e, 6).rank == 4);
  CHECK(find(e, 1).rank == 5);
  CHECK(find(e, 3).rank == 5);  // same total and price as bid 1: they share the rank
  CHECK(find(e, 1).tie == TieOutcome::draw_needed);

  const auto blocking = undecided_better_bids(e, 1);
  REQUIRE(blocking.size() == 3);
  CHECK(blocking[0].bid_id == 4);  // best first
  CHECK(codes(blocking[0]) == V{"regularity_undecided", "abnormally_low_not_requested"});
  CHECK(blocking[0].reasons[0].message.find("R2152-1") != std::string::npos);
  // Bid 5 (rank 2) is decided: valid, its explanations accepted.
  CHECK(blocking[1].bid_id == 2);
  CHECK(codes(blocking[1]) == V{"regularity_undecided"});
  CHECK(blocking[2].bid_id == 6);
  CHECK(codes(blocking[2]) == V{"scores_missing"});
  CHECK(blocking[2].reasons[0].message.find("environnement") != std::string::npos);
  // Bid 3 shares bid 1's rank: it is not better ranked and does not block bid 1.

  auto refused = award_lot(*parse_quantity("1", "q"), kLines, e, 1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().rule == "award.better_bid_undecided");
  const std::vector<FieldError> expected = {
      {"bids[4]", "classée 1re : " + blocking[0].reasons[0].message, "award.block.regularity_undecided"},
      {"bids[4]", "classée 1re : " + blocking[0].reasons[1].message, "award.block.abnormally_low_not_requested"},
      {"bids[2]", "classée 3e : " + blocking[1].reasons[0].message, "award.block.regularity_undecided"},
      {"bids[6]", "classée 4e : " + blocking[2].reasons[0].message, "award.block.scores_missing"}};
  CHECK(refused.error().fields == expected);

  // Explanations asked: still no decision.
  bids[3].price_review = PriceReview::requested;
  e = evaluate(bids);
  CHECK(codes(undecided_better_bids(e, 1)[0]) == V{"regularity_undecided", "abnormally_low_undecided"});
  CHECK(undecided_better_bids(e, 1)[0].reasons[1].message.find("R2152-4") != std::string::npos);

  // Final decisions: bid 4's justification refused (R2152-4), bid 6 scored, bid 2
  // rejected as irregular. Nothing blocks bid 1 any more. Bid 5 now ranks first
  // (60 + 20 = 80) and is flagged (m1 = 91.25 €, 80 € < 82.125 €), but its
  // justification was accepted: it competes normally and the lot goes to it.
  bids[3].price_review = PriceReview::refused;
  bids[3].regularity = Regularity::valid;
  bids[5].scores.push_back({"environnement", *parse_score("50", "s")});
  bids[1].regularity = Regularity::irregular;
  e = evaluate(bids);
  CHECK(undecided_better_bids(e, 1).size() == 0);
  // Bid 1 is still tied with bid 3 (not drawn): it cannot be chosen.
  auto tied = award_lot(*parse_quantity("1", "q"), kLines, e, 1);
  CHECK(tied.error().rule == "award.bid_not_awardable");
  CHECK(tied.error().fields.at(0).code == "bid.tie.draw_needed");
  CHECK(find(e, 5).rank == 1);
  CHECK(find(e, 5).abnormally_low);
  CHECK(award_lot(*parse_quantity("1", "q"), kLines, e, 5).ok());
  // Bid 3 eliminated as well: bid 1 is no longer tied, but bid 5 ranks higher.
  bids[2].regularity = Regularity::irregular;
  e = evaluate(bids);
  CHECK(award_lot(*parse_quantity("1", "q"), kLines, e, 1).error().rule == "award.better_bid_awardable");
}

TEST_CASE("award guard: a justification accepted competes normally and wins when it ranks first") {
  std::vector<BidInput> bids = {bid(1, "100"), technique(bid(2, "100"), "40"), technique(bid(3, "100"), "30"),
                                bid(4, "50", Regularity::valid, PriceReview::accepted)};
  auto e = evaluate(bids);
  CHECK(find(e, 4).abnormally_low);  // still flagged: the formula is a detection aid
  CHECK(find(e, 4).awardable);
  CHECK(undecided_better_bids(e, 1).empty());
  CHECK_FALSE(award_lot(*parse_quantity("1", "q"), kLines, e, 1).ok());  // 4 ranks higher
  CHECK(award_lot(*parse_quantity("1", "q"), kLines, e, 4).ok());

  // The only bid above is irregular, or beyond the largest amount: final, nothing blocks.
  bids[3].regularity = Regularity::irregular;
  e = evaluate(bids);
  CHECK(undecided_better_bids(e, 1).empty());
  CHECK(award_lot(*parse_quantity("1", "q"), kLines, e, 1).ok());

  // Every ranked bid is listed when the chosen one is not ranked.
  bids[0].regularity = Regularity::received;
  e = evaluate(bids);
  const auto all = undecided_better_bids(e, 4);
  REQUIRE(all.size() == 1);
  CHECK(all[0].bid_id == 1);
  CHECK(to_string(AwardBlock::abnormally_low_undecided) == "abnormally_low_undecided");
  CHECK(to_string(AwardBlock::scores_missing) == "scores_missing");
}
