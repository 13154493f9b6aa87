#pragma once
// The officer's decisions on the bids of a lot once they are opened, and the
// drawing of lots between bids still tied: each one unit of work with its audit
// row, checked by the engine against the lot's evaluation as it stands.
#include "adapters/db/database.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/bid_review.hpp"
#include "engine/date.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

// Records one of the officer's decisions on a bid (engine/bid_review.hpp): the
// bid's review changes, the decision joins its history with its author and time,
// and the audit trail gets a "decision:<kind>" row. The lot's evaluation on the
// bids as they stand says whether the formula flags the bid.
Result<Bid> record_bid_decision(db::Database& database, const db::Actor& actor, std::int64_t bid_id,
                                std::optional<std::int64_t> expected_version, const BidDecision& decision, Date today);

// Records a drawing of lots among the tied bids of an open lot of a closed tender
// (engine check_draw: exactly one tie, every tied bid decided), with the audit row
// "draw"; an electronic draw shuffles the tied bids with the operating system's
// random generator. The evaluation then ranks them in that order.
Result<db::LotDraw> record_draw(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                std::int64_t lot_id, const db::DrawRequest& request);

}  // namespace canopee::usecases
