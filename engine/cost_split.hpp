#pragma once
// Shared costs of a joint tender (publicity, legal fees, GIE coordination) split
// between the participating members by a key, to the cent (largest remainder),
// and the subsidy on their eligible part: the collective rate when two members or
// more share an item, the single-landlord rate otherwise (CGLLS; rates and the
// optional cap are settings).
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class CostKey : std::uint8_t { contract_value, quantity, equal, fixed };
std::string_view to_string(CostKey key);
Result<CostKey> parse_cost_key(std::string_view text, std::string_view field);

// Percentages in 1/100 of a percent (basis points): 10000 = 100 %.
struct FixedShare {
  std::int64_t member_id = 0;
  std::int64_t basis_points = 0;
};
Result<std::int64_t> parse_percent(std::string_view text, std::string_view field);  // "33.34" → 3334

struct SharedCost {
  std::string label;
  Amount amount;
  CostKey key = CostKey::contract_value;
  std::vector<FixedShare> shares;  // fixed key only; sum to 10000
  bool subsidy_eligible = false;
};
// Errors name "label", "amount", "shares[i]…"; `participants` are the members
// taking part (fixed shares may only name them).
Status validate_shared_cost(const SharedCost& cost, std::span<const std::int64_t> participants);

// What a tender offers to split a cost by, when the cost is recorded.
struct CostContext {
  std::vector<std::int64_t> participants;  // members with a lot line
  bool same_unit = true;                   // every lot in one unit: the quantity key is meaningful
  bool contract_value_ahead = true;        // a lot is awarded or still open: contract values exist or may come
};
// validate_shared_cost, and the key against the tender: the quantity key needs
// every lot in one unit (quantities of different units are never added), the
// contract_value key a lot that is awarded or may still be (not every lot
// unsuccessful). Refusing here is what keeps every recorded cost splittable.
Status check_cost_for_tender(const SharedCost& cost, const CostContext& context);

struct SubsidySettings {
  std::int64_t collective_rate_bp = 6000;  // 60 %
  std::int64_t single_rate_bp = 4000;      // 40 %
  std::optional<Amount> cap;               // per tender, over all items
};

// A participating member's basis for the keys.
struct CostBasis {
  std::int64_t member_id = 0;
  Amount contract_value;
  Quantity quantity;  // only meaningful when every lot has the same unit
};

struct MemberCost {
  std::int64_t member_id = 0;
  Amount share;
  Amount subsidy;
};

struct CostAllocation {
  std::string label;
  Amount amount;
  std::int64_t subsidy_rate_bp = 0;  // 0 when not eligible
  Amount subsidy;                    // after the cap
  std::vector<MemberCost> members;   // by member id; empty when not allocated
  std::string unallocated;           // why it cannot be split (yet); empty when allocated
  bool allocated() const { return unallocated.empty(); }
};

// One allocation per cost, in the costs' order. Each cost is split on its own: a
// cost that cannot be split (nothing to split by yet, a key the tender cannot
// serve) is returned unallocated with the reason and never touches the others;
// every allocated cost sums to its amount to the cent. `same_unit` says whether
// the quantity key is meaningful (all lots in one unit). The subsidy cap is
// shared between the allocated items.
std::vector<CostAllocation> split_costs(std::span<const SharedCost> costs, std::span<const CostBasis> basis,
                                        bool same_unit, const SubsidySettings& settings);

}  // namespace canopee
