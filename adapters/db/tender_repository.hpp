#pragma once
// Joint tenders and their lots, and the transitions that move them — each one
// transaction with its audit rows: creating a tender from a proposal locks its
// needs (submitted → pooled); publishing sends them to tendered; cancelling gives
// them back (submitted). Bids are in bid_repository, awards, contracts and shared
// costs in award_repository; the award itself is a use case (usecases/award.hpp).
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee::db {

// `tender` carries everything but ids, reference, status and versions; its lots
// come from lots_from_proposal.
Result<Tender> create_tender(Database& database, const Actor& actor, const Tender& tender);
Result<Tender> get_tender(Database& database, std::int64_t id);
// Tenders in which the member has a lot line (all when member_id is none).
Result<PageOf<Tender>> list_tenders(Database& database, std::optional<std::int64_t> member_id, const Page& page);
// Draft only: title, vehicle, criteria, formula, flag method, deadline, contract
// dates, allotment justification, launch date, lot titles. `tender.version` as read.
Result<Tender> update_tender(Database& database, const Actor& actor, const Tender& tender);
// ---- For the use cases, inside their unit of work ----

// The problems of a tender not found (404, tender.not_found) and of a stale version
// (412, tender.stale).
Error tender_not_found();
Error tender_changed();

// What a transition stores besides the status.
struct TransitionRecord {
  Instant at;                          // published_at or closed_at
  Date today;                          // the launch date, when publishing
  std::string reason;                  // why it closed before the deadline
  std::optional<Procedure> procedure;  // the advice frozen at publication
};
// The tender moves from its status as read to `to` (false when it moved meanwhile),
// with the publication's procedure and dates and its needs tendered, the closing's
// instant and reason, or the cancellation's needs given back. The caller checked the
// transition (check_transition) and writes the audit row.
bool save_transition(soci::session& sql, const Tender& before, TenderStatus to, const TransitionRecord& record);

std::optional<Tender> load_tender(soci::session& sql, std::int64_t id);
// Whole tenders (criteria, lots, members' lines, needs) in five queries, whatever
// their number, in the order of `ids` (ids of no tender are skipped).
std::vector<Tender> load_tenders(soci::session& sql, const std::vector<std::int64_t>& ids);
// Locks the lot's row (see lock_lot), then reads its tender; not found when the
// tender does not exist or the lot is not one of its lots.
Result<Tender> tender_with_locked_lot(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id);
// Taken first by every write on a lot's bids (a bid recorded or changed, a
// decision, a draw, an award), so that on PostgreSQL (read committed) they run one
// after the other; SQLite's writers are serialised anyway.
void lock_lot(soci::session& sql, std::int64_t lot_id);
// The tender of a lot (0 when there is no such lot).
std::int64_t tender_of_lot(soci::session& sql, std::int64_t lot_id);
// An open lot becomes awarded (its needs awarded) or unsuccessful with `reason`
// (its needs given back, submitted); false when the lot was no longer open.
bool settle_lot(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id, LotStatus to,
                const std::string& reason);
// After a lot is settled: a closed tender with no lot left open becomes awarded
// (with its audit row).
void settle_tender(soci::session& sql, const Actor& actor, const Tender& tender);

}  // namespace canopee::db
