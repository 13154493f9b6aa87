#include "adapters/db/award_repository.hpp"

#include <algorithm>

#include "adapters/clock.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kInsertAward =
    "INSERT INTO awards (lot_id, bid_id, unit_price, total, awarded_at) VALUES (:lot, :bid, :price, :total, :at)";
constexpr std::string_view kInsertContract =
    "INSERT INTO contracts (lot_id, member_id, supplier_id, quantity, unit_price, amount, awarded_at) "
    "VALUES (:lot, :member, :supplier, :quantity, :price, :amount, :at)";
constexpr std::string_view kInsertSavings =
    "INSERT INTO savings_lines (lot_id, member_id, reference, contract, standalone, savings, pooling_effect, "
    "competition_effect, duration_months, awarded_on, one_off_reference, one_off_contract, one_off_standalone, "
    "pooling_measurable) VALUES (:lot, :member, :reference, :contract, :standalone, :savings, :pooling, :competition, "
    ":duration, :awarded_on, :one_off_reference, :one_off_contract, :one_off_standalone, :measurable)";
constexpr std::string_view kInsertCost =
    "INSERT INTO shared_costs (tender_id, label, amount, cost_key, subsidy_eligible, created_at) "
    "VALUES (:tender, :label, :amount, :key, :eligible, :now) RETURNING id";
constexpr std::string_view kInsertCostShare =
    "INSERT INTO shared_cost_shares (shared_cost_id, member_id, basis_points) VALUES (:cost, :member, :bp)";
constexpr std::string_view kSelectCosts =
    "SELECT id, label, amount, cost_key, subsidy_eligible FROM shared_costs WHERE tender_id = :tender ORDER BY id";
constexpr std::string_view kSelectCostShares =
    "SELECT s.shared_cost_id, s.member_id, s.basis_points FROM shared_cost_shares s JOIN shared_costs c "
    "ON c.id = s.shared_cost_id WHERE c.tender_id = :tender";
constexpr std::string_view kDeleteSplits =
    "DELETE FROM cost_splits WHERE shared_cost_id IN (SELECT id FROM shared_costs WHERE tender_id = :tender)";
// The advisory lock of a tender's cost splits (class 7301, the tender id).
constexpr std::string_view kLockCostSplits = "SELECT pg_advisory_xact_lock(7301, CAST(:tender AS integer))";
constexpr std::string_view kInsertSplit =
    "INSERT INTO cost_splits (shared_cost_id, member_id, share, subsidy, subsidy_rate_bp) "
    "VALUES (:cost, :member, :share, :subsidy, :rate)";
constexpr std::string_view kSelectSplits =
    "SELECT s.shared_cost_id, s.member_id, s.share, s.subsidy, s.subsidy_rate_bp FROM cost_splits s JOIN shared_costs c "
    "ON c.id = s.shared_cost_id WHERE c.tender_id = :tender ORDER BY s.shared_cost_id, s.member_id";
constexpr std::string_view kDeleteCostSplits = "DELETE FROM cost_splits WHERE shared_cost_id = :cost";
constexpr std::string_view kDeleteCostShares = "DELETE FROM shared_cost_shares WHERE shared_cost_id = :cost";
constexpr std::string_view kDeleteCost = "DELETE FROM shared_costs WHERE id = :cost AND tender_id = :tender";
constexpr std::string_view kContractValues =
    "SELECT c.member_id, SUM(c.amount) FROM contracts c JOIN lots l ON l.id = c.lot_id WHERE l.tender_id = :tender "
    "GROUP BY c.member_id";
constexpr std::string_view kSelectSettings = "SELECT key, value FROM settings";
constexpr std::string_view kContractsPage =
    "SELECT c.id, l.tender_id, c.lot_id, c.member_id, c.supplier_id, c.quantity, c.unit_price, c.amount, "
    "CAST(c.awarded_at AS TEXT), CAST(c.signed_on AS TEXT), CAST(c.notified_on AS TEXT), t.reference, t.title, "
    "l.number, l.title, m.code, m.name, s.name, CASE WHEN g.mission = 'procedure' THEN 1 ELSE 0 END, l.unit, "
    "CAST(t.contract_start AS TEXT), t.duration_months "
    "FROM contracts c JOIN lots l ON l.id = c.lot_id "
    "JOIN tenders t ON t.id = l.tender_id JOIN members m ON m.id = c.member_id "
    "JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN groupements g ON g.id = t.groupement_id WHERE c.id < :before";
constexpr std::string_view kSavingsOfTender =
    "SELECT s.lot_id, l.cpv, s.member_id, s.reference, s.contract, s.standalone, s.savings, s.pooling_effect, "
    "s.competition_effect, s.duration_months, CAST(s.awarded_on AS TEXT), s.one_off_reference, s.one_off_contract, "
    "s.one_off_standalone, s.pooling_measurable FROM savings_lines s JOIN lots l "
    "ON l.id = s.lot_id WHERE l.tender_id = :tender ORDER BY s.lot_id, s.member_id";

}  // namespace

SettingsSnapshot load_settings(soci::session& sql) {
  SettingsSnapshot s;
  std::string key, value;
  soci::statement st = (sql.prepare << kSelectSettings, soci::into(key), soci::into(value));
  st.execute();
  while (st.fetch()) {
    try {
      if (key == "subsidy.collective_rate_bp") s.subsidy.collective_rate_bp = std::stoll(value);
      if (key == "subsidy.single_rate_bp") s.subsidy.single_rate_bp = std::stoll(value);
      if (key == "subsidy.cap_cents") s.subsidy.cap = Amount{std::stoll(value)};
    } catch (const std::exception&) {
      // a malformed setting keeps its default
    }
  }
  return s;
}

std::vector<StoredCost> load_costs(soci::session& sql, std::int64_t tender_id) {
  long long tender = tender_id;
  std::vector<StoredCost> costs;
  std::map<long long, std::size_t> index;
  long long id = 0, amount = 0;
  std::string label, key;
  int eligible = 0;
  soci::statement st = (sql.prepare << kSelectCosts, soci::use(tender), soci::into(id), soci::into(label),
                        soci::into(amount), soci::into(key), soci::into(eligible));
  st.execute();
  while (st.fetch()) {
    StoredCost c;
    c.id = id;
    c.cost.label = label;
    c.cost.amount = Amount{amount};
    c.cost.key = parse_cost_key(key, "key").value();
    c.cost.subsidy_eligible = eligible != 0;
    index[id] = costs.size();
    costs.push_back(std::move(c));
  }
  long long cost_id = 0, member = 0;
  int bp = 0;
  soci::statement shares = (sql.prepare << kSelectCostShares, soci::use(tender), soci::into(cost_id),
                            soci::into(member), soci::into(bp));
  shares.execute();
  // A cost committed between these reads is left to the next read.
  while (shares.fetch()) {
    if (const auto it = index.find(cost_id); it != index.end()) costs[it->second].cost.shares.push_back({member, bp});
  }
  long long share = 0, subsidy = 0;
  int rate = 0;
  soci::statement splits = (sql.prepare << kSelectSplits, soci::use(tender), soci::into(cost_id), soci::into(member),
                            soci::into(share), soci::into(subsidy), soci::into(rate));
  splits.execute();
  while (splits.fetch()) {
    const auto it = index.find(cost_id);
    if (it == index.end()) continue;
    auto& c = costs[it->second];
    c.split.push_back({member, Amount{share}, Amount{subsidy}});
    c.subsidy_rate_bp = rate;
  }
  return costs;
}

void insert_award(soci::session& sql, const Bid& winner, const AwardDecision& decision,
                  const std::vector<SavingsLine>& savings, int duration_months, Date awarded_on) {
  const std::string now = utc_timestamp_now();
  const std::string on = to_string(awarded_on);
  long long lot_key = winner.lot_id, bid_key = winner.id, price = decision.unit_price.ten_thousandths,
            total = decision.total.cents, supplier = winner.supplier_id;
  sql << kInsertAward, soci::use(lot_key), soci::use(bid_key), soci::use(price), soci::use(total), soci::use(now);
  for (const auto& line : decision.lines) {
    long long member = line.member_id, quantity = line.quantity.thousandths, amount = line.amount.cents;
    sql << kInsertContract, soci::use(lot_key), soci::use(member), soci::use(supplier), soci::use(quantity),
        soci::use(price), soci::use(amount), soci::use(now);
  }
  for (const auto& s : savings) {
    long long member = s.member_id, reference = s.reference.cents, contract = s.contract.cents,
              standalone = s.standalone.cents, saved = s.savings.cents, pooling = s.pooling_effect.cents,
              competition = s.competition_effect.cents, one_off_reference = s.one_off_reference.cents,
              one_off_contract = s.one_off_contract.cents, one_off_standalone = s.one_off_standalone.cents;
    int measurable = s.pooling_measurable ? 1 : 0;
    sql << kInsertSavings, soci::use(lot_key), soci::use(member), soci::use(reference), soci::use(contract),
        soci::use(standalone), soci::use(saved), soci::use(pooling), soci::use(competition), soci::use(duration_months),
        soci::use(on), soci::use(one_off_reference), soci::use(one_off_contract), soci::use(one_off_standalone),
        soci::use(measurable);
  }
}

std::int64_t insert_cost(soci::session& sql, std::int64_t tender_id, const SharedCost& cost) {
  const std::string now = utc_timestamp_now();
  const std::string key(to_string(cost.key));
  long long tender_key = tender_id, amount = cost.amount.cents, id = 0;
  int eligible = cost.subsidy_eligible ? 1 : 0;
  sql << kInsertCost, soci::use(tender_key), soci::use(cost.label), soci::use(amount), soci::use(key),
      soci::use(eligible), soci::use(now), soci::into(id);
  for (const auto& share : cost.shares) {
    long long member = share.member_id;
    int bp = static_cast<int>(share.basis_points);
    sql << kInsertCostShare, soci::use(id), soci::use(member), soci::use(bp);
  }
  return id;
}

bool delete_cost(soci::session& sql, std::int64_t tender_id, std::int64_t cost_id) {
  long long tender_key = tender_id, cost_key = cost_id;
  sql << kDeleteCostSplits, soci::use(cost_key);
  sql << kDeleteCostShares, soci::use(cost_key);
  soci::statement st = (sql.prepare << kDeleteCost, soci::use(cost_key), soci::use(tender_key));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void clear_cost_splits(soci::session& sql, std::int64_t tender_id) {
  long long key = tender_id;
  // Two transactions re-splitting one tender's costs at once (a cost recorded
  // while a lot is awarded) would delete and write the same rows: on PostgreSQL
  // they take turns on a lock of that tender's, held to the end of the
  // transaction; SQLite's writers already take turns.
  if (sql.get_backend_name() == "postgresql") sql << kLockCostSplits, soci::use(key);
  sql << kDeleteSplits, soci::use(key);
}

void insert_cost_split(soci::session& sql, std::int64_t cost_id, const CostAllocation& split) {
  long long cost = cost_id;
  int rate = static_cast<int>(split.subsidy_rate_bp);
  for (const auto& m : split.members) {
    long long member_id = m.member_id, share = m.share.cents, subsidy = m.subsidy.cents;
    sql << kInsertSplit, soci::use(cost), soci::use(member_id), soci::use(share), soci::use(subsidy), soci::use(rate);
  }
}

std::map<std::int64_t, Amount> contract_values(soci::session& sql, std::int64_t tender_id) {
  long long key = tender_id, member = 0, total = 0;
  std::map<std::int64_t, Amount> values;
  soci::statement st = (sql.prepare << kContractValues, soci::use(key), soci::into(member), soci::into(total));
  st.execute();
  while (st.fetch()) values[member] = Amount{total};
  return values;
}

Result<std::vector<StoredCost>> list_shared_costs(Database& database, std::int64_t tender_id) {
  return in_snapshot<std::vector<StoredCost>>(database, [&](soci::session& sql) -> Result<std::vector<StoredCost>> {
    return load_costs(sql, tender_id);
  });
}

Result<PageOf<Contract>> list_contracts(Database& database, std::optional<std::int64_t> member_id, const Page& page) {
  return with_connection<PageOf<Contract>>(database, [&](soci::session& sql) -> Result<PageOf<Contract>> {
    const std::size_t limit = clamp_limit(page.limit);
    std::string query(kContractsPage);
    if (member_id) query += " AND c.member_id = :member";
    query += " ORDER BY c.id DESC LIMIT " + std::to_string(limit + 1);
    long long before = before_key(page), member = member_id.value_or(0);
    long long id, tender, lot, m, supplier, quantity, price, amount;
    std::string at, signed_on, notified_on, reference, tender_title, lot_title, member_code, member_name, supplier_name,
        unit, contract_start;
    int lot_number = 0, members_sign = 0, duration_months = 0;
    soci::indicator signed_ind, notified_ind;
    soci::statement st(sql);
    st.alloc();
    st.prepare(query);
    for (auto* target : {&id, &tender, &lot, &m, &supplier, &quantity, &price, &amount})
      st.exchange(soci::into(*target));
    st.exchange(soci::into(at));
    st.exchange(soci::into(signed_on, signed_ind));
    st.exchange(soci::into(notified_on, notified_ind));
    st.exchange(soci::into(reference));
    st.exchange(soci::into(tender_title));
    st.exchange(soci::into(lot_number));
    for (auto* target : {&lot_title, &member_code, &member_name, &supplier_name}) st.exchange(soci::into(*target));
    st.exchange(soci::into(members_sign));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(contract_start));
    st.exchange(soci::into(duration_months));
    st.exchange(soci::use(before, "before"));
    if (member_id) st.exchange(soci::use(member, "member"));
    st.define_and_bind();
    st.execute();
    PageOf<Contract> result;
    while (st.fetch()) {
      result.items.push_back({id,
                              tender,
                              lot,
                              m,
                              supplier,
                              Quantity{quantity},
                              UnitPrice{price},
                              Amount{amount},
                              normalize_timestamp(at),
                              signed_ind == soci::i_ok ? std::optional<Date>(stored_date(signed_on)) : std::nullopt,
                              notified_ind == soci::i_ok ? std::optional<Date>(stored_date(notified_on)) : std::nullopt,
                              reference,
                              tender_title,
                              lot_number,
                              lot_title,
                              member_code,
                              member_name,
                              supplier_name,
                              members_sign != 0,
                              unit,
                              stored_date(contract_start),
                              duration_months});
    }
    if (result.items.size() > limit) {
      result.items.resize(limit);
      result.next_before_id = result.items.back().id;
    }
    return result;
  });
}

Result<std::vector<StoredSavings>> savings_of_tender(Database& database, std::int64_t tender_id) {
  return with_connection<std::vector<StoredSavings>>(
      database, [&](soci::session& sql) -> Result<std::vector<StoredSavings>> {
        long long key = tender_id;
        long long lot, member, reference, contract, standalone, saved, pooling, competition, one_off_reference,
            one_off_contract, one_off_standalone;
        int duration, measurable;
        std::string cpv, on;
        soci::statement st = (sql.prepare << kSavingsOfTender, soci::use(key), soci::into(lot), soci::into(cpv),
                              soci::into(member), soci::into(reference), soci::into(contract), soci::into(standalone),
                              soci::into(saved), soci::into(pooling), soci::into(competition), soci::into(duration),
                              soci::into(on), soci::into(one_off_reference), soci::into(one_off_contract),
                              soci::into(one_off_standalone), soci::into(measurable));
        st.execute();
        std::vector<StoredSavings> out;
        while (st.fetch()) {
          StoredSavings s;
          s.tender_id = tender_id;
          s.lot_id = lot;
          s.cpv = cpv;
          s.line = {member,
                    Amount{reference},
                    Amount{contract},
                    Amount{standalone},
                    Amount{saved},
                    Amount{pooling},
                    Amount{competition},
                    Amount{one_off_reference},
                    Amount{one_off_contract},
                    Amount{one_off_standalone},
                    measurable != 0};
          s.duration_months = duration;
          s.awarded_on = stored_date(on);
          out.push_back(s);
        }
        return out;
      });
}

}  // namespace canopee::db
