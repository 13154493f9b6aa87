#include "engine/allocation.hpp"

#include <utility>

#include "engine/price_schedule.hpp"

namespace canopee {

MemberAllocation& MemberAllocation::operator+=(const MemberAllocation& o) {
  line += o.line;
  shared_costs += o.shared_costs;
  subsidy += o.subsidy;
  fair_share += o.fair_share;
  transfer += o.transfer;
  return *this;
}

Result<TenderAllocation> allocate_tender(const Tender& tender, const std::map<std::int64_t, Bid>& winners,
                                         std::span<const SavingsLine> savings, std::span<const MemberCost> costs,
                                         FairMethod method) {
  TenderAllocation out;
  out.method = method;
  std::vector<LotGame> games;
  for (const auto& lot : tender.lots) {
    const auto winner = winners.find(lot.id);
    if (winner == winners.end()) continue;
    auto schedule = PriceSchedule::make(winner->second.tiers);
    if (!schedule) return std::move(schedule).error();
    LotGame game{{}, std::move(schedule).value()};
    for (const auto& m : lot.members) game.players.push_back({m.member_id, m.quantity});
    auto share = fair_share_lot(game.players, game.schedule, method, {});
    if (!share) return std::move(share).error();
    out.lots.push_back({lot.id, lot.number, std::move(share).value()});
    games.push_back(std::move(game));
  }
  if (!games.empty()) {
    // The tender's game is not the sum of the lots' for Shapley values: its
    // shares come from fair_share_tender, the lots' from each lot alone.
    auto tender_share = fair_share_tender(games, method, {});
    if (!tender_share) return std::move(tender_share).error();
    for (const auto& p : tender_share->players) {
      out.members[p.member_id].fair_share = p.share;
      out.members[p.member_id].transfer = p.transfer;
    }
    out.sampling = tender_share->sampling;
    out.in_core = tender_share->uniform_in_core;
  }
  for (const auto& line : savings) out.members[line.member_id].line += line;
  for (const auto& cost : costs) {
    out.members[cost.member_id].shared_costs += cost.share;
    out.members[cost.member_id].subsidy += cost.subsidy;
  }
  for (const auto& [id, m] : out.members) out.totals += m;
  return out;
}

}  // namespace canopee
