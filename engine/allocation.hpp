#pragma once
// What one tender's outcome comes to for each member: what it contracted and
// saved (split into the pooling and the competition effects), what it owes in
// shared costs and receives in subsidy, and its fair share of the pooling gain
// by the chosen method with the transfer that would settle it. Per awarded lot,
// the game's shares. Pure: the caller loads the winners, savings and splits.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "engine/cost_split.hpp"
#include "engine/fair_share.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"
#include "engine/savings.hpp"
#include "engine/tender.hpp"

namespace canopee {

struct MemberAllocation {
  SavingsLine line;  // Σ the member's frozen savings lines (contract, reference, effects)
  Amount shared_costs, subsidy, fair_share, transfer;
  MemberAllocation& operator+=(const MemberAllocation& o);
};

struct LotAllocation {
  std::int64_t lot_id = 0;
  int number = 0;
  GameShare share;  // the lot's game alone
};

struct TenderAllocation {
  FairMethod method = FairMethod::uniform;
  std::vector<LotAllocation> lots;                   // awarded lots, in the tender's order
  std::map<std::int64_t, MemberAllocation> members;  // by member id
  MemberAllocation totals;                           // Σ members
  std::optional<bool> in_core = true;                // none when too many members to check
  std::optional<Sampling> sampling;                  // when Shapley values were sampled
};

// `winners`: the winning bid of each awarded lot, by lot id; `savings`: the
// frozen savings lines of the awarded lots; `costs`: every shared cost's split.
Result<TenderAllocation> allocate_tender(const Tender& tender, const std::map<std::int64_t, Bid>& winners,
                                         std::span<const SavingsLine> savings, std::span<const MemberCost> costs,
                                         FairMethod method);

}  // namespace canopee
