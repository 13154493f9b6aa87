#pragma once
// Bids of a lot: their price tiers, marks, review state and the history of the
// officer's decisions. Loads and saves only: the decisions and draws that need
// the lot's evaluation are use cases (usecases/bid_review.hpp).
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/tender.hpp"

namespace canopee::db {

// Decisions are read only where the bid is shown or audited, not for evaluations
// and awards, which need the states alone.
enum class WithDecisions : bool { no, yes };

// The bids of a lot, oldest first, with their tiers and marks read in one query
// each for the whole lot.
// The problems of a bid not found (404, bid.not_found) and of a stale version (412, bid.stale).
Error bid_not_found();
Error bid_changed();

std::vector<Bid> load_lot_bids(soci::session& sql, std::int64_t lot_id, WithDecisions with = WithDecisions::yes);
std::optional<Bid> load_bid(soci::session& sql, std::int64_t bid_id, WithDecisions with = WithDecisions::yes);

// Saves a bid's new review state (on the version `before` was read at) and appends
// the decision to its history with its author and time; false when the bid changed
// meanwhile. The caller writes the audit row.
bool save_bid_decision(soci::session& sql, const Actor& actor, const Bid& before, const BidReview& review,
                       const BidDecision& decision);

// `bid.received_at` (RFC 3339 or a local Paris time) or, when empty, the wall
// clock; checked by check_bid_receipt against `clock` (else the wall clock).
Result<Bid> create_bid(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                       const Bid& bid, std::optional<Instant> clock = std::nullopt);
Result<Bid> get_bid(Database& database, std::int64_t id);
Result<std::vector<Bid>> list_bids(Database& database, std::int64_t lot_id);
// Status, justification, scores (and tiers while still received). `bid.version` as read.
// A mark already given changes after the opening only with `reason` (kept in the
// audit row), and no mark changes once lots were drawn on the lot (check_score_change).
Result<Bid> update_bid(Database& database, const Actor& actor, const Bid& bid, std::string_view reason = {});

// Removes a bid recorded by mistake, with its tiers and marks (the audit row keeps it as
// it was): only while its lot is open in a published or closed tender and no decision
// was taken on it (409 lot.settled, bid.delete.tender_settled, bid.delete.decided).
Status delete_bid(Database& database, const Actor& actor, std::int64_t bid_id,
                  std::optional<std::int64_t> expected_version);

// The winning bid of each awarded lot of a tender, by lot id.
Result<std::map<std::int64_t, Bid>> winning_bids(Database& database, std::int64_t tender_id);

}  // namespace canopee::db
