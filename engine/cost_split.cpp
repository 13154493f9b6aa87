#include "engine/cost_split.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace canopee {
namespace {

constexpr auto kKeys = enum_names<CostKey>("contract_value", "quantity", "equal", "fixed");

}  // namespace

std::string_view to_string(CostKey key) { return kKeys(key); }

Result<CostKey> parse_cost_key(std::string_view text, std::string_view field) {
  if (auto value = kKeys.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’une des clés " + kKeys.listed(), "cost.key.unknown");
}

Result<std::int64_t> parse_percent(std::string_view text, std::string_view field) {
  auto value = parse_decimal(text, 2, field);
  if (!value) return value;
  if (*value < 0 || *value > 10000) {
    return Error::invalid(std::string(field), "doit être compris entre 0 et 100", "cost.percent.out_of_range");
  }
  return value;
}

Status validate_shared_cost(const SharedCost& cost, std::span<const std::int64_t> participants) {
  std::vector<FieldError> errors;
  if (cost.label.empty() || cost.label.size() > 200)
    errors.push_back({"label", "1 à 200 caractères", "cost.label.length"});
  if (cost.amount.cents <= 0) errors.push_back({"amount", "doit être supérieur à zéro", "cost.amount.not_positive"});
  if (cost.amount.cents > kMaxAmount) errors.push_back({"amount", "est trop grand", "cost.amount.too_large"});
  if (cost.key == CostKey::fixed) {
    std::int64_t sum = 0;
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < cost.shares.size(); ++i) {
      const auto& share = cost.shares[i];
      const std::string at = "shares[" + std::to_string(i) + "]";
      if (std::find(participants.begin(), participants.end(), share.member_id) == participants.end()) {
        errors.push_back({at + ".member_id", "n’est pas un membre qui participe à cette consultation",
                          "cost.shares.not_participant"});
      }
      if (!seen.insert(share.member_id).second)
        errors.push_back({at + ".member_id", "est donné deux fois", "cost.shares.duplicate"});
      if (share.basis_points < 0 || share.basis_points > 10000)
        errors.push_back({at + ".percent", "doit être compris entre 0 et 100", "cost.percent.out_of_range"});
      sum += share.basis_points;
    }
    if (sum != 10000) errors.push_back({"shares", "les pourcentages fixés doivent totaliser 100", "cost.shares.sum"});
  } else if (!cost.shares.empty()) {
    errors.push_back({"shares", "des pourcentages ne se donnent qu’avec la clé fixed", "cost.shares.not_fixed"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "frais partagé invalide", std::move(errors), "cost.invalid"};
}

Status check_cost_for_tender(const SharedCost& cost, const CostContext& context) {
  if (auto status = validate_shared_cost(cost, context.participants); !status) return status;
  if (cost.key == CostKey::quantity && !context.same_unit) {
    return Error::invalid("key",
                          "la clé quantity demande que tous les lots de la consultation soient dans une même unité : "
                          "utiliser contract_value, equal ou fixed",
                          "cost.key.mixed_units");
  }
  if (cost.key == CostKey::contract_value && !context.contract_value_ahead) {
    return Error::invalid(
        "key",
        "aucun lot de la consultation n’est attribué ni encore ouvert : rien à répartir selon la valeur "
        "du marché ; utiliser equal ou fixed",
        "cost.key.no_contract_value");
  }
  return ok_status();
}

std::vector<CostAllocation> split_costs(std::span<const SharedCost> costs, std::span<const CostBasis> basis,
                                        bool same_unit, const SubsidySettings& settings) {
  std::vector<CostBasis> members(basis.begin(), basis.end());
  std::sort(members.begin(), members.end(),
            [](const CostBasis& a, const CostBasis& b) { return a.member_id < b.member_id; });
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
      unallocated("aucun membre ne participe à cette consultation");
      continue;
    }
    if (auto status = validate_shared_cost(cost, ids); !status) {
      const auto& e = status.error();
      unallocated(e.fields.empty() ? e.message : e.fields.front().field + " : " + e.fields.front().message);
      continue;
    }
    if (cost.key == CostKey::quantity && !same_unit) {
      unallocated("la clé quantity demande des lots tous dans une même unité");
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
      unallocated("rien à répartir selon " + std::string(to_string(cost.key)) + " pour l’instant (aucun lot attribué)");
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
