#pragma once
// Evaluating the bids of one lot (procurement-rules.md, "Award criteria" and
// "Abnormally low tenders"): price at the lot's quantity, price score by the
// tender's formula, the officer's scores for the other criteria, weighted total,
// rank, abnormally-low flags, and whether each bid may be awarded — with why not.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/date.hpp"
#include "engine/money.hpp"
#include "engine/price_schedule.hpp"
#include "engine/result.hpp"

namespace canopee {

// Scores are points from 0 to 100, kept in 1/10,000 of a point.
inline constexpr int kScoreScale = 4;
inline constexpr std::int64_t kMaxScore = 100'0000;
Result<std::int64_t> parse_score(std::string_view text, std::string_view field);
std::string format_score(std::int64_t score);  // "87.5000"

struct Criterion {
  std::string name;
  int weight = 0;         // 1–100; all weights sum to 100
  bool is_price = false;  // exactly one criterion is the price or the life-cycle cost
  bool environmental = false;
  // The cost criterion as a life-cycle cost (R2152-9/10), a global approach that takes
  // environmental characteristics into account: it counts as environmental (R2152-7).
  // Scored like the price, from the bid's price schedule, which then carries the bid's
  // life-cycle cost per unit (procurement.md).
  bool life_cycle_cost = false;

  bool is_cost() const { return is_price || life_cycle_cost; }
  bool takes_environment_into_account() const { return environmental || life_cycle_cost; }
};
// Errors name "criteria[i].…"; `field` prefixes them. Structure only (names, weights,
// one cost criterion), so that stored tenders keep evaluating.
Status validate_criteria(std::span<const Criterion> criteria, std::string_view field = "criteria");

// The legal rules on the criteria (L2152-7, R2152-7), for writes and publication:
// - always: the price criterion is not "environmental" (a price scored by formula
//   takes no environmental characteristic into account): criteria.price_environmental;
// - launched from 2026-08-21 (environmental_criterion_date): a single criterion only if
//   it is a life-cycle cost (criteria.single_not_life_cycle_cost); several criteria
//   with at least one environmental (criteria.environmental_missing).
// `launch_date` empty: the dated rules are not checked (a draft without a launch date).
std::vector<FieldError> award_criteria_rule_errors(std::span<const Criterion> criteria,
                                                   std::optional<Date> launch_date);

enum class PriceFormula : std::uint8_t { proportional, linear };
// How bids with equal weighted totals are separated, announced in the rules of the
// consultation (procurement-rules.md, "Ties"): the better mark on the most heavily
// weighted criterion (the first listed on equal weights; on the price or life-cycle
// cost criterion, the lower total), or the lower total price. Bids still equal are
// then separated only by drawing lots, recorded (never by the order of entry).
enum class TieBreak : std::uint8_t { heaviest_criterion, lowest_price };
enum class AbnormallyLowMethod : std::uint8_t { two_pass_mean, mean_minus_stddev, estimate_ratio };
// The officer's two decisions on a bid (engine/bid_review.hpp holds their state
// machines): its regularity (R2152-1, R2152-2; L2152-2 to L2152-4) and, when its
// price seems abnormally low, the review of the explanations (L2152-6, R2152-3, R2152-4).
enum class Regularity : std::uint8_t {
  received,
  regularisation_requested,
  valid,
  irregular,
  unacceptable,
  inappropriate
};
enum class PriceReview : std::uint8_t { none, questioned, requested, answered, accepted, refused };
bool is_rejection(Regularity regularity);  // irregular, unacceptable or inappropriate: eliminated
bool is_pending(PriceReview review);       // questioned, requested or answered: no decision yet

std::string_view to_string(PriceFormula formula);
std::string_view to_string(TieBreak tie_break);
Result<TieBreak> parse_tie_break(std::string_view text, std::string_view field);
std::string_view to_string(AbnormallyLowMethod method);
std::string_view to_string(Regularity regularity);
std::string_view to_string(PriceReview review);
Result<PriceFormula> parse_price_formula(std::string_view text, std::string_view field);
Result<AbnormallyLowMethod> parse_abnormally_low_method(std::string_view text, std::string_view field);
Result<Regularity> parse_regularity(std::string_view text, std::string_view field);
Result<PriceReview> parse_price_review(std::string_view text, std::string_view field);

struct CriterionScore {
  std::string criterion;
  std::int64_t score = 0;  // 1/10,000 point
};

struct BidInput {
  std::int64_t bid_id = 0;
  std::int64_t supplier_id = 0;
  Regularity regularity = Regularity::received;
  PriceSchedule schedule = PriceSchedule::flat(UnitPrice{0});
  std::vector<CriterionScore> scores;  // the non-price criteria, as recorded so far
  PriceReview price_review = PriceReview::none;
};

// A drawing of lots among tied bids, as recorded: the bids in the order drawn
// (the first drawn ranks first).
struct TieDraw {
  std::int64_t id = 0;
  std::vector<std::int64_t> order;
};

struct EvaluationOptions {
  PriceFormula formula = PriceFormula::proportional;
  AbnormallyLowMethod method = AbnormallyLowMethod::two_pass_mean;
  std::optional<Amount> estimate;   // the officer's estimate for the lot (estimate_ratio)
  int estimate_ratio_percent = 70;  // flag below this share of the estimate (unconfirmed practice)
  TieBreak tie_break = TieBreak::heaviest_criterion;
  // The draws recorded on the lot, oldest first: a tie is settled by the latest draw
  // that holds every bid of the tie (their relative order in it).
  std::vector<TieDraw> draws;
};

// How a ranked bid was placed among bids with the same weighted total.
enum class TieOutcome : std::uint8_t {
  none,                // its weighted total is its own
  heaviest_criterion,  // separated by the mark on the heaviest criterion
  lowest_price,        // separated by the lower total price
  draw,                // separated by the recorded draw
  draw_needed,         // still tied: shares its rank until lots are drawn
};
std::string_view to_string(TieOutcome outcome);

struct BidEvaluation {
  std::int64_t bid_id = 0;
  std::int64_t supplier_id = 0;
  UnitPrice unit_price;          // at the lot's total quantity
  Amount total_price;            // the lot's quantity × unit_price
  std::int64_t price_score = 0;  // 1/10,000 point, rounded for display
  std::vector<CriterionScore> scores;
  std::int64_t weighted_total = 0;  // Σ weight × score / 100, rounded for display
  std::optional<int> rank;          // 1 = best, tied bids share one; none for excluded bids
  TieOutcome tie = TieOutcome::none;
  // The other bids of its equal weighted total, by id; when still tied (draw_needed),
  // only those it shares its rank with.
  std::vector<std::int64_t> tied_with;
  std::int64_t draw_id = 0;  // the draw that placed it (tie == draw)
  // As detected among the ranked bids; an eliminated bid keeps, for the record, the flag
  // and the marks its price has among them (the ranked bids' figures are never changed by it).
  bool abnormally_low = false;
  // Out of the ranking (rejected, explanations refused, or beyond the largest amount): no rank.
  bool eliminated = false;
  bool awardable = false;
  // Why not awardable (both empty when it is): a stable code for programs
  // ("bid.excluded.irregular", "bid.price_review.not_requested", …) and the French text.
  std::string reason_code;
  std::string reason;
  // The decisions recorded on the bid, as they stood for this evaluation.
  Regularity regularity = Regularity::received;
  PriceReview price_review = PriceReview::none;
  bool scores_complete = true;              // every non-price criterion scored
  std::vector<std::string> missing_scores;  // the criteria not scored yet, in the tender's order
};

struct LotEvaluation {
  std::vector<BidEvaluation> bids;  // ranked bids in rank order (by id within a tie), then excluded ones by id
  // The ties only a draw can settle, each the tied bids by id, best rank first.
  std::vector<std::vector<std::int64_t>> ties_to_draw;
  std::vector<std::string> warnings;
};

// A bid is recorded on a lot only if it prices any part of the lot's quantity
// within the largest amount (kMaxAmount): the lot's total, each member's contract
// and standalone cost, every coalition's cost are then computable. The error
// names "unit_price" (a flat price) or "tiers[i].unit_price".
Status check_bid_fits_lot(const PriceSchedule& schedule, Quantity lot_quantity);

// A bid whose total is beyond the largest amount anyway (stored before that
// check) is excluded from the ranking with the reason; the others are evaluated.
// Ranking compares exact weighted totals (fractions), then applies the tender's
// tie-break, then the recorded draw. Bids still tied share a rank and are not
// awardable ("bid.tie.draw_needed") until lots are drawn.
Result<LotEvaluation> evaluate_lot(Quantity lot_quantity, std::span<const Criterion> criteria,
                                   std::span<const BidInput> bids, const EvaluationOptions& options);

// A draw may be recorded for exactly the bids of one tie in `ties_to_draw`, each
// with its final decisions (regular, no price review pending, every score given),
// with its minutes (procès-verbal, at most kMaxDrawMinutes code points): 400/409
// with "draw.*" codes otherwise. `order` is the drawn order.
inline constexpr std::size_t kMaxDrawMinutes = 4000;
// The bids a draw is asked for: those named, or — none named — the lot's only tie
// (400 draw.order_required when it has several; check_draw then says the rest).
Result<std::vector<std::int64_t>> bids_to_draw(const LotEvaluation& evaluation, std::span<const std::int64_t> named);
Status check_draw(const LotEvaluation& evaluation, std::span<const std::int64_t> order, std::string_view minutes);

}  // namespace canopee
