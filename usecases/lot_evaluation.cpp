#include "usecases/lot_evaluation.hpp"

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/price_schedule.hpp"

namespace canopee::usecases {

std::vector<BidInput> evaluation_inputs(const std::vector<Bid>& bids) {
  std::vector<BidInput> inputs;
  inputs.reserve(bids.size());
  for (const auto& b : bids) {
    BidInput in;
    in.bid_id = b.id;
    in.supplier_id = b.supplier_id;
    in.regularity = b.review.regularity;
    in.schedule = PriceSchedule::make(b.tiers).value();  // checked when the bid was recorded
    in.scores = b.scores;
    in.price_review = b.review.price_review;
    inputs.push_back(std::move(in));
  }
  return inputs;
}

Result<LotEvaluation> evaluate_lot_bids(const Tender& tender, const Lot& lot, const std::vector<Bid>& bids,
                                        const std::map<std::int64_t, std::vector<db::LotDraw>>& draws) {
  EvaluationOptions options;
  options.formula = tender.price_formula;
  options.method = tender.abnormally_low_method;
  options.estimate = lot.estimate();
  options.tie_break = tender.tie_break;
  if (const auto drawn = draws.find(lot.id); drawn != draws.end()) options.draws = db::tie_draws(drawn->second);
  return evaluate_lot(lot.quantity, tender.criteria, evaluation_inputs(bids), options);
}

Result<LotEvaluation> evaluate_stored_lot(soci::session& sql, const Tender& tender, const Lot& lot,
                                          const std::map<std::int64_t, std::vector<db::LotDraw>>& draws) {
  return evaluate_lot_bids(tender, lot, db::load_lot_bids(sql, lot.id, db::WithDecisions::no), draws);
}

Result<LotEvaluation> evaluate_stored_lot(soci::session& sql, const Tender& tender, const Lot& lot) {
  return evaluate_stored_lot(sql, tender, lot, db::load_tender_draws(sql, tender.id));
}

Result<std::vector<std::pair<Lot, LotEvaluation>>> evaluate_tender(db::Database& database, std::int64_t tender_id) {
  using Out = std::vector<std::pair<Lot, LotEvaluation>>;
  // One transaction: every lot is read in the same snapshot.
  return db::in_snapshot<Out>(database, [&](soci::session& sql) -> Result<Out> {
    auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    Out out;
    const auto draws = db::load_tender_draws(sql, tender_id);  // once for every lot
    for (const auto& lot : tender->lots) {
      auto evaluation = evaluate_stored_lot(sql, *tender, lot, draws);
      if (!evaluation) return std::move(evaluation).error();
      out.emplace_back(lot, std::move(evaluation).value());
    }
    return out;
  });
}

}  // namespace canopee::usecases
