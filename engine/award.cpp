#include "engine/award.hpp"

#include <algorithm>

namespace canopee {
namespace {

constexpr std::string_view kBlockNames[] = {"regularity_undecided", "abnormally_low_not_requested",
                                            "abnormally_low_undecided", "scores_missing", "draw_needed"};

std::string missing_criteria(const BidEvaluation& bid) {
  std::string list;
  for (const auto& c : bid.missing_scores) list += (list.empty() ? "« " : ", « ") + c + " »";
  return list;
}

// "1re", "2e", … (an offer is feminine).
std::string ordinal(int rank) { return std::to_string(rank) + (rank == 1 ? "re" : "e"); }

}  // namespace

std::string_view to_string(AwardBlock block) { return kBlockNames[static_cast<std::size_t>(block)]; }

std::vector<BlockingBid> undecided_better_bids(const LotEvaluation& evaluation, std::int64_t bid_id) {
  const auto chosen = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                   [&](const BidEvaluation& b) { return b.bid_id == bid_id; });
  const bool chosen_ranked = chosen != evaluation.bids.end() && chosen->rank.has_value();
  std::vector<BlockingBid> blocking;
  for (const auto& b : evaluation.bids) {
    if (!b.rank) continue;  // excluded: a final decision, or beyond the largest amount
    if (chosen_ranked && *b.rank >= *chosen->rank) continue;  // ranked in rank order: the rest is not better
    BlockingBid blocker{b.bid_id, *b.rank, {}};
    if (b.regularity == Regularity::received || b.regularity == Regularity::regularisation_requested) {
      blocker.reasons.push_back(
          {AwardBlock::regularity_undecided,
           "régularité non décidée : déclarez l’offre régulière, ou éliminez-la comme irrégulière, "
           "inacceptable ou inappropriée (R2152-1, R2152-2)"});
    }
    if (b.abnormally_low && b.price_review == PriceReview::none) {
      blocker.reasons.push_back(
          {AwardBlock::abnormally_low_not_requested,
           "offre paraissant anormalement basse, sans demande d’explications : demandez par écrit au "
           "soumissionnaire de justifier son prix (L2152-6, R2152-3 ; CJUE C-599/10)"});
    } else if (is_pending(b.price_review)) {
      blocker.reasons.push_back({AwardBlock::abnormally_low_undecided,
                                 "examen du prix sans décision : acceptez les explications, ou refusez-les et rejetez "
                                 "l’offre (R2152-3, R2152-4)"});
    }
    if (!b.scores_complete) {
      blocker.reasons.push_back({AwardBlock::scores_missing, "notation incomplète : saisissez ses notes pour " +
                                                                 missing_criteria(b) +
                                                                 " avant d’arrêter le classement (L2152-7)"});
    }
    if (b.tie == TieOutcome::draw_needed) {
      std::string others;
      for (std::size_t i = 0; i < b.tied_with.size(); ++i) {
        others += (i == 0 ? "n° " : i + 1 == b.tied_with.size() ? " et n° " : ", n° ") + std::to_string(b.tied_with[i]);
      }
      blocker.reasons.push_back(
          {AwardBlock::draw_needed,
           std::string(b.tied_with.size() == 1 ? "ex aequo avec l’offre " : "ex aequo avec les offres ") + others +
               " après la règle de départage annoncée : tirez au sort et consignez le "
               "tirage avant de retenir une offre moins bien classée"});
    }
    if (!blocker.reasons.empty()) blocking.push_back(std::move(blocker));
  }
  return blocking;
}

Result<AwardDecision> award_lot(Quantity lot_quantity, std::span<const LotLine> lines, const LotEvaluation& evaluation,
                                std::int64_t bid_id) {
  const auto chosen = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                   [&](const BidEvaluation& b) { return b.bid_id == bid_id; });
  if (chosen == evaluation.bids.end())
    return Error::of(ErrorCode::not_found, "cette offre n’est pas une offre du lot", "bid.not_found");
  const auto not_awardable = [&] {
    Error error = Error::rule_broken(ErrorCode::conflict, "award.bid_not_awardable", "bid_id",
                                     "cette offre ne peut pas être retenue : " + chosen->reason);
    error.fields.front().code = chosen->reason_code;
    return error;
  };
  // An excluded bid first says why; a ranked one is checked after the better ones.
  if (!chosen->rank) return not_awardable();
  // No better-ranked bid may be passed over without a recorded decision.
  if (const auto blocking = undecided_better_bids(evaluation, bid_id); !blocking.empty()) {
    Error error = Error::of(ErrorCode::conflict,
                            "des offres mieux classées attendent une décision définitive : statuez sur chacune avant "
                            "d’attribuer le lot à une offre moins bien classée (L2152-6, R2152-1 à R2152-4)");
    error.rule = "award.better_bid_undecided";
    for (const auto& blocker : blocking) {
      for (const auto& reason : blocker.reasons) {
        error.fields.push_back({"bids[" + std::to_string(blocker.bid_id) + "]",
                                "classée " + ordinal(blocker.rank) + " : " + reason.message,
                                "award.block." + std::string(to_string(reason.code))});
      }
    }
    return error;
  }
  if (!chosen->awardable) return not_awardable();
  const auto best = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                 [](const BidEvaluation& b) { return b.awardable; });
  if (best->bid_id != bid_id) {
    return Error::rule_broken(ErrorCode::conflict, "award.better_bid_awardable", "bid_id",
                              "l’offre " + std::to_string(best->bid_id) +
                                  " est mieux classée et peut être retenue : le "
                                  "lot va à l’offre économiquement la plus avantageuse (L2152-7)");
  }
  if (lines.empty()) return Error::invalid("lines", "le lot n’a aucune ligne de membre", "award.lines.empty");
  std::int64_t quantity = 0;
  for (const auto& line : lines) quantity += line.quantity.thousandths;
  if (quantity != lot_quantity.thousandths) {
    return Error::invalid("lines", "les quantités des membres ne font pas la quantité du lot",
                          "award.lines.quantity_mismatch");
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
    return Error::invalid("reason", "un lot infructueux demande un motif (aucune offre, aucune offre acceptable, …)",
                          "award.unsuccessful.reason_missing");
  }
  if (reason.size() > 2000)
    return Error::invalid("reason", "2000 caractères au plus", "award.unsuccessful.reason_length");
  return ok_status();
}

}  // namespace canopee
