#pragma once
// The officer's decisions on a bid, as two recorded state machines
// (procurement-rules.md, "Abnormally low tenders"):
//
//   regularity    received ─┬─> valid
//                           ├─> irregular | unacceptable | inappropriate   (a reason; eliminated, R2152-1)
//                           └─> regularisation_requested ──> valid | irregular   (R2152-2)
//                 valid ──> irregular | unacceptable | inappropriate       (found later, before the award)
//
//   price review  none ──> questioned            (the officer's doubt, without the formula: CE n° 366606)
//                 none | questioned ──> requested   (the written request and its deadline: L2152-6, R2152-3)
//                 requested ──> answered            (the day the explanations arrived)
//                 answered ──> accepted | refused   (refused: the R2152-3 items not accounted for; R2152-4)
//                 requested ──> refused             (no answer by the deadline)
//
// A decision is taken once the bids are opened (the tender closed) and while the
// lot is open. Each one is checked here; the repository records it with its
// date and author, on the bid and in its history.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/evaluation.hpp"
#include "engine/result.hpp"

namespace canopee {

// Named after the state each one leads to.
enum class BidDecisionKind : std::uint8_t {
  valid,
  regularisation_requested,
  irregular,
  unacceptable,
  inappropriate,
  price_questioned,
  explanations_requested,
  explanations_received,
  explanations_accepted,
  explanations_refused,
};
std::string_view to_string(BidDecisionKind kind);
Result<BidDecisionKind> parse_bid_decision_kind(std::string_view text, std::string_view field);

// R2152-3: what the explanations of a low price may bear on (1° to 5°).
inline constexpr int kExplanationGrounds = 5;
std::string_view explanation_ground_label(int ground);  // "1° le mode de fabrication…"

inline constexpr std::size_t kMaxDecisionText = 4000;

struct BidDecision {
  BidDecisionKind kind = BidDecisionKind::valid;
  std::string reason{};               // the officer's reasons (rejections, doubt, acceptance, refusal)
  std::string request{};              // the written request sent to the bidder (regularisation, explanations)
  std::optional<Date> deadline{};     // the bidder's deadline to answer that request
  std::optional<Date> received_on{};  // the day the explanations arrived
  std::vector<int> grounds{};         // explanations_refused: the R2152-3 items not accounted for, ascending
};

// One decision as recorded: what the officer decided, when and who.
struct BidDecisionRecord {
  std::int64_t id = 0;
  BidDecision decision;
  std::string recorded_at;  // RFC 3339 UTC
  std::int64_t author_user_id = 0;
  std::string author_name;
};

// What the bid carries between decisions.
struct BidReview {
  Regularity regularity = Regularity::received;
  PriceReview price_review = PriceReview::none;
  std::optional<Date> requested_on;  // the day the pending request (regularisation or explanations) was sent
  std::optional<Date> deadline;      // its deadline
  bool operator==(const BidReview&) const = default;
};

struct DecisionContext {
  bool tender_closed = true;            // bids are opened: the tender is closed
  bool lot_open = true;                 // not awarded nor declared unsuccessful
  bool flagged_abnormally_low = false;  // the lot's evaluation flags the bid today
  Date today;
};

// The review after `decision`, or why the decision cannot be taken: a conflict
// (code "bid.decision.<…>") when the state forbids it, invalid input naming the
// field ("reason", "request", "deadline", "received_on", "grounds") otherwise.
// Messages are French and cite their article.
Result<BidReview> decide(const BidReview& current, const BidDecision& decision, const DecisionContext& context);

// Whether the marks of a bid may change from `before` to `after` (the non-price
// criteria; the ranking rests on them):
// - never once lots were drawn on its lot (409 bid.scores_frozen_by_draw): the draw
//   settled a tie on these very marks, and moving one would undo or dodge it;
// - after the bids were opened (`opened`), a mark already given changes only with a
//   reason, kept in the audit trail (400 bid.scores.reason_required); a mark given
//   for the first time needs none.
Status check_score_change(const std::vector<CriterionScore>& before, const std::vector<CriterionScore>& after,
                          bool opened, bool lot_drawn, std::string_view reason);

}  // namespace canopee
