#include "usecases/splitting_view.hpp"

#include <boost/json.hpp>

#include "adapters/db/splitting_repository.hpp"
#include "adapters/db/threshold_repository.hpp"

namespace canopee::reports {
namespace {

namespace bj = boost::json;

bj::object row_json(const SplittingRow& row, const CpvNomenclature& nomenclature) {
  bj::array items;
  for (const auto& i : row.items) {
    items.push_back(bj::object{{"source", to_string(i.source)},
                               {"id", i.id},
                               {"reference", i.reference},
                               {"label", i.label},
                               {"date", to_string(i.date)},
                               {"value", to_string(i.value)},
                               {"procedure", to_string(i.procedure)},
                               {"required_procedure", to_string(i.required)},
                               {"lighter", i.lighter}});
  }
  bj::object o{{"scope", to_string(row.scope)},
               {"family", cpv_digits_string(row.family)},
               {"kind", to_string(row.kind)},
               {"joint_value", to_string(row.joint_value)},
               {"standalone_value", to_string(row.standalone_value)},
               {"total", to_string(row.total)},
               {"thresholds", bj::object{{"date", to_string(row.thresholds.date)},
                                         {"no_competition", to_string(row.thresholds.no_competition)},
                                         {"no_competition_source", row.thresholds.no_competition_source},
                                         {"mapa_publicity", to_string(row.thresholds.mapa_publicity)},
                                         {"eu", to_string(row.thresholds.eu)},
                                         {"eu_source", row.thresholds.eu_source}}},
               {"required_procedure", to_string(row.required_procedure)},
               {"items", std::move(items)}};
  o["member_id"] = row.member_id ? bj::value(*row.member_id) : bj::value(nullptr);
  const auto* entry = nomenclature.find(row.family);
  o["family_label"] = entry != nullptr ? bj::value(entry->label) : bj::value(nullptr);
  o["grouping_key"] = row.scope == SplittingScope::joint ? bj::value(row.grouping_key) : bj::value(nullptr);
  o["alert"] = row.alert ? bj::value(bj::object{{"code", row.alert->code},
                                                {"article", row.alert->article},
                                                {"message", row.alert->message}})
                         : bj::value(nullptr);
  return o;
}

}  // namespace

Result<SplittingReport> splitting_view(db::Database& database, const ThresholdTable& built_in,
                                       const SplittingRequest& request) {
  CANOPEE_TRY(thresholds, db::load_thresholds(database, built_in));
  CANOPEE_TRY(tenders, db::joint_tenders_of_year(database, request.year));
  CANOPEE_TRY(purchases, db::standalone_purchases_of_year(database, request.year, request.member_id));
  return splitting_report(request, tenders, purchases, thresholds);
}

boost::json::value splitting_json(const SplittingReport& report, const SplittingRequest& request,
                                  const CpvNomenclature& cpv) {
  bj::array rows;
  int alerts = 0;
  for (const auto& row : report.rows) {
    if (row.alert) ++alerts;
    rows.push_back(row_json(row, cpv));
  }
  bj::object parameters{{"year", report.year}};
  parameters["member_id"] = request.member_id ? bj::value(*request.member_id) : bj::value(nullptr);
  return bj::object{{"year", report.year},
                    {"family_depth", "class"},
                    {"rows", std::move(rows)},
                    {"alerts", alerts},
                    {"parameters", std::move(parameters)}};
}

}  // namespace canopee::reports
