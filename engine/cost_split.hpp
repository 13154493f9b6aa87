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
  std::vector<MemberCost> members;   // by member id
};

// `same_unit` says whether the quantity key is meaningful (all lots in one unit).
Result<std::vector<CostAllocation>> split_costs(std::span<const SharedCost> costs, std::span<const CostBasis> basis,
                                                bool same_unit, const SubsidySettings& settings);

}  // namespace canopee
