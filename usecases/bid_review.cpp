#include "usecases/bid_review.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <random>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "usecases/lot_evaluation.hpp"

namespace canopee::usecases {

Result<Bid> record_bid_decision(db::Database& database, const db::Actor& actor, std::int64_t bid_id,
                                std::optional<std::int64_t> expected_version, const BidDecision& decision, Date today) {
  return db::in_transaction<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto found = db::load_bid(sql, bid_id, db::WithDecisions::no);
    if (!found) return db::bid_not_found();
    if (expected_version && *expected_version != found->version) return db::bid_changed();
    db::lock_lot(sql, found->lot_id);  // no other decision, draw or award on the lot's bids meanwhile
    const Bid before = *db::load_bid(sql, bid_id);
    if (expected_version && *expected_version != before.version) return db::bid_changed();
    auto tender = db::load_tender(sql, db::tender_of_lot(sql, before.lot_id));
    if (!tender) return db::tender_not_found();
    const Lot& lot = *find_lot(*tender, before.lot_id);
    // Whether the formula flags the bid: the lot evaluated on its bids as they stand.
    CANOPEE_TRY(evaluation, evaluate_stored_lot(sql, *tender, lot));
    const auto evaluated = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                        [&](const BidEvaluation& b) { return b.bid_id == bid_id; });
    DecisionContext context;
    context.tender_closed = tender->status == TenderStatus::closed;
    context.lot_open = lot.status == LotStatus::open;
    context.flagged_abnormally_low = evaluated != evaluation.bids.end() && evaluated->abnormally_low;
    context.today = today;
    CANOPEE_TRY(review, decide(before.review, decision, context));
    if (!db::save_bid_decision(sql, actor, before, review, decision)) return db::bid_changed();
    auto after = *db::load_bid(sql, bid_id);
    db::write_audit(sql, actor, "bid", bid_id, "decision:" + std::string(to_string(decision.kind)),
                    formats::to_json_text(before), formats::to_json_text(after));
    return after;
  });
}

Result<db::LotDraw> record_draw(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                std::int64_t lot_id, const db::DrawRequest& request) {
  return db::in_transaction<db::LotDraw>(database, [&](soci::session& sql) -> Result<db::LotDraw> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    const Lot& lot = *find_lot(tender, lot_id);
    if (tender.status != TenderStatus::closed || lot.status != LotStatus::open) {
      return Error::rule_broken(
          ErrorCode::conflict, "draw.lot_not_open", "lot",
          "le tirage au sort départage les offres d’un lot ouvert, une fois la remise des offres close");
    }
    CANOPEE_TRY(evaluation, evaluate_stored_lot(sql, tender, lot));
    // A hand draw names the bids in the order drawn; the server's may leave them to the lot's only tie.
    auto order = request.method == db::DrawMethod::electronic ? bids_to_draw(evaluation, request.order)
                                                              : Result<std::vector<std::int64_t>>(request.order);
    if (!order) return std::move(order).error();
    CANOPEE_TRY_STATUS(check_draw(evaluation, *order, request.minutes));
    if (request.method == db::DrawMethod::electronic) {
      std::random_device entropy;  // the operating system's generator: nobody chooses the outcome
      std::shuffle(order->begin(), order->end(), entropy);
    }
    const auto draw = db::insert_draw(sql, actor, lot_id, request.method, *order, request.minutes);
    boost::json::array drawn;
    for (const auto id : *order) drawn.push_back(id);
    db::write_audit(sql, actor, "lot", lot_id, "draw", "",
                    boost::json::serialize(boost::json::object{{"draw_id", draw.id},
                                                               {"method", to_string(request.method)},
                                                               {"order", std::move(drawn)},
                                                               {"minutes", request.minutes}}));
    return db::load_tender_draws(sql, tender_id)[lot_id].back();  // as stored, with its author's name
  });
}

}  // namespace canopee::usecases
