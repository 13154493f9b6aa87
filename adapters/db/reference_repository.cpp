#include "adapters/db/reference_repository.hpp"

#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kLotNeeds =
    "SELECT id, member_id, quantity, unit, reference_unit_price, recurring, reference_source, "
    "COALESCE(CAST(reference_date AS TEXT), CAST(period_start AS TEXT)), COALESCE(reference_index, '') "
    "FROM needs WHERE lot_id = :lot ORDER BY member_id, id";
constexpr std::string_view kInsertReference =
    "INSERT INTO savings_references (lot_id, member_id, need_id, source, reference_date, raw, actualised, "
    "index_code, base_month, base_value, current_month, current_value, average_unit_price, average_bids, missing, "
    "explanation) VALUES (:lot, :member, :need, :source, :reference_date, :raw, :actualised, :index_code, "
    ":base_month, :base_value, :current_month, :current_value, :average, :bids, :missing, :explanation)";
constexpr std::string_view kReferences =
    "SELECT member_id, need_id, source, CAST(reference_date AS TEXT), raw, actualised, COALESCE(index_code, ''), "
    "COALESCE(base_month, ''), COALESCE(base_value, 0), COALESCE(current_month, ''), COALESCE(current_value, 0), "
    "COALESCE(average_unit_price, -1), COALESCE(average_bids, 0), missing, explanation "
    "FROM savings_references WHERE lot_id = :lot ORDER BY member_id, need_id";

}  // namespace

std::vector<LotNeed> load_lot_needs(soci::session& sql, std::int64_t lot_id) {
  std::vector<LotNeed> out;
  long long lot = lot_id, id = 0, member = 0, quantity = 0, price = 0;
  int recurring = 0;
  std::string unit, source, date, index;
  soci::statement st = (sql.prepare << kLotNeeds, soci::use(lot), soci::into(id), soci::into(member),
                        soci::into(quantity), soci::into(unit), soci::into(price), soci::into(recurring),
                        soci::into(source), soci::into(date), soci::into(index));
  st.execute();
  while (st.fetch()) {
    LotNeed n;
    n.need_id = id;
    n.member_id = member;
    n.quantity = Quantity{quantity};
    n.unit = parse_unit(unit, "unit").value();
    n.reference_unit_price = UnitPrice{price};
    n.recurring = recurring != 0;
    n.source = parse_reference_source(source, "reference_source").value();
    n.reference_date = stored_date(date);
    n.index_code = index;
    out.push_back(std::move(n));
  }
  return out;
}

void insert_references(soci::session& sql, std::int64_t lot_id, const std::vector<MemberReference>& references) {
  for (const auto& member : references) {
    for (const auto& part : member.parts) {
      long long lot = lot_id, member_id = member.member_id, need = part.need_id, raw = part.raw.cents,
                actualised = part.actualised.cents;
      const std::string source(to_string(part.source));
      const std::string date = to_string(part.reference_date);
      const std::string explanation = explain_reference(part);
      const bool indexed = part.base && part.current;
      const soci::indicator index_ind = indexed ? soci::i_ok : soci::i_null;
      const soci::indicator average_ind = part.average ? soci::i_ok : soci::i_null;
      std::string index_code = part.index_code;
      std::string base_month = indexed ? to_string(part.base->month) : "";
      std::string current_month = indexed ? to_string(part.current->month) : "";
      long long base_value = indexed ? part.base->value : 0;
      long long current_value = indexed ? part.current->value : 0;
      long long average = part.average ? part.average->unit_price.ten_thousandths : 0;
      int bids = part.average ? part.average->bids : 0;
      int missing = part.missing ? 1 : 0;
      soci::indicator i1 = index_ind, i2 = index_ind, i3 = index_ind, i4 = index_ind, i5 = index_ind, a1 = average_ind,
                      a2 = average_ind;
      sql << kInsertReference, soci::use(lot), soci::use(member_id), soci::use(need), soci::use(source),
          soci::use(date), soci::use(raw), soci::use(actualised), soci::use(index_code, i1), soci::use(base_month, i2),
          soci::use(base_value, i3), soci::use(current_month, i4), soci::use(current_value, i5), soci::use(average, a1),
          soci::use(bids, a2), soci::use(missing), soci::use(explanation);
    }
  }
}

std::vector<StoredReference> load_references(soci::session& sql, std::int64_t lot_id) {
  std::vector<StoredReference> out;
  long long lot = lot_id, member = 0, need = 0, raw = 0, actualised = 0, base_value = 0, current_value = 0, average = 0;
  int bids = 0, missing = 0;
  std::string source, date, index_code, base_month, current_month, explanation;
  soci::statement st = (sql.prepare << kReferences, soci::use(lot), soci::into(member), soci::into(need),
                        soci::into(source), soci::into(date), soci::into(raw), soci::into(actualised),
                        soci::into(index_code), soci::into(base_month), soci::into(base_value),
                        soci::into(current_month), soci::into(current_value), soci::into(average), soci::into(bids),
                        soci::into(missing), soci::into(explanation));
  st.execute();
  while (st.fetch()) {
    StoredReference r;
    r.lot_id = lot_id;
    r.member_id = member;
    r.part.need_id = need;
    r.part.source = parse_reference_source(source, "source").value();
    r.part.reference_date = stored_date(date);
    r.part.raw = Amount{raw};
    r.part.actualised = Amount{actualised};
    r.part.index_code = index_code;
    if (!base_month.empty() && !current_month.empty()) {
      r.part.base = canopee::IndexPoint{parse_year_month(base_month, "base_month").value(), base_value};
      r.part.current = canopee::IndexPoint{parse_year_month(current_month, "current_month").value(), current_value};
    }
    if (average >= 0) r.part.average = OffersAverage{UnitPrice{average}, bids};
    r.part.missing = missing != 0;
    r.explanation = explanation;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace canopee::db
