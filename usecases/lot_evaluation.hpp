#pragma once
// A lot evaluated on its stored bids and draws: what the evaluation screen shows,
// and what a decision, a draw or an award checks against — one way for all four.
#include <soci/soci.h>

#include <map>
#include <utility>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "engine/evaluation.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

// The stored bids as the engine evaluates them (states, schedules, marks).
std::vector<BidInput> evaluation_inputs(const std::vector<Bid>& bids);

// Inside a unit of work: the lot of `tender` evaluated on its bids as they stand,
// with the tender's formula, flagging method and tie-break and the lot's draws.
Result<LotEvaluation> evaluate_stored_lot(soci::session& sql, const Tender& tender, const Lot& lot);
// The same with the tender's draws already read (db::load_tender_draws), for several lots.
Result<LotEvaluation> evaluate_stored_lot(soci::session& sql, const Tender& tender, const Lot& lot,
                                          const std::map<std::int64_t, std::vector<db::LotDraw>>& draws);

// The lot evaluated on `bids`, the lot's bids as the caller read them (no decisions
// needed), and the tender's draws.
Result<LotEvaluation> evaluate_lot_bids(const Tender& tender, const Lot& lot, const std::vector<Bid>& bids,
                                        const std::map<std::int64_t, std::vector<db::LotDraw>>& draws);

// Every lot of the tender, evaluated in one snapshot.
Result<std::vector<std::pair<Lot, LotEvaluation>>> evaluate_tender(db::Database& database, std::int64_t tender_id);

}  // namespace canopee::usecases
