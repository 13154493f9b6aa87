#include "engine/award.hpp"

#include <algorithm>

namespace canopee {
namespace {

constexpr std::string_view kBlockNames[] = {"regularity_undecided", "abnormally_low_not_requested",
                                            "abnormally_low_undecided", "scores_missing"};

std::string missing_criteria(const BidEvaluation& bid) {
  constexpr std::string_view prefix = "scores missing for: ";
  return bid.reason.starts_with(prefix) ? bid.reason.substr(prefix.size()) : bid.reason;
}

}  // namespace

std::string_view to_string(AwardBlock block) { return kBlockNames[static_cast<std::size_t>(block)]; }

std::vector<BlockingBid> undecided_better_bids(const LotEvaluation& evaluation, std::int64_t bid_id) {
  const auto chosen = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                   [&](const BidEvaluation& b) { return b.bid_id == bid_id; });
  const bool chosen_ranked = chosen != evaluation.bids.end() && chosen->rank.has_value();
  std::vector<BlockingBid> blocking;
  for (const auto& b : evaluation.bids) {
    if (!b.rank) continue;                                  // excluded: a final decision, or beyond the largest amount
    if (chosen_ranked && *b.rank >= *chosen->rank) continue;  // ranked in rank order: the rest is not better
    BlockingBid blocker{b.bid_id, *b.rank, {}};
    if (b.status == BidStatus::received) {
      blocker.reasons.push_back({AwardBlock::regularity_undecided,
                                 "regularity not decided: record it valid, or reject it as irregular, unacceptable "
                                 "or inappropriate (R2152-1, R2152-2)"});
    }
    if (b.abnormally_low && b.justification == Justification::none) {
      blocker.reasons.push_back({AwardBlock::abnormally_low_not_requested,
                                 "abnormally low and no justification requested: ask the bidder in writing to "
                                 "explain its price (L2152-6, R2152-3; CJEU C-599/10)"});
    } else if (b.abnormally_low && b.justification == Justification::requested) {
      blocker.reasons.push_back({AwardBlock::abnormally_low_undecided,
                                 "abnormally low and the justification requested is not decided: accept it, or "
                                 "refuse it and reject the bid (R2152-3, R2152-4)"});
    }
    if (!b.scores_complete) {
      blocker.reasons.push_back({AwardBlock::scores_missing,
                                 "not fully scored: record its scores for " + missing_criteria(b) +
                                     " before the ranking is final (L2152-7)"});
    }
    if (!blocker.reasons.empty()) blocking.push_back(std::move(blocker));
  }
  return blocking;
}

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
  // No better-ranked bid may be passed over without a recorded decision.
  if (const auto blocking = undecided_better_bids(evaluation, bid_id); !blocking.empty()) {
    Error error = Error::of(ErrorCode::conflict,
                            "better-ranked bids have no final decision: decide on each before awarding a lower-ranked "
                            "bid (L2152-6, R2152-1 to R2152-4)");
    for (const auto& blocker : blocking) {
      for (const auto& reason : blocker.reasons) {
        error.fields.push_back({"bids[" + std::to_string(blocker.bid_id) + "]",
                                "ranked " + std::to_string(blocker.rank) + ", " + reason.message});
      }
    }
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
