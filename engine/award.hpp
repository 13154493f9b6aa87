#pragma once
// Awarding a lot: the winning bid becomes one contract line per member (its
// quantity × the awarded unit price, rounded per line; the lot total is the sum
// of the lines), or the lot is declared unsuccessful and its needs go back.
#include <span>
#include <string>
#include <vector>

#include "engine/evaluation.hpp"
#include "engine/money.hpp"

namespace canopee {

// One member's share of a lot, as pooled.
struct LotLine {
  std::int64_t member_id = 0;
  Quantity quantity;
  Amount reference_value;  // what the member would pay at its reference prices
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

// The bid must be in the evaluation, awardable, and the best-ranked awardable bid
// (a lower-ranked one may not be chosen over it). The lines' quantities must add
// up to the lot's.
Result<AwardDecision> award_lot(Quantity lot_quantity, std::span<const LotLine> lines,
                                const LotEvaluation& evaluation, std::int64_t bid_id);

// An unsuccessful lot needs a reason (no bid, none acceptable, …).
Status check_unsuccessful(std::string_view reason);

}  // namespace canopee
