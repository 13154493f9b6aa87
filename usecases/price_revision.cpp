#include "usecases/price_revision.hpp"

#include <boost/json.hpp>

#include <stdexcept>

#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {
namespace {

namespace bj = boost::json;

Error lot_not_found() { return Error{ErrorCode::not_found, "lot introuvable", {}, "lot.not_found"}; }

bj::value terms_json(const std::optional<PriceTerms>& terms) {
  if (!terms) return nullptr;
  return bj::object{{"kind", to_string(terms->kind)},
                    {"fixed_part_bp", terms->fixed_part_bp},
                    {"index_code", terms->index_code},
                    {"base_month", terms->base_month ? bj::value(to_string(*terms->base_month)) : bj::value(nullptr)},
                    {"first_revision_on",
                     terms->first_revision_on ? bj::value(to_string(*terms->first_revision_on)) : bj::value(nullptr)},
                    {"periodicity_months",
                     terms->periodicity_months ? bj::value(*terms->periodicity_months) : bj::value(nullptr)}};
}

// The tender and its lot, read in the caller's unit of work.
Result<Tender> tender_of_lot(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id) {
  auto tender = db::load_tender(sql, tender_id);
  if (!tender) return db::tender_not_found();
  if (find_lot(*tender, lot_id) == nullptr) return lot_not_found();
  return std::move(*tender);
}

}  // namespace

Result<LotPriceTerms> lot_price_terms(db::Database& database, std::int64_t tender_id, std::int64_t lot_id) {
  return db::in_snapshot<LotPriceTerms>(database, [&](soci::session& sql) -> Result<LotPriceTerms> {
    CANOPEE_TRY_STATUS(tender_of_lot(sql, tender_id, lot_id));
    return LotPriceTerms{db::load_price_terms(sql, lot_id).value_or(PriceTerms{}),
                         db::load_price_terms_version(sql, lot_id)};
  });
}

Result<LotPriceTerms> set_lot_price_terms(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                          std::int64_t lot_id, const PriceTerms& terms,
                                          std::optional<std::int64_t> expected_version) {
  CANOPEE_TRY_STATUS(check_price_terms(terms));
  return db::in_transaction<LotPriceTerms>(database, [&](soci::session& sql) -> Result<LotPriceTerms> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    if (tender.status != TenderStatus::draft) {
      return Error::rule_broken(ErrorCode::conflict, "price_terms.tender_launched", "",
                                "la forme du prix fait partie de la consultation : elle ne change plus une fois la "
                                "consultation publiée");
    }
    if (expected_version && *expected_version != db::load_price_terms_version(sql, lot_id)) {
      return Error::rule_broken(ErrorCode::stale, "price_terms.stale", "",
                                "la forme du prix a été modifiée depuis votre lecture : relisez-la et recommencez");
    }
    const auto before = db::load_price_terms(sql, lot_id);
    db::save_price_terms(sql, lot_id, terms);
    db::write_audit(sql, actor, "lot", lot_id, "price_terms", before ? bj::serialize(terms_json(before)) : "",
                    bj::serialize(terms_json(terms)));
    return LotPriceTerms{terms, db::load_price_terms_version(sql, lot_id)};
  });
}

Result<IndexImport> load_index_values(db::Database& database, const db::Actor& actor,
                                      const std::vector<db::IndexPoint>& points, Instant now) {
  return db::in_transaction<IndexImport>(database, [&](soci::session& sql) -> Result<IndexImport> {
    IndexImport summary;
    for (auto point : points) {
      point.loaded_at = to_utc_string(now);
      const auto stored = db::load_index_value(sql, point.code, point.month);
      if (stored && *stored == point.value) {
        ++summary.unchanged;
        continue;
      }
      db::save_index_value(sql, point);
      const auto value_json = [&](std::int64_t v) {
        return bj::serialize(bj::object{{"code", point.code},
                                        {"month", to_string(point.month)},
                                        {"value", format_decimal(v, kIndexScale, 0)},
                                        {"source", point.source}});
      };
      // The audit row is keyed by the month as a number (202601), the index code in its JSON.
      db::write_audit(sql, actor, "price_index", point.month.year * 100 + static_cast<int>(point.month.month),
                      stored ? "correct" : "load", stored ? value_json(*stored) : "", value_json(point.value));
      ++(stored ? summary.corrected : summary.added);
    }
    return summary;
  });
}

Result<std::vector<db::IndexPoint>> index_values(db::Database& database, const std::string& code) {
  return db::with_connection<std::vector<db::IndexPoint>>(
      database,
      [&](soci::session& sql) -> Result<std::vector<db::IndexPoint>> { return db::load_index_series(sql, code); });
}

Result<db::StoredRevision> record_revision(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                           std::int64_t lot_id, Date effective_on, Instant now, Date today) {
  if (effective_on > today) {
    return Error::rule_broken(ErrorCode::invalid, "revision.future", "effective_on",
                              "une révision se constate à sa date ou après, pas à l’avance");
  }
  return db::in_transaction<db::StoredRevision>(database, [&](soci::session& sql) -> Result<db::StoredRevision> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    if (find_lot(tender, lot_id)->status != LotStatus::awarded) {
      return Error::rule_broken(ErrorCode::conflict, "lot.not_awarded", "lot",
                                "le lot n’est pas attribué : ses prix se révisent une fois les marchés conclus");
    }
    const auto terms = db::load_price_terms(sql, lot_id).value_or(PriceTerms{});
    CANOPEE_TRY_STATUS(check_on_schedule(terms, effective_on));
    for (const auto& stored : db::load_revisions(sql, lot_id)) {
      if (stored.revision.effective_on == effective_on) {
        return Error::rule_broken(ErrorCode::conflict, "revision.already_recorded", "effective_on",
                                  "la révision du " + to_french(effective_on) + " est déjà enregistrée");
      }
    }
    const YearMonth month = index_month_for(terms, effective_on);
    CANOPEE_TRY(revision,
                compute_revision(terms, effective_on, db::load_index_value(sql, terms.index_code, *terms.base_month),
                                 db::load_index_value(sql, terms.index_code, month)));
    const auto revision_id = db::insert_revision(sql, lot_id, terms, revision, to_utc_string(now), actor.user_id);
    bj::array prices;
    for (const auto& contract : db::load_lot_contract_bases(sql, lot_id)) {
      CANOPEE_TRY(price, revised_price(revision, contract.unit_price));
      db::ContractPrice line{contract.id, contract.member_id, contract.unit_price, price,
                             explain_revision(terms, revision, contract.unit_price, price)};
      db::insert_contract_price(sql, revision_id, line);
      prices.push_back(bj::object{{"contract_id", contract.id}, {"unit_price", to_string(price)}});
    }
    db::write_audit(sql, actor, "lot", lot_id, "price_revision", "",
                    bj::serialize(bj::object{{"revision_id", revision_id},
                                             {"effective_on", to_string(effective_on)},
                                             {"index_code", terms.index_code},
                                             {"index_month", to_string(month)},
                                             {"index_value", revision.index_value},
                                             {"base_value", revision.base_value},
                                             {"coefficient_num", revision.coefficient_num},
                                             {"coefficient_den", revision.coefficient_den},
                                             {"contracts", std::move(prices)}}));
    for (auto& stored : db::load_revisions(sql, lot_id)) {
      if (stored.id == revision_id) return std::move(stored);
    }
    return Error::of(ErrorCode::unavailable, "révision introuvable après son enregistrement");
  });
}

Result<std::vector<db::StoredRevision>> lot_revisions(db::Database& database, std::int64_t tender_id,
                                                      std::int64_t lot_id) {
  return db::in_snapshot<std::vector<db::StoredRevision>>(
      database, [&](soci::session& sql) -> Result<std::vector<db::StoredRevision>> {
        CANOPEE_TRY_STATUS(tender_of_lot(sql, tender_id, lot_id));
        return db::load_revisions(sql, lot_id);
      });
}

PriceInForce price_in_force(soci::session& sql, std::int64_t contract_id, Date day) {
  const auto contract = db::load_contract_base(sql, contract_id);
  if (!contract) throw std::out_of_range("price_in_force: no contract " + std::to_string(contract_id));
  if (auto revised = db::load_price_on(sql, contract_id, day)) {
    return {revised->unit_price, revised->revision_id, std::move(revised->explanation)};
  }
  return {contract->unit_price, std::nullopt, {}};
}

}  // namespace canopee::usecases
