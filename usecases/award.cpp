#include "usecases/award.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/bid_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "engine/award.hpp"
#include "engine/savings.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/shared_costs.hpp"

namespace canopee::usecases {

Result<Tender> award_lot(db::Database& database, const db::Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                         std::int64_t bid_id, Date awarded_on) {
  return db::in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto tender = db::tender_with_locked_lot(sql, tender_id, lot_id);
    if (!tender) return std::move(tender).error();
    const Lot& lot = *find_lot(*tender, lot_id);
    if (auto status = check_lot_settleable(*tender, lot); !status) return std::move(status).error();
    auto evaluation = evaluate_stored_lot(sql, *tender, lot);
    if (!evaluation) return std::move(evaluation).error();
    std::vector<LotLine> lines;
    for (const auto& m : lot.members) lines.push_back({m.member_id, m.quantity, m.reference_value});
    auto decision = canopee::award_lot(lot.quantity, lines, *evaluation, bid_id);
    if (!decision) return std::move(decision).error();
    const auto winner = db::load_bid(sql, bid_id, db::WithDecisions::no);  // one of the lot's: the engine found it
    auto savings = compute_savings(lines, PriceSchedule::make(winner->tiers).value(), decision->unit_price);
    if (!savings) return std::move(savings).error();

    db::insert_award(sql, *winner, *decision, *savings, tender->duration_months, awarded_on);
    if (!db::settle_lot(sql, tender_id, lot_id, LotStatus::awarded, "")) return lot_settled_error();
    const auto after = db::load_tender(sql, tender_id);
    resplit_costs(sql, *after);
    db::write_audit(sql, actor, "lot", lot_id, "award", formats::to_json_text(lot),
                    boost::json::serialize(boost::json::object{{"bid_id", bid_id},
                                                               {"unit_price", to_string(decision->unit_price)},
                                                               {"total", to_string(decision->total)}}));
    db::settle_tender(sql, actor, *after);
    return *db::load_tender(sql, tender_id);
  });
}

Result<Tender> declare_lot_unsuccessful(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                        std::int64_t lot_id, const std::string& reason) {
  if (auto status = check_unsuccessful(reason); !status) return std::move(status).error();
  return db::in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto tender = db::tender_with_locked_lot(sql, tender_id, lot_id);
    if (!tender) return std::move(tender).error();
    const Lot& lot = *find_lot(*tender, lot_id);
    if (auto status = check_lot_settleable(*tender, lot); !status) return std::move(status).error();
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
