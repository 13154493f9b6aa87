// Issue 16, item 10: bids with equal weighted totals are separated by the rule the
// consultation announced (the heaviest criterion, or the lowest price), then only
// by a recorded draw — never by the order they were typed in
// (procurement-rules.md, "Ties"). Every figure below is computed by hand; one unit
// per lot, so a bid's total is its unit price.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/award.hpp"
#include "engine/bid_review.hpp"
#include "engine/evaluation.hpp"

using namespace canopee;

namespace {

Quantity one() { return *parse_quantity("1", "q"); }

BidInput bid(std::int64_t id, const char* unit_price, std::vector<std::pair<const char*, const char*>> marks) {
  BidInput b;
  b.bid_id = id;
  b.supplier_id = 100 + id;
  b.regularity = Regularity::valid;
  b.schedule = PriceSchedule::flat(*parse_unit_price(unit_price, "p"));
  for (auto [criterion, mark] : marks) b.scores.push_back({criterion, *parse_score(mark, "s")});
  return b;
}

LotEvaluation evaluate(std::span<const Criterion> criteria, const std::vector<BidInput>& bids,
                       EvaluationOptions options = {}) {
  auto e = evaluate_lot(one(), criteria, bids, options);
  REQUIRE(e.ok());
  return *e;
}

const BidEvaluation& find(const LotEvaluation& e, std::int64_t id) {
  return *std::find_if(e.bids.begin(), e.bids.end(), [&](const BidEvaluation& b) { return b.bid_id == id; });
}

std::vector<std::int64_t> order_of(const LotEvaluation& e) {
  std::vector<std::int64_t> ids;
  for (const auto& b : e.bids) ids.push_back(b.bid_id);
  return ids;
}

using Ids = std::vector<std::int64_t>;
constexpr std::string_view kMinutes = "Tirage au sort le 2 décembre 2026 en présence de la commission";
const std::vector<LotLine> kLines = {{1, *parse_quantity("1", "q"), Amount{10000}}};

}  // namespace

TEST_CASE("tie-break: the heaviest criterion is technique, so the better technical mark wins the tie") {
  // Price 40, technique 60. A (1) at 100 €: price score 100 × 85/100 = 85 → 34, technique 60 → 36: 70.
  // B (2) at 85 €: price score 100 → 40, technique 50 → 30: 70. Equal totals.
  const std::vector<Criterion> criteria = {{"prix", 40, true, false}, {"technique", 60, false, true}};
  const std::vector<BidInput> bids = {bid(2, "85", {{"technique", "50"}}), bid(1, "100", {{"technique", "60"}})};
  auto e = evaluate(criteria, bids);
  CHECK(find(e, 1).weighted_total == 70'0000);
  CHECK(find(e, 2).weighted_total == 70'0000);
  CHECK(order_of(e) == Ids{1, 2});
  CHECK(find(e, 1).rank == 1);
  CHECK(find(e, 2).rank == 2);
  CHECK(find(e, 1).tie == TieOutcome::heaviest_criterion);
  CHECK(find(e, 1).tied_with == Ids{2});
  CHECK(find(e, 1).awardable);
  CHECK(e.ties_to_draw.empty());

  SUBCASE("announced as the lowest price instead: the cheaper bid wins") {
    EvaluationOptions options;
    options.tie_break = TieBreak::lowest_price;
    e = evaluate(criteria, bids, options);
    CHECK(order_of(e) == Ids{2, 1});
    CHECK(find(e, 2).tie == TieOutcome::lowest_price);
  }
  SUBCASE("on equal weights the first listed criterion is the heaviest") {
    // Price 50, technique 50: A 42.5 + 30 = 72.5; B 50 + 25 = 75: no tie any more; make
    // B's technique 45 → 22.5 + 50 = 72.5. Price listed first: the lower price wins.
    const std::vector<Criterion> even = {{"prix", 50, true, false}, {"technique", 50, false, true}};
    e = evaluate(even, {bid(1, "100", {{"technique", "60"}}), bid(2, "85", {{"technique", "45"}})});
    CHECK(find(e, 1).weighted_total == find(e, 2).weighted_total);
    CHECK(order_of(e) == Ids{2, 1});
    CHECK(find(e, 2).tie == TieOutcome::lowest_price);
    const std::vector<Criterion> technique_first = {{"technique", 50, false, true}, {"prix", 50, true, false}};
    e = evaluate(technique_first, {bid(1, "100", {{"technique", "60"}}), bid(2, "85", {{"technique", "45"}})});
    CHECK(order_of(e) == Ids{1, 2});
    CHECK(find(e, 1).tie == TieOutcome::heaviest_criterion);
  }
}

TEST_CASE("tie-break: equal on the heaviest criterion too, only a draw separates the bids") {
  // Price 30, technique 40, délai 30. A (1) at 100 €: price 90 → 27, technique 50 → 20,
  // délai 60 → 18: 65. B (2) at 90 €: price 100 → 30, technique 50 → 20, délai 50 → 15: 65.
  // Same technique mark: the announced rule does not separate them, the prices would.
  // C (3) at 95 €: price 94.7368… → 28.42…, technique 40 → 16, délai 40 → 12: 56.42….
  // No flag: m1 = m2 = 95 €, 0.9 × 95 = 85.50 € < 90 €.
  const std::vector<Criterion> criteria = {{"prix", 30, true, false},
                                           {"technique", 40, false, false},
                                           {"délai", 30, false, true}};
  const std::vector<BidInput> bids = {bid(1, "100", {{"technique", "50"}, {"délai", "60"}}),
                                      bid(2, "90", {{"technique", "50"}, {"délai", "50"}}),
                                      bid(3, "95", {{"technique", "40"}, {"délai", "40"}})};
  auto e = evaluate(criteria, bids);
  CHECK(find(e, 1).weighted_total == 65'0000);
  CHECK(find(e, 2).weighted_total == 65'0000);
  CHECK(find(e, 1).rank == 1);
  CHECK(find(e, 2).rank == 1);
  CHECK(find(e, 3).rank == 3);  // "1, 1, 3": the tie takes two places
  CHECK(find(e, 1).tie == TieOutcome::draw_needed);
  CHECK(find(e, 1).tied_with == Ids{2});
  CHECK_FALSE(find(e, 1).awardable);
  CHECK(find(e, 1).reason_code == "bid.tie.draw_needed");
  CHECK(find(e, 1).reason.find("n° 1 et n° 2") != std::string::npos);
  CHECK(find(e, 3).tie == TieOutcome::none);
  CHECK(find(e, 3).awardable);  // awardable in itself, but not the best
  REQUIRE(e.ties_to_draw.size() == 1);
  CHECK(e.ties_to_draw[0] == Ids{1, 2});
  // Neither tied bid can be awarded, nor the third passed over them.
  CHECK(award_lot(one(), kLines, e, 1).error().fields.at(0).code == "bid.tie.draw_needed");
  auto passed_over = award_lot(one(), kLines, e, 3);
  REQUIRE_FALSE(passed_over.ok());
  CHECK(passed_over.error().rule == "award.better_bid_undecided");
  REQUIRE(passed_over.error().fields.size() == 2);
  CHECK(passed_over.error().fields[0].field == "bids[1]");
  CHECK(passed_over.error().fields[0].code == "award.block.draw_needed");
  CHECK(passed_over.error().fields[0].message.starts_with("classée 1re : ex aequo avec l’offre n° 2"));
  CHECK(passed_over.error().fields[1].field == "bids[2]");

  SUBCASE("the lowest price as the announced rule separates them") {
    EvaluationOptions options;
    options.tie_break = TieBreak::lowest_price;
    e = evaluate(criteria, bids, options);
    CHECK(order_of(e) == Ids{2, 1, 3});
    CHECK(find(e, 2).rank == 1);
    CHECK(find(e, 1).rank == 2);
    CHECK(e.ties_to_draw.empty());
  }
  SUBCASE("the recorded draw gives the order; the loser of the draw is then passed over lawfully") {
    REQUIRE(check_draw(e, Ids{2, 1}, kMinutes).ok());
    EvaluationOptions options;
    options.draws = {{41, {2, 1}}};
    e = evaluate(criteria, bids, options);
    CHECK(order_of(e) == Ids{2, 1, 3});
    CHECK(find(e, 2).rank == 1);
    CHECK(find(e, 1).rank == 2);
    CHECK(find(e, 2).tie == TieOutcome::draw);
    CHECK(find(e, 2).draw_id == 41);
    CHECK(find(e, 1).awardable);
    CHECK(e.ties_to_draw.empty());
    CHECK(award_lot(one(), kLines, e, 2).ok());
    CHECK(award_lot(one(), kLines, e, 1).error().rule == "award.better_bid_awardable");
  }
}

TEST_CASE("tie-break: a draw settles the tie among the bids it holds, whatever happens to the others") {
  // Three bids equal in everything (100 €, technique 50): a three-way tie.
  const std::vector<Criterion> criteria = {{"prix", 60, true, false}, {"technique", 40, false, true}};
  std::vector<BidInput> bids = {bid(1, "100", {{"technique", "50"}}), bid(2, "100", {{"technique", "50"}}),
                                bid(3, "100", {{"technique", "50"}})};
  auto e = evaluate(criteria, bids);
  REQUIRE(e.ties_to_draw.size() == 1);
  CHECK(e.ties_to_draw[0] == Ids{1, 2, 3});
  CHECK(find(e, 2).tied_with == Ids{1, 3});
  // Only the whole tie can be drawn.
  CHECK(check_draw(e, Ids{1, 2}, kMinutes).error().rule == "draw.not_a_tie");
  CHECK(check_draw(e, Ids{1, 2}, kMinutes).error().message.find("n° 1, n° 2 et n° 3") != std::string::npos);
  CHECK(check_draw(e, Ids{3, 1, 2}, kMinutes).ok());

  EvaluationOptions options;
  options.draws = {{7, {3, 1, 2}}};
  e = evaluate(criteria, bids, options);
  CHECK(order_of(e) == Ids{3, 1, 2});
  CHECK(find(e, 2).rank == 3);

  // Bid 3 later eliminated (its regularisation failed, say): bids 1 and 2 keep the
  // order the draw gave them.
  bids[2].regularity = Regularity::irregular;
  e = evaluate(criteria, bids, options);
  CHECK(order_of(e) == Ids{1, 2, 3});
  CHECK(find(e, 1).rank == 1);
  CHECK(find(e, 1).tie == TieOutcome::draw);

  // A fourth bid joins the tie (an irregular offer regularised, R2152-2; marks are
  // frozen once lots are drawn): the old draw does not hold it, a new one is needed.
  bids[2].regularity = Regularity::valid;
  bids.push_back(bid(4, "100", {{"technique", "50"}}));
  e = evaluate(criteria, bids, options);
  REQUIRE(e.ties_to_draw.size() == 1);
  CHECK(e.ties_to_draw[0] == Ids{1, 2, 3, 4});
  CHECK(find(e, 3).tie == TieOutcome::draw_needed);

  // The latest draw holding every tied bid wins over older ones.
  options.draws.push_back({8, {4, 2, 3, 1}});
  e = evaluate(criteria, bids, options);
  CHECK(order_of(e) == Ids{4, 2, 3, 1});
  CHECK(find(e, 4).draw_id == 8);
}

TEST_CASE("tie-break: a draw is refused when it is malformed or the tied bids are not decided") {
  const std::vector<Criterion> criteria = {{"prix", 60, true, false}, {"technique", 40, false, true}};
  std::vector<BidInput> bids = {bid(1, "100", {{"technique", "50"}}), bid(2, "100", {{"technique", "50"}}),
                                bid(3, "90", {{"technique", "20"}})};
  // 3: 60 + 8 = 68; 1 and 2: 54 + 20 = 74. Bid 3 ranks 3rd, alone.
  bids[1].regularity = Regularity::received;
  auto e = evaluate(criteria, bids);
  CHECK(check_draw(e, Ids{1}, kMinutes).error().rule == "draw.order_too_short");
  CHECK(check_draw(e, Ids{1, 2}, "").error().rule == "draw.minutes_missing");
  CHECK(check_draw(e, Ids{1, 2}, " \u00a0\n").error().rule == "draw.minutes_missing");
  CHECK(check_draw(e, Ids{1, 2}, "pv\x01").error().rule == "text.malformed");
  CHECK(check_draw(e, Ids{1, 2}, std::string(4000, 'x')).error().rule != "text.too_long");
  CHECK(check_draw(e, Ids{1, 2}, std::string(4001, 'x')).error().rule == "text.too_long");
  CHECK(check_draw(e, Ids{}, kMinutes).error().code == ErrorCode::invalid);
  CHECK(check_draw(e, Ids{1, 1}, kMinutes).error().rule == "draw.order_duplicate");
  CHECK(check_draw(e, Ids{1, 3}, kMinutes).error().rule == "draw.not_a_tie");
  CHECK(check_draw(e, Ids{1, 99}, kMinutes).error().rule == "draw.not_a_tie");
  auto undecided = check_draw(e, Ids{2, 1}, kMinutes);
  REQUIRE_FALSE(undecided.ok());
  CHECK(undecided.error().code == ErrorCode::conflict);
  CHECK(undecided.error().rule == "draw.bids_undecided");
  REQUIRE(undecided.error().fields.size() == 1);
  CHECK(undecided.error().fields[0].field == "bids[2]");
  CHECK(undecided.error().fields[0].code == "bid.regularity.undecided");

  // No tie at all on the lot.
  bids[1].scores[0].score = *parse_score("10", "s");
  e = evaluate(criteria, bids);
  CHECK(e.ties_to_draw.empty());
  CHECK(check_draw(e, Ids{1, 2}, kMinutes).error().message.starts_with("aucune égalité"));
  CHECK(check_draw(e, Ids{}, kMinutes).error().rule == "draw.not_a_tie");
}

TEST_CASE("tie-break: names are stable") {
  CHECK(to_string(TieBreak::heaviest_criterion) == "heaviest_criterion");
  CHECK(to_string(TieBreak::lowest_price) == "lowest_price");
  CHECK(parse_tie_break("lowest_price", "tie_break").value() == TieBreak::lowest_price);
  CHECK(parse_tie_break("receipt_order", "tie_break").error().fields.at(0).field == "tie_break");
  CHECK(to_string(TieOutcome::draw_needed) == "draw_needed");
}

TEST_CASE("marks: a mark given changes after the opening only with a reason, and none once lots were drawn") {
  const auto s = [](const char* criterion, const char* mark) {
    return CriterionScore{criterion, *parse_score(mark, "s")};
  };
  const std::vector<CriterionScore> before = {s("technique", "50")};
  // Before the opening, marks move freely.
  CHECK(check_score_change(before, {s("technique", "50.01")}, false, false, "").ok());
  // Unchanged: nothing to say, drawn or not.
  CHECK(check_score_change(before, before, true, true, "").ok());
  // After the opening: a first mark needs no reason, a changed or removed one does.
  CHECK(check_score_change(before, {s("technique", "50"), s("délai", "40")}, true, false, "").ok());
  CHECK(check_score_change(before, {s("technique", "50.01")}, true, false, "").error().rule ==
        "bid.scores.reason_required");
  CHECK(check_score_change(before, {}, true, false, " \u00a0").error().rule == "bid.scores.reason_required");
  CHECK(
      check_score_change(before, {s("technique", "50.01")}, true, false, "erreur de report du rapport d’analyse").ok());
  // Lots drawn on the lot: frozen, reason or not — a one-hundredth would undo the draw.
  const auto frozen = check_score_change(before, {s("technique", "50.01")}, true, true, "motif");
  CHECK(frozen.error().code == ErrorCode::conflict);
  CHECK(frozen.error().rule == "bid.scores_frozen_by_draw");
  CHECK(check_score_change(before, {s("technique", "50"), s("délai", "40")}, true, true, "").error().rule ==
        "bid.scores_frozen_by_draw");
}

TEST_CASE("tie-break: a server draw without named bids takes the lot's only tie, and asks when there are several") {
  // Price 60, technique 40, all at 100 €: bids 1 and 2 at technique 50 (74 points), bids 3 and 4
  // at technique 30 (66 points): two ties.
  const std::vector<Criterion> criteria = {{"prix", 60, true, false}, {"technique", 40, false, true}};
  std::vector<BidInput> bids = {bid(1, "100", {{"technique", "50"}}), bid(2, "100", {{"technique", "50"}}),
                                bid(3, "100", {{"technique", "30"}}), bid(4, "100", {{"technique", "30"}})};
  auto e = evaluate(criteria, bids);
  REQUIRE(e.ties_to_draw.size() == 2);
  CHECK(bids_to_draw(e, Ids{}).error().rule == "draw.order_required");
  CHECK(bids_to_draw(e, Ids{4, 3}).value() == Ids{4, 3});  // named: as named, checked by check_draw
  bids[3].scores[0].score = *parse_score("20", "s");       // bid 4 at 62 points: one tie left
  e = evaluate(criteria, bids);
  REQUIRE(e.ties_to_draw.size() == 1);
  CHECK(bids_to_draw(e, Ids{}).value() == Ids{1, 2});
}
