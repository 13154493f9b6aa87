#pragma once
// Joint tenders, their lots and bids, and the transitions that move them —
// each transition one transaction with its audit rows:
//   creating a tender from a proposal locks its needs (submitted → pooled);
//   publishing sends them to tendered; cancelling gives them back (submitted);
//   awarding a lot writes the award, one contract per member, the frozen savings
//   lines and the shared-cost splits, and marks its needs awarded;
//   an unsuccessful lot gives its needs back.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/cost_split.hpp"
#include "engine/savings.hpp"
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
struct TransitionFacts {
  std::optional<Instant> now;                   // the caller's clock; else the start of `today` in Paris
  std::string reason;                           // closing before the deadline requires one
  const ThresholdTable* thresholds = nullptr;   // for the advice frozen at publication; defaults when null
};
// publish, close or cancel. Publishing sends the notice on `today` at `facts.now`:
// the launch date becomes `today`, the procedure advice is computed again at it and
// stored, and the deadline must leave the procedure's minimum time limit
// (check_publishable). Closing before the deadline records `facts.reason`.
Result<Tender> transition_tender(Database& database, const Actor& actor, std::int64_t id, TenderStatus to,
                                 std::optional<std::int64_t> version, Date today, const TransitionFacts& facts = {});

// `bid.received_at` (RFC 3339 or a local Paris time) or, when empty, the wall
// clock; checked by check_bid_receipt against `clock` (else the wall clock).
Result<Bid> create_bid(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id, const Bid& bid,
                       std::optional<Instant> clock = std::nullopt);
Result<Bid> get_bid(Database& database, std::int64_t id);
Result<std::vector<Bid>> list_bids(Database& database, std::int64_t lot_id);
// Status, justification, scores (and tiers while still received). `bid.version` as read.
Result<Bid> update_bid(Database& database, const Actor& actor, const Bid& bid);

// The evaluation of every lot of a tender, from the stored bids.
// Records one of the officer's decisions on a bid (engine/bid_review.hpp): the
// bid's review changes, the decision joins its history with its author and time,
// and the audit trail gets a "decision:<kind>" row, in one transaction. The lot's
// evaluation on the bids as they stand says whether the formula flags the bid.
Result<Bid> record_bid_decision(Database& database, const Actor& actor, std::int64_t bid_id,
                                std::optional<std::int64_t> expected_version, const BidDecision& decision, Date today);

// Records a drawing of lots among the tied bids of an open lot of a closed tender
// (engine check_draw: exactly one tie, every tied bid decided), with the audit row
// "draw", in one transaction; an electronic draw shuffles the tied bids with the
// operating system's random generator. The evaluation then ranks them in that order.
Result<LotDraw> record_draw(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                           const DrawRequest& request);

Result<std::vector<std::pair<Lot, LotEvaluation>>> evaluate_tender(Database& database, std::int64_t tender_id);

struct SettingsSnapshot {
  SubsidySettings subsidy;
};
Result<SettingsSnapshot> read_settings(Database& database);

Result<Tender> award_lot(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                         std::int64_t bid_id, Date awarded_on);
Result<Tender> mark_lot_unsuccessful(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                                     const std::string& reason);

struct StoredCost {
  std::int64_t id = 0;
  SharedCost cost;
  std::vector<MemberCost> split;  // latest split (empty until something can be split)
  std::int64_t subsidy_rate_bp = 0;
};
// Refused (invalid, naming the field) when the tender cannot split it: see
// check_cost_for_tender. Every cost of the tender is split again, each on its own.
Result<StoredCost> add_shared_cost(Database& database, const Actor& actor, std::int64_t tender_id, const SharedCost& cost);
// Removes a cost recorded by mistake (a correction is a removal and a new cost),
// with an audit row keeping it and its split as they were; the tender's other
// costs are split again. Allowed in every status but cancelled (a cancelled
// tender's figures stay as they were). Returns the costs left.
Result<std::vector<StoredCost>> remove_shared_cost(Database& database, const Actor& actor, std::int64_t tender_id,
                                                   std::int64_t cost_id);
Result<std::vector<StoredCost>> list_shared_costs(Database& database, std::int64_t tender_id);

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
};
Result<PageOf<Contract>> list_contracts(Database& database, std::optional<std::int64_t> member_id, const Page& page);

struct StoredSavings {
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::string cpv;
  SavingsLine line;
  int duration_months = 12;
  Date awarded_on;
};
Result<std::vector<StoredSavings>> savings_of_tender(Database& database, std::int64_t tender_id);

}  // namespace canopee::db

namespace canopee::db {
// The winning bid of each awarded lot of a tender, by lot id.
Result<std::map<std::int64_t, Bid>> winning_bids(Database& database, std::int64_t tender_id);
}  // namespace canopee::db
