#include "engine/award.hpp"

#include <algorithm>

namespace canopee {

Result<AwardDecision> award_lot(Quantity lot_quantity, std::span<const LotLine> lines,
                                const LotEvaluation& evaluation, std::int64_t bid_id) {
  const auto chosen = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                   [&](const BidEvaluation& b) { return b.bid_id == bid_id; });
  if (chosen == evaluation.bids.end()) return Error::of(ErrorCode::not_found, "the bid is not one of this lot's bids");
  if (!chosen->awardable) {
    Error error = Error::of(ErrorCode::conflict, "this bid cannot be awarded: " + chosen->reason);
    error.fields.push_back({"bid_id", chosen->reason});
    return error;
  }
  const auto best = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                 [](const BidEvaluation& b) { return b.awardable; });
  if (best->bid_id != bid_id) {
    return Error::of(ErrorCode::conflict, "bid " + std::to_string(best->bid_id) + " ranks higher and can be awarded: "
                                          "the lot goes to the most advantageous awardable bid (L2152-7)");
  }
  if (lines.empty()) return Error::invalid("lines", "the lot has no member line");
  std::int64_t quantity = 0;
  for (const auto& line : lines) quantity += line.quantity.thousandths;
  if (quantity != lot_quantity.thousandths) {
    return Error::invalid("lines", "the members' quantities do not add up to the lot's quantity");
  }

  AwardDecision decision;
  decision.bid_id = bid_id;
  decision.unit_price = chosen->unit_price;
  for (const auto& line : lines) {
    auto amount = line_amount(line.quantity, chosen->unit_price);
    if (!amount) return std::move(amount).error();
    decision.lines.push_back({line.member_id, line.quantity, chosen->unit_price, *amount});
    decision.total += *amount;
  }
  std::sort(decision.lines.begin(), decision.lines.end(),
            [](const ContractLine& a, const ContractLine& b) { return a.member_id < b.member_id; });
  return decision;
}

Status check_unsuccessful(std::string_view reason) {
  if (reason.empty() || reason.find_first_not_of(" \t") == std::string_view::npos) {
    return Error::invalid("reason", "an unsuccessful lot needs a reason (no bid, no acceptable bid, …)");
  }
  if (reason.size() > 2000) return Error::invalid("reason", "must be at most 2000 characters");
  return ok_status();
}

}  // namespace canopee
