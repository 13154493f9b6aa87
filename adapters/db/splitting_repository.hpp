#pragma once
// Storage of the anti-splitting view (schema/0012): stand-alone purchases (recorded,
// listed, cancelled with a reason, audited as "standalone_purchase"), and the rows
// the yearly view reads — the year's joint tenders with their lots and member lines.
// The figures are computed by engine/splitting.
#include <optional>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/splitting.hpp"

namespace canopee::db {

struct StandalonePurchaseFilter {
  std::optional<int> year;  // the order date's calendar year
  std::optional<std::int64_t> member_id;
};

// Validates (validate_standalone_purchase), inserts, audits ("create").
Result<StandalonePurchase> create_standalone_purchase(Database& database, const Actor& actor,
                                                      const StandalonePurchase& purchase);
Result<StandalonePurchase> get_standalone_purchase(Database& database, std::int64_t id);
// Newest first, cancelled ones included.
Result<PageOf<StandalonePurchase>> list_standalone_purchases(Database& database, const StandalonePurchaseFilter& filter,
                                                             const Page& page);
// Cancels with a reason (audited "cancel"); a cancelled purchase is a conflict
// (standalone_purchase.already_cancelled); `version`, when given, must match (stale);
// a buyer only on the day the purchase was recorded (check_cancel_right; the day by
// the wall clock that stamped the purchase).
Result<StandalonePurchase> cancel_standalone_purchase(Database& database, const Actor& actor, std::int64_t id,
                                                      const std::string& reason, std::optional<std::int64_t> version,
                                                      bool by_officer);

// The recorded (not cancelled) purchases ordered in `year`, of one member or all.
Result<std::vector<StandalonePurchase>> standalone_purchases_of_year(Database& database, int year,
                                                                     std::optional<std::int64_t> member_id);

// The non-cancelled joint tenders that may count in `year`: launched in it, or not
// launched (the engine places those by their creation day). Each carries its id,
// reference, title, status, procedure, launch date, creation day and lots (CPV,
// estimated value, officer's estimate, member lines) — nothing else.
Result<std::vector<Tender>> joint_tenders_of_year(Database& database, int year);

}  // namespace canopee::db
