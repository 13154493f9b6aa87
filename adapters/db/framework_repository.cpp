#include "adapters/db/framework_repository.hpp"

#include <string>

#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kDeleteMemberBounds =
    "DELETE FROM member_bounds WHERE lot_id IN (SELECT id FROM lots WHERE tender_id = :tender)";
constexpr std::string_view kDeleteLotBounds =
    "DELETE FROM lot_bounds WHERE lot_id IN (SELECT id FROM lots WHERE tender_id = :tender)";
constexpr std::string_view kDeleteTerms = "DELETE FROM framework_terms WHERE tender_id = :tender";
constexpr std::string_view kInsertTerms =
    "INSERT INTO framework_terms (tender_id, renewals, renewal_months, duration_justification, margin_bp) "
    "VALUES (:tender, :renewals, :months, :justification, :margin)";
constexpr std::string_view kInsertLotBounds = "INSERT INTO lot_bounds (lot_id, basis) VALUES (:lot, :basis)";
constexpr std::string_view kInsertMemberBounds =
    "INSERT INTO member_bounds (lot_id, member_id, maximum, minimum) VALUES (:lot, :member, :maximum, :minimum)";
constexpr std::string_view kContract =
    "SELECT c.lot_id, c.member_id, l.tender_id, CAST(c.notified_on AS TEXT), c.unit_price, c.amount "
    "FROM contracts c JOIN lots l ON l.id = c.lot_id WHERE c.id = :id";
constexpr std::string_view kConsumedValue =
    "SELECT COALESCE(SUM(total), 0) FROM orders WHERE contract_id = :contract "
    "AND status NOT IN ('draft', 'cancelled')";
constexpr std::string_view kConsumedQuantity =
    "SELECT COALESCE(SUM(ol.quantity), 0) FROM order_lines ol JOIN orders o ON o.id = ol.order_id "
    "WHERE o.contract_id = :contract AND o.status NOT IN ('draft', 'cancelled')";

struct ContractRow {
  long long lot_id = 0, member_id = 0, tender_id = 0, unit_price = 0, amount = 0;
  std::optional<Date> notified_on;
};

std::optional<ContractRow> contract_row(soci::session& sql, std::int64_t contract_id) {
  ContractRow row;
  std::string notified;
  soci::indicator notified_ind = soci::i_null;
  long long id = contract_id;
  sql << kContract, soci::use(id), soci::into(row.lot_id), soci::into(row.member_id), soci::into(row.tender_id),
      soci::into(notified, notified_ind), soci::into(row.unit_price), soci::into(row.amount);
  if (!sql.got_data()) return std::nullopt;
  if (notified_ind == soci::i_ok && !notified.empty()) row.notified_on = stored_date(notified);
  return row;
}

std::optional<ContractBounds> bounds_from(std::int64_t contract_id, const ContractRow& row, const Tender& tender) {
  const Lot* lot = find_lot(tender, row.lot_id);
  if (lot == nullptr) return std::nullopt;
  ContractBounds bounds;
  bounds.contract_id = contract_id;
  bounds.lot_id = row.lot_id;
  bounds.member_id = row.member_id;
  bounds.tender_id = row.tender_id;
  bounds.framework = tender.framework_agreement;
  bounds.period = ContractPeriod{row.notified_on, total_duration_months(tender)};
  bounds.unit_price = UnitPrice{row.unit_price};
  bounds.amount = Amount{row.amount};
  const LotMaximum maximum = lot_maximum(tender, *lot);
  bounds.basis = maximum.basis;
  for (const auto& m : maximum.members) {
    if (m.member_id != row.member_id) continue;
    bounds.maximum = m.maximum;
    bounds.minimum = m.minimum;
    bounds.value = m.value;
  }
  for (const auto& line : lot->members)
    if (line.member_id == row.member_id) bounds.reference_unit_price = line.reference_unit_price;
  return bounds;
}

}  // namespace

void save_framework_terms(soci::session& sql, std::int64_t tender_id, const FrameworkTerms& terms) {
  long long tender = tender_id;
  sql << kDeleteMemberBounds, soci::use(tender);
  sql << kDeleteLotBounds, soci::use(tender);
  sql << kDeleteTerms, soci::use(tender);
  int renewals = terms.renewals, months = terms.renewal_months, margin = terms.margin_bp;
  sql << kInsertTerms, soci::use(tender), soci::use(renewals), soci::use(months),
      soci::use(terms.duration_justification), soci::use(margin);
  for (const auto& lot : terms.lots) {
    long long lot_id = lot.lot_id;
    const std::string basis(to_string(lot.basis));
    sql << kInsertLotBounds, soci::use(lot_id), soci::use(basis);
    for (const auto& m : lot.members) {
      long long member = m.member_id, maximum = m.maximum.value_or(0), minimum = m.minimum.value_or(0);
      soci::indicator maximum_ind = m.maximum ? soci::i_ok : soci::i_null;
      soci::indicator minimum_ind = m.minimum ? soci::i_ok : soci::i_null;
      sql << kInsertMemberBounds, soci::use(lot_id), soci::use(member), soci::use(maximum, maximum_ind),
          soci::use(minimum, minimum_ind);
    }
  }
}

std::optional<ContractBounds> contract_bounds(soci::session& sql, std::int64_t contract_id) {
  const auto row = contract_row(sql, contract_id);
  if (!row) return std::nullopt;
  const auto tender = load_tender(sql, row->tender_id);
  if (!tender) return std::nullopt;
  return bounds_from(contract_id, *row, *tender);
}

std::optional<ContractBounds> contract_bounds(soci::session& sql, std::int64_t contract_id, const Tender& tender) {
  const auto row = contract_row(sql, contract_id);
  if (!row || row->tender_id != tender.id) return std::nullopt;
  return bounds_from(contract_id, *row, tender);
}

std::int64_t contract_consumed(soci::session& sql, std::int64_t contract_id, MaximumBasis basis) {
  long long id = contract_id, consumed = 0;
  sql << (basis == MaximumBasis::value ? kConsumedValue : kConsumedQuantity), soci::use(id), soci::into(consumed);
  return consumed;
}

}  // namespace canopee::db
