#include "usecases/award.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/bid_repository.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "adapters/db/notification_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "engine/award.hpp"
#include "engine/savings.hpp"
#include "usecases/award_references.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/shared_costs.hpp"

namespace canopee::usecases {

Result<Tender> award_lot(db::Database& database, const db::Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                         std::int64_t bid_id, Date awarded_on) {
  return db::in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    const Lot& lot = *find_lot(tender, lot_id);
    CANOPEE_TRY_STATUS(check_lot_settleable(tender, lot));
    const auto bids = db::load_lot_bids(sql, lot_id, db::WithDecisions::no);
    CANOPEE_TRY(evaluation, evaluate_lot_bids(tender, lot, bids, db::load_tender_draws(sql, tender_id)));
    std::vector<LotLine> lines;
    for (const auto& m : lot.members) {
      lines.push_back({m.member_id, m.quantity, m.reference_value, m.one_off_quantity, m.one_off_reference_value});
    }
    // The reference of the savings: actualised to the award date or the offers' average (issue 19).
    CANOPEE_TRY(references, actualised_references(sql, tender, lot, evaluation, awarded_on));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      lines[i].reference_value = references[i].actualised;
      if (!references[i].parts.empty()) lines[i].one_off_reference_value = references[i].one_off_actualised;
    }
    CANOPEE_TRY(decision, canopee::award_lot(lot.quantity, lines, evaluation, bid_id));
    // One of the lot's bids: the engine found it among them.
    const auto& winner = *std::find_if(bids.begin(), bids.end(), [&](const Bid& b) { return b.id == bid_id; });
    CANOPEE_TRY(savings, compute_savings(lines, PriceSchedule::make(winner.tiers).value(), decision.unit_price));

    db::insert_award(sql, winner, decision, savings, tender.duration_months, awarded_on);
    db::insert_references(sql, lot_id, references);
    if (!db::settle_lot(sql, tender_id, lot_id, LotStatus::awarded, "")) return lot_settled_error();
    const auto after = db::load_tender(sql, tender_id);
    resplit_costs(sql, *after);
    db::write_audit(sql, actor, "lot", lot_id, "award", formats::to_json_text(lot),
                    boost::json::serialize(boost::json::object{{"bid_id", bid_id},
                                                               {"unit_price", to_string(decision.unit_price)},
                                                               {"total", to_string(decision.total)}}));
    db::settle_tender(sql, actor, *after);
    db::notify_lot_awarded(sql, tender_id, lot_id);  // the members' buyers, in this transaction
    return *db::load_tender(sql, tender_id);
  });
}

Result<Tender> declare_lot_unsuccessful(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                        std::int64_t lot_id, const std::string& reason) {
  CANOPEE_TRY_STATUS(check_unsuccessful(reason));
  return db::in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    const Lot& lot = *find_lot(tender, lot_id);
    CANOPEE_TRY_STATUS(check_lot_settleable(tender, lot));
    if (!db::settle_lot(sql, tender_id, lot_id, LotStatus::unsuccessful, reason)) return lot_settled_error();
    const auto after = db::load_tender(sql, tender_id);
    resplit_costs(sql, *after);
    db::write_audit(sql, actor, "lot", lot_id, "unsuccessful", formats::to_json_text(lot),
                    formats::to_json_text(*find_lot(*after, lot_id)));
    db::settle_tender(sql, actor, *after);
    return *db::load_tender(sql, tender_id);
  });
}

}  // namespace canopee::usecases
