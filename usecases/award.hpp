#pragma once
// Settling a lot of a closed tender — the award decision, or the lot declared
// unsuccessful — each one unit of work with its audit rows. The award evaluates
// the lot on its stored bids (engine/evaluation), lets the engine decide whether
// the chosen bid may win (engine/award: better-ranked bids decided, ties drawn),
// splits the lot between the members at the winning price, freezes each member's
// savings (engine/savings), writes the contracts, splits the shared costs again
// (engine/cost_split) and, when no lot is left open, the tender is awarded.
#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/date.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

Result<Tender> award_lot(db::Database& database, const db::Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                         std::int64_t bid_id, Date awarded_on);

// The lot's needs go back to their members (submitted) with `reason` recorded
// (check_unsuccessful).
Result<Tender> declare_lot_unsuccessful(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                        std::int64_t lot_id, const std::string& reason);

}  // namespace canopee::usecases
