#include "usecases/modifications.hpp"

#include <boost/json.hpp>

#include "adapters/db/framework_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/threshold_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {
namespace {

Error contract_not_found() { return Error{ErrorCode::not_found, "marché introuvable", {}, "contract.not_found"}; }

// The initial figures: the member's maximum on the lot for a framework agreement, in
// the lot's basis (R2162-4); the contract's amount otherwise.
ModifiedContract initial_figures(const db::ContractBounds& bounds) {
  ModifiedContract c;
  if (bounds.framework) {
    c.basis = bounds.basis;
    c.initial = bounds.maximum;
    c.initial_value = bounds.value;
  } else {
    c.basis = MaximumBasis::value;
    c.initial = bounds.amount.cents;
    c.initial_value = bounds.amount;
  }
  c.initial_months = bounds.period.months;
  c.notified_on = bounds.period.notified_on;
  return c;
}

// The contract's figures and modifications read in the caller's unit of work.
ContractModifications read(soci::session& sql, const db::ContractBounds& bounds, const Tender& tender) {
  ContractModifications out;
  out.contract_id = bounds.contract_id;
  out.tender_id = bounds.tender_id;
  out.lot_id = bounds.lot_id;
  out.member_id = bounds.member_id;
  out.framework = bounds.framework;
  out.contract = initial_figures(bounds);
  ModifiedContract& c = out.contract;
  c.kind = tender.kind;
  c.consumed = db::contract_consumed(sql, bounds.contract_id, c.basis);
  out.modifications = db::load_modifications(sql, bounds.contract_id);
  std::vector<Modification> recorded;
  recorded.reserve(out.modifications.size());
  for (const auto& m : out.modifications) recorded.push_back(m.modification);
  out.summary = summarise_modifications(c, recorded);
  return out;
}

Result<ContractModifications> read_contract(soci::session& sql, std::int64_t contract_id,
                                            std::optional<std::int64_t> member_scope) {
  const auto bounds = db::contract_bounds(sql, contract_id);
  if (!bounds || (member_scope && *member_scope != bounds->member_id)) return contract_not_found();
  const auto tender = db::load_tender(sql, bounds->tender_id);
  if (!tender) return contract_not_found();
  return read(sql, *bounds, *tender);
}

std::string modification_json(const Modification& m) {
  return boost::json::serialize(boost::json::object{{"number", m.number},
                                                    {"ground", to_string(m.ground)},
                                                    {"object", m.object},
                                                    {"justification", m.justification},
                                                    {"clause_reference", m.clause_reference},
                                                    {"signed_on", to_string(m.signed_on)},
                                                    {"amount_change", m.amount_change},
                                                    {"months_change", m.months_change}});
}

}  // namespace

Result<ContractModifications> contract_modifications(db::Database& database, std::int64_t contract_id,
                                                     std::optional<std::int64_t> member_scope) {
  return db::in_snapshot<ContractModifications>(database, [&](soci::session& sql) {
    return read_contract(sql, contract_id, member_scope);
  });
}

Result<ContractModifications> record_modification(db::Database& database, const db::Actor& actor,
                                                  const ThresholdTable& built_in, std::int64_t contract_id,
                                                  Modification proposed, Instant now, Date today) {
  CANOPEE_TRY_STATUS(validate_modification(proposed));
  CANOPEE_TRY(table, db::load_thresholds(database, built_in));
  return db::in_transaction<ContractModifications>(database, [&](soci::session& sql) -> Result<ContractModifications> {
    const auto first = db::contract_bounds(sql, contract_id);
    if (!first) return contract_not_found();
    // The lot's lock first, as an order takes it: the figures read below are final.
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, first->tender_id, first->lot_id));
    const auto bounds = db::contract_bounds(sql, contract_id, tender);
    if (!bounds) return contract_not_found();
    auto before = read(sql, *bounds, tender);
    const auto threshold = before.contract.kind == PurchaseKind::works ? Threshold::eu_works
                                                                       : Threshold::eu_supplies_services;
    CANOPEE_TRY(eu, table.at(threshold, proposed.signed_on));
    std::vector<Modification> recorded;
    recorded.reserve(before.modifications.size());
    for (const auto& m : before.modifications) recorded.push_back(m.modification);
    CANOPEE_TRY_STATUS(check_modification(before.contract, recorded, proposed, Amount{eu.value}, today));
    proposed.number = static_cast<std::int64_t>(recorded.size()) + 1;
    db::insert_modification(sql, contract_id, proposed, actor, now);
    db::write_audit(sql, actor, "contract", contract_id, "modification", "", modification_json(proposed));
    return read(sql, *bounds, tender);
  });
}

Result<std::map<std::int64_t, std::vector<formats::DecpModification>>> decp_modifications(
    db::Database& database, const std::vector<std::int64_t>& contract_ids) {
  using Out = std::map<std::int64_t, std::vector<formats::DecpModification>>;
  return db::in_snapshot<Out>(database, [&](soci::session& sql) -> Result<Out> {
    Out out;
    for (const auto id : contract_ids) {
      const auto stored = db::load_modifications(sql, id);
      if (stored.empty()) continue;
      const auto bounds = db::contract_bounds(sql, id);
      if (!bounds) continue;
      const auto figures = initial_figures(*bounds);
      auto& list = out[id];
      for (const auto& s : stored) {
        const auto& m = s.modification;
        list.push_back({m.number, to_string(m.signed_on), value_of_change(figures, m.amount_change), m.months_change});
      }
    }
    return out;
  });
}

}  // namespace canopee::usecases
