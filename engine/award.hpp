#pragma once
// Awarding a lot: the winning bid becomes one contract line per member (its
// quantity × the awarded unit price, rounded per line; the lot total is the sum
// of the lines), or the lot is declared unsuccessful and its needs go back.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/evaluation.hpp"
#include "engine/money.hpp"

namespace canopee {

// One member's share of a lot, as pooled.
struct LotLine {
  std::int64_t member_id = 0;
  Quantity quantity;
  Amount reference_value;  // what the member would pay at its reference prices
  // The part of quantity and reference_value from one-off needs (the rest recurs).
  Quantity one_off_quantity{};
  Amount one_off_reference_value{};
};

struct ContractLine {
  std::int64_t member_id = 0;
  Quantity quantity;
  UnitPrice unit_price;
  Amount amount;
};

struct AwardDecision {
  std::int64_t bid_id = 0;
  UnitPrice unit_price;
  std::vector<ContractLine> lines;  // by member id
  Amount total;                     // Σ lines
};

// Why a better-ranked bid keeps a lot from being awarded to a lower-ranked one:
// it has no final decision yet (procurement-rules.md, "Abnormally low tenders").
// The names are stable ("regularity_undecided", …): clients may rely on them.
enum class AwardBlock : std::uint8_t {
  regularity_undecided,          // received, or regularisation asked (R2152-1, R2152-2)
  abnormally_low_not_requested,  // flagged, no explanations asked (L2152-6, R2152-3; CJEU C-599/10)
  abnormally_low_undecided,      // questioned or explanations asked, no decision (R2152-3, R2152-4)
  scores_missing,                // a non-price criterion not scored yet: the ranking is not final (L2152-7)
  draw_needed,                   // tied after the announced tie-break: lots must be drawn first
};
std::string_view to_string(AwardBlock block);

struct BlockingReason {
  AwardBlock code = AwardBlock::regularity_undecided;
  std::string message;  // what is lacking and what to record, with its article
};

struct BlockingBid {
  std::int64_t bid_id = 0;
  int rank = 0;
  std::vector<BlockingReason> reasons;  // in the order of AwardBlock
};

// The ranked bids better ranked than `bid_id` that have no final decision, best
// first (every ranked bid when `bid_id` is not ranked). A bid passed over needs a
// recorded decision: irregular, unacceptable or inappropriate bids are rejected
// (status `irregular` or `rejected`), an abnormally low one only once its
// explanations were asked and refused (L2152-6, R2152-4; CJEU 29 March 2012
// C-599/10). Those are excluded from the ranking and never block; a bid whose
// justification was accepted competes as any other.
std::vector<BlockingBid> undecided_better_bids(const LotEvaluation& evaluation, std::int64_t bid_id);

// The bid must be in the evaluation and awardable; no better-ranked bid may lack a
// final decision (409 "award.better_bid_undecided" naming each one as "bids[<id>]",
// one entry per reason, coded "award.block.<AwardBlock>"); and it
// must be the best-ranked awardable bid (a lower-ranked one may not be chosen over
// it). The lines' quantities must add up to the lot's.
Result<AwardDecision> award_lot(Quantity lot_quantity, std::span<const LotLine> lines, const LotEvaluation& evaluation,
                                std::int64_t bid_id);

// An unsuccessful lot needs a reason (no bid, none acceptable, …).
Status check_unsuccessful(std::string_view reason);

}  // namespace canopee
