// Price revision (R2112-9 to R2112-14): a lot's price form, set with the consultation; index
// values loaded by an admin (typed, or the statistics office's CSV); the revisions of an
// awarded lot with their explanation (usecases/price_revision.cpp).
#include <boost/json.hpp>

#include "adapters/formats/price_index_csv.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/price_revision.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::object terms_json(const usecases::LotPriceTerms& stored) {
  const PriceTerms& t = stored.terms;
  return bj::object{{"version", stored.version},
                    {"kind", to_string(t.kind)},
                    {"kind_label", french_label(t.kind)},
                    {"fixed_part_bp", t.fixed_part_bp},
                    {"index_code", t.index_code.empty() ? bj::value(nullptr) : bj::value(t.index_code)},
                    {"base_month", t.base_month ? bj::value(to_string(*t.base_month)) : bj::value(nullptr)},
                    {"first_revision_on",
                     t.first_revision_on ? bj::value(to_string(*t.first_revision_on)) : bj::value(nullptr)},
                    {"periodicity_months",
                     t.periodicity_months ? bj::value(*t.periodicity_months) : bj::value(nullptr)}};
}

bj::object point_json(const db::IndexPoint& p) {
  return bj::object{{"code", p.code},
                    {"month", to_string(p.month)},
                    {"value", format_decimal(p.value, kIndexScale, 1)},
                    {"source", p.source},
                    {"loaded_at", p.loaded_at}};
}

bj::object revision_json(const db::StoredRevision& r) {
  bj::array contracts;
  for (const auto& c : r.contracts) {
    contracts.push_back(bj::object{{"contract_id", c.contract_id},
                                   {"member_id", c.member_id},
                                   {"base_unit_price", to_string(c.base_price)},
                                   {"unit_price", to_string(c.unit_price)},
                                   {"explanation", c.explanation}});
  }
  return bj::object{{"id", r.id},
                    {"lot_id", r.lot_id},
                    {"effective_on", to_string(r.revision.effective_on)},
                    {"index_code", r.index_code},
                    {"base_month", to_string(r.base_month)},
                    {"base_value", format_decimal(r.revision.base_value, kIndexScale, 1)},
                    {"index_month", to_string(r.revision.index_month)},
                    {"index_value", format_decimal(r.revision.index_value, kIndexScale, 1)},
                    {"coefficient_num", r.revision.coefficient_num},
                    {"coefficient_den", r.revision.coefficient_den},
                    {"coefficient", french_coefficient(r.revision)},
                    {"explanation", r.explanation},
                    {"recorded_at", r.recorded_at},
                    {"contracts", std::move(contracts)}};
}

// The tender (visible to the caller) and its lot named by the {lot} path parameter.
Result<std::pair<std::int64_t, std::int64_t>> tender_and_lot(RequestContext& c) {
  CANOPEE_TRY(tender, visible_tender(c));
  CANOPEE_TRY(lot, lot_of(tender, c));
  return std::pair{tender.id, lot->id};
}

// A field read as an integer of any size, for the engine to say what range it takes.
std::optional<int> small_integer(JsonInput& in, std::string_view field) {
  if (auto v = in.integer(field, false, -1'000'000, 1'000'000)) return static_cast<int>(*v);
  return std::nullopt;
}

Result<PriceTerms> read_terms(JsonInput& in) {
  PriceTerms t;
  if (auto text = in.text("kind", true, 40)) {
    if (auto kind = in.take(parse_price_kind(*text, in.name("kind")))) t.kind = *kind;
  }
  t.fixed_part_bp = small_integer(in, "fixed_part_bp").value_or(0);
  if (auto text = in.text("index_code", false, 100)) t.index_code = *text;
  if (auto text = in.text("base_month", false, 20)) {
    if (auto month = parse_year_month(*text, in.name("base_month"))) t.base_month = *month;
    else in.fail("base_month", "mois attendu sous la forme AAAA-MM (ex. 2026-01)", "price_terms.base_month");
  }
  if (auto text = in.text("first_revision_on", false, 10)) {
    if (auto on = in.take(parse_date(*text, in.name("first_revision_on")))) t.first_revision_on = *on;
  }
  t.periodicity_months = small_integer(in, "periodicity_months");
  CANOPEE_TRY_STATUS(in.finish());
  return t;
}

// Index values from {code, month, value} or {code, csv}.
Result<std::vector<db::IndexPoint>> read_points(JsonInput& in) {
  std::vector<db::IndexPoint> points;
  const auto code = in.text("code", true, 100);
  if (code) in.take(check_index_code(*code, in.name("code")));
  if (in.has("csv")) {
    if (in.has("month") || in.has("value")) in.fail("csv", "soit csv, soit month et value", "index_import.both");
    const auto text = in.text("csv", true, 1'000'000);
    CANOPEE_TRY_STATUS(in.finish());
    auto rows = formats::parse_index_csv(*text);
    if (!rows) {
      auto error = std::move(rows).error();
      for (auto& f : error.fields) f.field = "csv." + f.field;
      return error;
    }
    for (const auto& row : *rows) points.push_back({*code, row.month, row.value, "csv", ""});
    return points;
  }
  db::IndexPoint point{code.value_or(""), {}, 0, "typed", ""};
  if (auto text = in.text("month", true, 20)) {
    if (auto month = in.take(parse_year_month(*text, in.name("month")))) point.month = *month;
  }
  if (auto text = in.decimal("value", true)) {
    if (auto value = in.take(parse_index_value(*text, in.name("value")))) point.value = *value;
  }
  CANOPEE_TRY_STATUS(in.finish());
  points.push_back(point);
  return points;
}

}  // namespace

void add_price_revision_routes(Router& router) {
  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/price-terms", {Role::officer, Role::buyer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
               return versioned(usecases::lot_price_terms(c.services.database, ids.first, ids.second), terms_json);
             });

  router.add(http::verb::put, "/v1/tenders/{id}/lots/{lot}/price-terms", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"kind", "fixed_part_bp", "index_code", "base_month",
                                                                "first_revision_on", "periodicity_months"}));
    CANOPEE_TRY_RESPOND(terms, read_terms(in));
    return versioned(usecases::set_lot_price_terms(c.services.database, c.actor, ids.first, ids.second, terms,
                                                   expected),
                     terms_json);
  });

  router.add(http::verb::get, "/v1/price-indices", {Role::admin, Role::officer, Role::buyer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"code"}));
               CANOPEE_TRY_RESPOND(code, query_param(c, "code"));
               if (code) CANOPEE_TRY_RESPOND_STATUS(check_index_code(*code, "code"));
               CANOPEE_TRY_RESPOND(points, usecases::index_values(c.services.database, code.value_or("")));
               return json(http::status::ok, list_json(points, point_json));
             });

  router.add(http::verb::post, "/v1/price-indices", {Role::admin}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"code", "month", "value", "csv"}));
    CANOPEE_TRY_RESPOND(points, read_points(in));
    return respond(usecases::load_index_values(c.services.database, c.actor, points, c.services.instant_now()),
                   [&](const usecases::IndexImport& done) {
                     return bj::object{{"code", points.front().code},
                                       {"added", done.added},
                                       {"corrected", done.corrected},
                                       {"unchanged", done.unchanged}};
                   });
  });

  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/price-revisions",
             {Role::officer, Role::buyer, Role::finance}, [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
               CANOPEE_TRY_RESPOND(revisions, usecases::lot_revisions(c.services.database, ids.first, ids.second));
               // A buyer or member finance user sees its own member's contracts only.
               if (const auto scope = member_scope(c)) {
                 for (auto& r : revisions) {
                   std::erase_if(r.contracts, [&](const db::ContractPrice& k) { return k.member_id != *scope; });
                 }
               }
               return json(http::status::ok, list_json(revisions, revision_json));
             });

  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/price-revisions", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"effective_on"}));
    std::optional<Date> on;
    if (auto text = in.text("effective_on", true, 10)) on = in.take(parse_date(*text, in.name("effective_on")));
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return respond(usecases::record_revision(c.services.database, c.actor, ids.first, ids.second, *on,
                                             c.services.instant_now(), c.services.today()),
                   revision_json, http::status::created);
  });
}

}  // namespace canopee::api
