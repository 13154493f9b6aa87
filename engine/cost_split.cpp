#include "engine/cost_split.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace canopee {
namespace {

constexpr std::array<std::string_view, 4> kKeys = {"contract_value", "quantity", "equal", "fixed"};

}  // namespace

std::string_view to_string(CostKey key) { return kKeys[static_cast<std::size_t>(key)]; }

Result<CostKey> parse_cost_key(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    if (kKeys[i] == text) return static_cast<CostKey>(i);
  }
  return Error::invalid(std::string(field), "must be one of contract_value, quantity, equal, fixed");
}

Result<std::int64_t> parse_percent(std::string_view text, std::string_view field) {
  auto value = parse_decimal(text, 2, field);
  if (!value) return value;
  if (*value < 0 || *value > 10000) return Error::invalid(std::string(field), "must be between 0 and 100");
  return value;
}

Status validate_shared_cost(const SharedCost& cost, std::span<const std::int64_t> participants) {
  std::vector<FieldError> errors;
  if (cost.label.empty() || cost.label.size() > 200) errors.push_back({"label", "must be 1–200 characters"});
  if (cost.amount.cents <= 0) errors.push_back({"amount", "must be greater than zero"});
  if (cost.amount.cents > kMaxAmount) errors.push_back({"amount", "is too large"});
  if (cost.key == CostKey::fixed) {
    std::int64_t sum = 0;
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < cost.shares.size(); ++i) {
      const auto& share = cost.shares[i];
      const std::string at = "shares[" + std::to_string(i) + "]";
      if (std::find(participants.begin(), participants.end(), share.member_id) == participants.end()) {
        errors.push_back({at + ".member_id", "is not a member taking part in this tender"});
      }
      if (!seen.insert(share.member_id).second) errors.push_back({at + ".member_id", "is given twice"});
      if (share.basis_points < 0 || share.basis_points > 10000) errors.push_back({at + ".percent", "must be between 0 and 100"});
      sum += share.basis_points;
    }
    if (sum != 10000) errors.push_back({"shares", "fixed percentages must sum to 100"});
  } else if (!cost.shares.empty()) {
    errors.push_back({"shares", "percentages are only given with the fixed key"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "invalid shared cost", std::move(errors)};
}

Status check_cost_for_tender(const SharedCost& cost, const CostContext& context) {
  if (auto status = validate_shared_cost(cost, context.participants); !status) return status;
  if (cost.key == CostKey::quantity && !context.same_unit) {
    return Error::invalid("key", "the quantity key needs every lot of the tender in one unit: use contract_value, equal or fixed");
  }
  if (cost.key == CostKey::contract_value && !context.contract_value_ahead) {
    return Error::invalid("key", "no lot of the tender is awarded or still open: nothing to split by contract value; use equal or fixed");
  }
  return ok_status();
}

std::vector<CostAllocation> split_costs(std::span<const SharedCost> costs, std::span<const CostBasis> basis,
                                        bool same_unit, const SubsidySettings& settings) {
  std::vector<CostBasis> members(basis.begin(), basis.end());
  std::sort(members.begin(), members.end(), [](const CostBasis& a, const CostBasis& b) { return a.member_id < b.member_id; });
  std::vector<std::int64_t> ids;
  ids.reserve(members.size());
  for (const auto& m : members) ids.push_back(m.member_id);

  std::vector<CostAllocation> out;
  for (const auto& cost : costs) {
    CostAllocation allocation;
    allocation.label = cost.label;
    allocation.amount = cost.amount;
    const auto unallocated = [&](std::string why) {
      allocation.unallocated = std::move(why);
      out.push_back(std::move(allocation));
    };
    if (members.empty()) {
      unallocated("no member takes part in this tender");
      continue;
    }
    if (auto status = validate_shared_cost(cost, ids); !status) {
      const auto& e = status.error();
      unallocated(e.fields.empty() ? e.message : e.fields.front().field + " " + e.fields.front().message);
      continue;
    }
    if (cost.key == CostKey::quantity && !same_unit) {
      unallocated("the quantity key needs every lot in one unit");
      continue;
    }
    std::vector<std::int64_t> weights;
    for (const auto& m : members) {
      switch (cost.key) {
        case CostKey::contract_value: weights.push_back(m.contract_value.cents); break;
        case CostKey::quantity: weights.push_back(m.quantity.thousandths); break;
        case CostKey::equal: weights.push_back(1); break;
        case CostKey::fixed: {
          const auto it = std::find_if(cost.shares.begin(), cost.shares.end(),
                                       [&](const FixedShare& s) { return s.member_id == m.member_id; });
          weights.push_back(it == cost.shares.end() ? 0 : it->basis_points);
          break;
        }
      }
    }
    auto shares = allocate_largest_remainder(cost.amount.cents, weights);
    if (!shares) {
      unallocated("nothing to split by " + std::string(to_string(cost.key)) + " yet (no lot awarded)");
      continue;
    }
    std::size_t sharing = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      allocation.members.push_back({members[i].member_id, Amount{(*shares)[i]}, Amount{0}});
      if ((*shares)[i] != 0) ++sharing;
    }
    if (cost.subsidy_eligible) {
      allocation.subsidy_rate_bp = sharing >= 2 ? settings.collective_rate_bp : settings.single_rate_bp;
      allocation.subsidy = Amount{static_cast<std::int64_t>(
          divide_round_half_away(static_cast<int128>(cost.amount.cents) * allocation.subsidy_rate_bp, 10000))};
    }
    out.push_back(std::move(allocation));
  }

  // The cap bounds the tender's subsidy: shared between the allocated items pro
  // rata, to the cent (an unallocated item has no subsidy).
  std::vector<std::int64_t> uncapped;
  std::int64_t total = 0;
  for (const auto& a : out) {
    uncapped.push_back(a.subsidy.cents);
    total += a.subsidy.cents;
  }
  if (settings.cap && total > settings.cap->cents) {
    auto capped = allocate_largest_remainder(settings.cap->cents, uncapped);
    for (std::size_t i = 0; i < out.size(); ++i) out[i].subsidy = Amount{(*capped)[i]};
  }
  // Each item's subsidy goes to the members in proportion to their shares.
  for (auto& a : out) {
    if (a.subsidy.cents == 0) continue;
    std::vector<std::int64_t> weights;
    for (const auto& m : a.members) weights.push_back(m.share.cents);
    auto split = allocate_largest_remainder(a.subsidy.cents, weights);
    for (std::size_t i = 0; i < a.members.size(); ++i) a.members[i].subsidy = Amount{(*split)[i]};
  }
  return out;
}

}  // namespace canopee
