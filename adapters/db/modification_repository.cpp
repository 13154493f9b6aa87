#include "adapters/db/modification_repository.hpp"

#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kEffect =
    "SELECT CAST(COALESCE(SUM(amount_change), 0) AS BIGINT), CAST(COALESCE(SUM(months_change), 0) AS BIGINT), "
    "COUNT(*) FROM contract_modifications WHERE contract_id = :contract";
constexpr std::string_view kModifications =
    "SELECT id, number, ground, object, justification, clause_reference, CAST(signed_on AS TEXT), amount_change, "
    "months_change, CAST(recorded_at AS TEXT), recorded_by FROM contract_modifications WHERE contract_id = :contract "
    "ORDER BY number";
constexpr std::string_view kInsert =
    "INSERT INTO contract_modifications (contract_id, number, ground, object, justification, clause_reference, "
    "signed_on, amount_change, months_change, recorded_at, recorded_by) VALUES (:contract, :number, :ground, "
    ":object, :justification, :clause, :signed_on, :amount, :months, :recorded_at, :recorded_by) RETURNING id";

}  // namespace

ModificationEffect modification_effect(soci::session& sql, std::int64_t contract_id) {
  long long contract = contract_id, amount = 0, months = 0, count = 0;
  sql << kEffect, soci::use(contract), soci::into(amount), soci::into(months), soci::into(count);
  return {amount, static_cast<int>(months), static_cast<int>(count)};
}

std::vector<StoredModification> load_modifications(soci::session& sql, std::int64_t contract_id) {
  long long contract = contract_id, id = 0, number = 0, amount = 0, by = 0;
  int months = 0;
  std::string ground, object, justification, clause, signed_on, recorded_at;
  soci::indicator by_ind = soci::i_null;
  std::vector<StoredModification> out;
  soci::statement st = (sql.prepare << kModifications, soci::use(contract), soci::into(id), soci::into(number),
                        soci::into(ground), soci::into(object), soci::into(justification), soci::into(clause),
                        soci::into(signed_on), soci::into(amount), soci::into(months), soci::into(recorded_at),
                        soci::into(by, by_ind));
  st.execute();
  while (st.fetch()) {
    Modification m;
    m.number = number;
    m.ground = parse_modification_ground(ground, "ground").value();
    m.object = object;
    m.justification = justification;
    m.clause_reference = clause;
    m.signed_on = stored_date(signed_on);
    m.amount_change = amount;
    m.months_change = months;
    out.push_back({id, contract_id, std::move(m), normalize_timestamp(recorded_at),
                   by_ind == soci::i_ok ? std::optional<std::int64_t>(by) : std::nullopt});
  }
  return out;
}

std::map<std::int64_t, std::vector<Modification>> load_modifications_of(soci::session& sql,
                                                                        const std::vector<std::int64_t>& contract_ids) {
  std::map<std::int64_t, std::vector<Modification>> out;
  for (const auto id : contract_ids) {
    auto stored = load_modifications(sql, id);
    if (stored.empty()) continue;
    auto& list = out[id];
    for (auto& s : stored) list.push_back(std::move(s.modification));
  }
  return out;
}

StoredModification insert_modification(soci::session& sql, std::int64_t contract_id, const Modification& m,
                                       const Actor& actor, Instant recorded_at) {
  long long contract = contract_id, number = m.number, amount = m.amount_change, id = 0;
  int months = m.months_change;
  const std::string ground(to_string(m.ground)), signed_on = to_string(m.signed_on);
  const std::string at = to_utc_string(recorded_at);
  long long by = actor.user_id.value_or(0);
  soci::indicator by_ind = actor.user_id ? soci::i_ok : soci::i_null;
  sql << kInsert, soci::use(contract), soci::use(number), soci::use(ground), soci::use(m.object),
      soci::use(m.justification), soci::use(m.clause_reference), soci::use(signed_on), soci::use(amount),
      soci::use(months), soci::use(at), soci::use(by, by_ind), soci::into(id);
  return {id, contract_id, m, at, actor.user_id};
}

}  // namespace canopee::db
