#include "usecases/framework_terms.hpp"

#include <boost/json.hpp>

#include "adapters/db/framework_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "usecases/procedure_advice.hpp"

namespace canopee::usecases {
namespace {

// ---- SQL ----
// The procedure advised again on the maxima, on the version read, while still a draft.
constexpr std::string_view kSetProcedure =
    "UPDATE tenders SET procedure = :procedure, version = version + 1 WHERE id = :id AND version = :version "
    "AND status = 'draft'";

FrameworkView view_of(Tender tender) {
  FrameworkView view;
  for (const auto& lot : tender.lots) view.lots.push_back(lot_maximum(tender, lot));
  view.version = tender.version;
  view.tender = std::move(tender);
  return view;
}

std::string terms_json(const FrameworkTerms& terms) {
  boost::json::array lots;
  for (const auto& lot : terms.lots) {
    boost::json::array members;
    for (const auto& m : lot.members) {
      members.push_back({{"member_id", m.member_id},
                         {"maximum", m.maximum ? boost::json::value(*m.maximum) : boost::json::value(nullptr)},
                         {"minimum", m.minimum ? boost::json::value(*m.minimum) : boost::json::value(nullptr)}});
    }
    lots.push_back({{"lot_id", lot.lot_id}, {"basis", to_string(lot.basis)}, {"members", std::move(members)}});
  }
  return boost::json::serialize(boost::json::object{{"renewals", terms.renewals},
                                                    {"renewal_months", terms.renewal_months},
                                                    {"duration_justification", terms.duration_justification},
                                                    {"margin_bp", terms.margin_bp},
                                                    {"lots", std::move(lots)}});
}

}  // namespace

Result<FrameworkView> framework_view(db::Database& database, std::int64_t tender_id) {
  return db::in_snapshot<FrameworkView>(database, [&](soci::session& sql) -> Result<FrameworkView> {
    auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    return view_of(std::move(*tender));
  });
}

Result<FrameworkView> set_framework_terms(db::Database& database, const db::Actor& actor,
                                          const ThresholdTable& built_in, std::int64_t tender_id,
                                          const FrameworkTerms& terms, std::optional<std::int64_t> version,
                                          Date today) {
  CANOPEE_TRY(read, framework_view(database, tender_id));
  Tender tender = std::move(read.tender);
  if (tender.status != TenderStatus::draft) {
    return Error::rule_broken(ErrorCode::conflict, "framework.tender_launched", "",
                              "La consultation est lancée : ses maxima font partie de l’avis et du règlement, ils ne "
                              "changent plus que par modification du marché (R2194-1 à R2194-9).");
  }
  if (version && *version != tender.version) return db::tender_changed();
  CANOPEE_TRY_STATUS(validate_framework_terms(tender, terms));
  const FrameworkTerms before = tender.framework_terms;
  tender.framework_terms = terms;
  // The procedure is chosen on the maxima over the whole duration (R2121-1, R2121-8).
  CANOPEE_TRY(advice, advise_tender(database, built_in, tender, today));
  return db::in_transaction<FrameworkView>(database, [&](soci::session& sql) -> Result<FrameworkView> {
    const std::string procedure(to_string(advice.procedure));
    long long id = tender.id, read_version = tender.version;
    soci::statement st = (sql.prepare << kSetProcedure, soci::use(procedure), soci::use(id), soci::use(read_version));
    st.execute(true);
    if (st.get_affected_rows() != 1) return db::tender_changed();
    db::save_framework_terms(sql, tender.id, terms);
    db::write_audit(sql, actor, "tender", tender.id, "framework_terms", terms_json(before), terms_json(terms));
    auto after = db::load_tender(sql, tender.id);
    if (!after) return db::tender_not_found();
    return view_of(std::move(*after));
  });
}

}  // namespace canopee::usecases
