#pragma once
// A lot evaluated on its stored bids and draws: what the evaluation screen shows,
// and what a decision, a draw or an award checks against — one way for all four.
#include <soci/soci.h>

#include <utility>
#include <vector>

#include "adapters/db/database.hpp"
#include "engine/evaluation.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

// The stored bids as the engine evaluates them (states, schedules, marks).
std::vector<BidInput> evaluation_inputs(const std::vector<Bid>& bids);

// Inside a unit of work: the lot of `tender` evaluated on its bids as they stand,
// with the tender's formula, flagging method and tie-break and the lot's draws.
Result<LotEvaluation> evaluate_stored_lot(soci::session& sql, const Tender& tender, const Lot& lot);

// Every lot of the tender, evaluated in one snapshot.
Result<std::vector<std::pair<Lot, LotEvaluation>>> evaluate_tender(db::Database& database, std::int64_t tender_id);

}  // namespace canopee::usecases
