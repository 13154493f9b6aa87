#pragma once
// What an award leaves behind: the award row, one contract per member, the frozen
// savings lines; the tender's shared costs with their latest split; the settings
// the split reads. Loads and saves only: the award and the splits are computed by
// the use cases (usecases/award.hpp, usecases/shared_costs.hpp).
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/award.hpp"
#include "engine/cost_split.hpp"
#include "engine/savings.hpp"
#include "engine/tender.hpp"

namespace canopee::db {

struct SettingsSnapshot {
  SubsidySettings subsidy;
};

struct StoredCost {
  std::int64_t id = 0;
  SharedCost cost;
  std::vector<MemberCost> split;  // latest split (empty until something can be split)
  std::int64_t subsidy_rate_bp = 0;
};

struct Contract {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  std::int64_t supplier_id = 0;
  Quantity quantity;
  UnitPrice unit_price;
  Amount amount;
  std::string awarded_at;
  std::optional<Date> signed_on;    // after the award decision (usecases/award_chain)
  std::optional<Date> notified_on;  // in force from that day (R2182-4)
  // What a reader recognises the contract by (read with it, for the lists).
  std::string tender_reference;
  std::string tender_title;
  int lot_number = 0;
  std::string lot_title;
  std::string member_code;
  std::string member_name;
  std::string supplier_name;
  // The member signs and notifies it itself (its groupement's coordinator's mission stops
  // at the award, L2113-7); otherwise the coordinator does.
  bool members_sign = false;
  // The lot's unit, and the tender's planned start and initial duration (renewals and
  // modifications aside): the contract runs from its notification once notified.
  std::string unit;
  Date planned_start;
  int duration_months = 0;
};

struct StoredSavings {
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::string cpv;
  SavingsLine line;
  int duration_months = 12;
  Date awarded_on;
};

// ---- For the use cases, inside their unit of work ----

// A malformed setting keeps its default.
SettingsSnapshot load_settings(soci::session& sql);
// The award of `winner`'s lot, its contracts (one per member line of `decision`)
// and the savings lines frozen on `awarded_on` for `duration_months`.
void insert_award(soci::session& sql, const Bid& winner, const AwardDecision& decision,
                  const std::vector<SavingsLine>& savings, int duration_months, Date awarded_on);
// The tender's costs, oldest first, with their fixed shares and latest split.
std::vector<StoredCost> load_costs(soci::session& sql, std::int64_t tender_id);
std::int64_t insert_cost(soci::session& sql, std::int64_t tender_id, const SharedCost& cost);
// The cost with its shares and split; false when it is not one of the tender's.
bool delete_cost(soci::session& sql, std::int64_t tender_id, std::int64_t cost_id);
// Removes every split of the tender's costs, after taking the tender's split lock
// (PostgreSQL), so that two re-splits of one tender take turns.
void clear_cost_splits(soci::session& sql, std::int64_t tender_id);
void insert_cost_split(soci::session& sql, std::int64_t cost_id, const CostAllocation& split);
// The sum of each member's contracts in the tender, by member id.
std::map<std::int64_t, Amount> contract_values(soci::session& sql, std::int64_t tender_id);

// ---- Reads, each on a pooled connection ----

Result<std::vector<StoredCost>> list_shared_costs(Database& database, std::int64_t tender_id);
Result<PageOf<Contract>> list_contracts(Database& database, std::optional<std::int64_t> member_id, const Page& page);
Result<std::vector<StoredSavings>> savings_of_tender(Database& database, std::int64_t tender_id);

}  // namespace canopee::db
