#include "usecases/award_references.hpp"

#include <algorithm>
#include <set>

#include "adapters/db/price_revision_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {
namespace {

// One need on the aggregation's basis (engine/aggregation.cpp): a recurring need's yearly
// quantity over the contract's duration, in the lot's unit; its value at its reference price.
ReferenceNeed weighed(const db::LotNeed& n, const Tender& tender, const Lot& lot) {
  ReferenceNeed r;
  r.need_id = n.need_id;
  r.source = n.source;
  r.reference_date = n.reference_date;
  r.index_code = n.index_code;
  r.one_off = !n.recurring;
  std::int64_t quantity = n.quantity.thousandths;
  if (n.recurring) quantity = (quantity * tender.duration_months + 6) / 12;
  const auto value = line_amount(Quantity{quantity}, n.reference_unit_price);
  r.value_weight = value ? value->cents : 0;
  const std::int64_t lot_factor = finest_unit_factor(lot.unit);
  const std::int64_t factor = finest_unit_factor(n.unit);
  r.quantity_weight = lot_factor > 0 && factor >= lot_factor ? quantity * (factor / lot_factor) : quantity;
  return r;
}

}  // namespace

Result<std::vector<MemberReference>> actualised_references(soci::session& sql, const Tender& tender, const Lot& lot,
                                                           const LotEvaluation& evaluation, Date awarded_on) {
  const auto needs = db::load_lot_needs(sql, lot.id);
  std::vector<MemberReferenceInput> lines;
  for (const auto& m : lot.members) {
    MemberReferenceInput line{m.member_id, m.quantity, m.reference_value, {}};
    for (const auto& n : needs) {
      if (n.member_id == m.member_id) line.needs.push_back(weighed(n, tender, lot));
    }
    lines.push_back(std::move(line));
  }
  IndexSeries series;
  std::set<std::string> codes;
  for (const auto& n : needs) {
    if (!n.index_code.empty()) codes.insert(n.index_code);
  }
  for (const auto& code : codes) {
    auto& values = series[code];
    for (const auto& point : db::load_index_series(sql, code)) values[point.month] = point.value;
  }
  std::optional<OffersAverage> offers;
  if (std::any_of(needs.begin(), needs.end(),
                  [](const db::LotNeed& n) { return n.source == ReferenceSource::average_of_offers; })) {
    CANOPEE_TRY(average, average_of_offers(evaluation));
    offers = average;
  }
  return compute_references(lines, series, awarded_on, offers);
}

Result<std::vector<db::StoredReference>> lot_references(db::Database& database, std::int64_t lot_id) {
  return db::in_snapshot<std::vector<db::StoredReference>>(
      database,
      [&](soci::session& sql) -> Result<std::vector<db::StoredReference>> { return db::load_references(sql, lot_id); });
}

}  // namespace canopee::usecases
