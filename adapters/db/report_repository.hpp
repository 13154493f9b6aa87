#pragma once
// What reports and exports read: the frozen savings lines of a period, the shared
// costs of their tenders per member, and the per-member contracts with what the
// essential-data export (DECP) needs about them.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "engine/report.hpp"

namespace canopee::db {

// The savings lines counted between `from` and `to` (inclusive), of one member or all:
// counted from the notification of the member's contract for the lot when recorded,
// else from the award decision (ReportLine::counted_on).
Result<std::vector<ReportLine>> report_lines(Database& database, Date from, Date to,
                                             std::optional<std::int64_t> member_id);
// Each (tender, member)'s shared costs and subsidy, for the tenders given.
Result<std::vector<TenderMemberCost>> tender_member_costs(Database& database, std::span<const std::int64_t> tender_ids);

struct ContractRecord {
  std::int64_t contract_id = 0;
  std::int64_t tender_id = 0;
  std::string tender_reference;
  std::string tender_title;
  std::string kind;       // supplies, services, works
  std::string procedure;  // no_competition, adapted, formal
  bool framework_agreement = true;
  int duration_months = 12;
  std::int64_t lot_id = 0;
  int lot_number = 0;
  std::string lot_title;
  std::string cpv;
  std::string department;  // the member's
  std::int64_t member_id = 0;
  std::string member_siren;
  std::string member_name;
  std::string member_code;
  // The tender's coordinator: the buyer who ran the procedure (the groupement's
  // mandataire, or the centrale), the DECP's `acheteur` (docs/reports.md).
  std::int64_t buyer_member_id = 0;
  std::string buyer_code;
  std::optional<std::string> buyer_siret;
  std::int64_t supplier_id = 0;
  std::string supplier_siret;
  std::string supplier_name;
  Amount amount;
  std::string awarded_at;                  // the award date, YYYY-MM-DD
  std::optional<std::string> signed_on;    // the contract's signature, YYYY-MM-DD
  std::optional<std::string> notified_on;  // the contract's notification (in force), YYYY-MM-DD
  int bids_received = 0;
  bool environmental_criterion = false;
  bool environmental_clause = false;  // environmental execution conditions recorded (L2112-2)
  bool social_clause = false;         // social considerations recorded (L2112-2-1)
};
Result<std::vector<ContractRecord>> contracts_awarded(Database& database, Date from, Date to,
                                                      std::optional<std::int64_t> member_id,
                                                      std::optional<std::int64_t> tender_id);
// The contracts notified between `from` and `to` (R2182-4: in force), of one member or all.
Result<std::vector<ContractRecord>> contracts_notified(Database& database, Date from, Date to,
                                                       std::optional<std::int64_t> member_id);

}  // namespace canopee::db
