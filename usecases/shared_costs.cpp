#include "usecases/shared_costs.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "adapters/db/aided_project_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "engine/money.hpp"
#include "usecases/aided_projects.hpp"

namespace canopee::usecases {
namespace {

Error cost_not_found() {
  return Error{ErrorCode::not_found,
               "ce frais mutualisé n’est pas un frais de cette consultation",
               {},
               "shared_cost.not_found"};
}

// What the tender offers to split a new cost by.
CostContext cost_context(const Tender& tender) {
  CostContext context;
  std::set<std::int64_t> participants;
  bool contract_value_ahead = false;
  for (const auto& lot : tender.lots) {
    context.same_unit = context.same_unit && lot.unit == tender.lots.front().unit;
    contract_value_ahead = contract_value_ahead || lot.status != LotStatus::unsuccessful;
    for (const auto& m : lot.members) participants.insert(m.member_id);
  }
  context.participants.assign(participants.begin(), participants.end());
  context.contract_value_ahead = contract_value_ahead;
  return context;
}

// The audit row of a removed cost: the cost and its split as they were.
std::string removed_cost_json(std::int64_t tender_id, const db::StoredCost& c) {
  boost::json::object shares, split;
  for (const auto& share : c.cost.shares)
    shares[std::to_string(share.member_id)] = format_decimal(share.basis_points, 2, 2);
  for (const auto& m : c.split) split[std::to_string(m.member_id)] = to_string(m.share);
  return boost::json::serialize(boost::json::object{{"tender_id", tender_id},
                                                    {"label", c.cost.label},
                                                    {"amount", to_string(c.cost.amount)},
                                                    {"key", to_string(c.cost.key)},
                                                    {"shares", std::move(shares)},
                                                    {"subsidy_eligible", c.cost.subsidy_eligible},
                                                    {"allocation", std::move(split)}});
}

}  // namespace

void resplit_costs(soci::session& sql, const Tender& tender) {
  db::clear_cost_splits(sql, tender.id);
  const auto costs = db::load_costs(sql, tender.id);
  if (costs.empty()) return;
  std::map<std::int64_t, CostBasis> basis;
  bool same_unit = true;
  for (const auto& lot : tender.lots) {
    same_unit = same_unit && lot.unit == tender.lots.front().unit;
    for (const auto& m : lot.members) {
      auto& b = basis[m.member_id];
      b.member_id = m.member_id;
      b.quantity += m.quantity;
    }
  }
  for (const auto& [member, total] : db::contract_values(sql, tender.id)) basis[member].contract_value = total;
  std::vector<CostBasis> list;
  for (const auto& [id, b] : basis) list.push_back(b);
  std::vector<SharedCost> items;
  for (const auto& c : costs) items.push_back(c.cost);
  const auto split = split_costs(items, list, same_unit, db::load_settings(sql).subsidy);
  for (std::size_t i = 0; i < costs.size(); ++i) db::insert_cost_split(sql, costs[i].id, split[i]);
  // A cost linked to an aided project takes its subsidy from the project (the split above
  // gives the others theirs: "sans projet", projected at the default rates).
  for (const auto project : db::projects_of_tender(sql, tender.id)) refresh_aid(sql, project);
}

Result<db::StoredCost> add_shared_cost(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                       const SharedCost& cost) {
  return db::in_transaction<db::StoredCost>(database, [&](soci::session& sql) -> Result<db::StoredCost> {
    auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    if (tender->status == TenderStatus::cancelled) {
      return Error::rule_broken(ErrorCode::conflict, "shared_cost.tender_cancelled", "",
                                "la consultation est annulée : ses frais mutualisés ne changent plus");
    }
    CANOPEE_TRY_STATUS(check_cost_for_tender(cost, cost_context(*tender)));
    const auto id = db::insert_cost(sql, tender_id, cost);
    resplit_costs(sql, *tender);
    db::write_audit(sql, actor, "shared_cost", id, "create", "",
                    boost::json::serialize(boost::json::object{{"tender_id", tender_id},
                                                               {"amount", to_string(cost.amount)},
                                                               {"key", to_string(cost.key)}}));
    for (auto& c : db::load_costs(sql, tender_id)) {
      if (c.id == id) return c;
    }
    return cost_not_found();
  });
}

Result<std::vector<db::StoredCost>> remove_shared_cost(db::Database& database, const db::Actor& actor,
                                                       std::int64_t tender_id, std::int64_t cost_id) {
  using Out = std::vector<db::StoredCost>;
  return db::in_transaction<Out>(database, [&](soci::session& sql) -> Result<Out> {
    auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    const auto costs = db::load_costs(sql, tender_id);
    const auto it = std::find_if(costs.begin(), costs.end(), [&](const db::StoredCost& c) { return c.id == cost_id; });
    if (it == costs.end()) return cost_not_found();
    if (tender->status == TenderStatus::cancelled) {
      return Error::rule_broken(ErrorCode::conflict, "shared_cost.tender_cancelled", "",
                                "la consultation est annulée : ses frais mutualisés ne changent plus");
    }
    if (const auto project = db::project_of_cost(sql, cost_id)) {
      return Error::rule_broken(ErrorCode::conflict, "shared_cost.in_aided_project", "",
                                "ce frais est rattaché au projet aidé n° " + std::to_string(*project) +
                                    " : le détacher du projet avant de le retirer");
    }
    const auto before = removed_cost_json(tender_id, *it);
    if (!db::delete_cost(sql, tender_id, cost_id)) return cost_not_found();
    // The others are split again: the subsidy cap is shared between the items left.
    resplit_costs(sql, *tender);
    db::write_audit(sql, actor, "shared_cost", cost_id, "delete", before, "");
    return db::load_costs(sql, tender_id);
  });
}

}  // namespace canopee::usecases
