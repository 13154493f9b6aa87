// Reports and exports: the savings report (JSON, CSV, XLSX), OCDS, DECP, DQE.
#include <boost/json.hpp>

#include "adapters/clock.hpp"
#include "adapters/db/derived_versions.hpp"
#include "adapters/formats/open_data.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/report_query.hpp"
#include "api/routes.hpp"
#include "usecases/finance_tables.hpp"
#include "usecases/reports.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

Result<Date> date_query(const RequestContext& c, std::string_view name, const char* fallback) {
  auto text = query_param(c, name);
  if (!text) return std::move(text).error();
  return parse_date(text->value_or(fallback), name);
}

// The savings report's parameters, after validation and the member scope: what the
// JSON answer depends on besides the stored figures.
std::string savings_key(const reports::SavingsParameters& p) {
  return to_string(p.from) + "|" + to_string(p.to) + "|" + std::string(to_string(p.group)) + "|" +
         std::string(to_string(p.basis)) + "|" + (p.member_id ? std::to_string(*p.member_id) : "*");
}

Response exact_json(const bj::value& value) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = formats::serialize_exact(value);
  return response;
}

}  // namespace

void add_report_routes(Router& router) {
  router.add(http::verb::get, "/v1/reports/savings", {Role::finance, Role::officer, Role::buyer},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"from", "to", "group_by", "member", "basis", "csv"}));
               auto format = negotiate(c);
               if (!format) return not_acceptable();
               reports::SavingsParameters p;
               std::vector<FieldError> errors;
               if (auto from = take(date_query(c, "from", "1900-01-01"), errors)) p.from = *from;
               if (auto to = take(date_query(c, "to", "2999-12-31"), errors)) p.to = *to;
               if (auto g = query_param(c, "group_by"); g && *g) {
                 if (auto parsed = take(parse_report_group(**g, "group_by"), errors)) p.group = *parsed;
               }
               if (auto b = query_param(c, "basis"); b && *b) {
                 if (auto parsed = take(parse_report_basis(**b, "basis"), errors)) p.basis = *parsed;
               }
               if (auto m = query_param(c, "member"); m && *m) {
                 p.member_id = parse_integer(**m);
                 if (!p.member_id)
                   errors.push_back({"member", "doit être l’identifiant d’un membre", "query.not_integer"});
               }
               check_csv_dialect(c, errors);
               if (!errors.empty())
                 return error(Error{ErrorCode::invalid, "paramètres du rapport invalides", errors, "report.invalid"});
               if (auto scope = member_scope(c)) {
                 if (p.member_id && *p.member_id != *scope)
                   return error(
                       Error::of(ErrorCode::not_found, "ce membre n’est pas dans votre périmètre", "member.not_found"));
                 p.member_id = *scope;  // a member's finance user and buyers see their member only
               }
               // JSON is computed once per version of the finance figures (schema/0028),
               // for these parameters (the member scope applied above); the downloads
               // (CSV, XLSX) are built each time. The version and the figures are read
               // from the same server (the standby when this read goes there).
               if (*format == Format::json) {
                 const std::string key = savings_key(p);
                 CANOPEE_TRY_RESPOND(version, db::finance_version(c.read_database()));
                 // Computed by one request when several miss at once; kept only if no
                 // change committed while the report was read (its reads all lie
                 // between the two reads of the version).
                 std::optional<Response> failed;
                 const auto fail = [&failed](const Error& e) {
                   failed = error(e);
                   return DerivedCache::Computed{};
                 };
                 const auto body = c.services.savings_reports.find_or_compute(key, version, [&] {
                   auto report = reports::savings_report(c.read_database(), c.services.nomenclature, p);
                   if (!report) return fail(report.error());
                   auto json = reports::savings_json(*report, p);
                   // The method in words, as the XLSX « Méthode » sheet states it.
                   bj::array method;
                   for (const auto& [label, text] : reports::savings_method_notes(*report, p))
                     method.push_back(bj::object{{"label", label}, {"text", text}});
                   json.as_object()["method"] = std::move(method);
                   auto answer = DerivedCache::answer(bj::serialize(json));
                   auto after = db::finance_version(c.read_database());
                   if (!after) return fail(after.error());
                   return DerivedCache::Computed{answer, *after == version};
                 });
                 if (!body) return std::move(*failed);
                 return kept_json(c, *body);
               }
               CANOPEE_TRY_RESPOND(report, reports::savings_report(c.read_database(), c.services.nomenclature, p));
               return table_response(c, reports::savings_table(report, p), *format,
                                     "gains-achats-" + to_string(p.from) + "-" + to_string(p.to));
             });

  router.add(http::verb::get, "/v1/tenders/{id}/ocds", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    // The package's address comes from the configured public URL: the Host header
    // is the client's to write and must not end up in a published document.
    CANOPEE_TRY_RESPOND(package,
                        reports::ocds(c.services.database, tender.id, c.services.ocds_prefix,
                                      c.services.public_base_url + "/v1/tenders/" + std::to_string(tender.id) + "/ocds",
                                      utc_timestamp_now().substr(0, 19) + "Z"));
    return exact_json(package);
  });

  router.add(http::verb::get, "/v1/tenders/{id}/dqe", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"lot", "csv"}));
    auto format = negotiate(c);
    if (!format) return not_acceptable();
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    std::optional<std::int64_t> lot;
    if (auto l = query_param(c, "lot"); l && *l) {
      lot = parse_integer(**l);
      if (!lot) return error(Error::invalid("lot", "doit être l’identifiant d’un lot", "query.not_integer"));
    }
    CANOPEE_TRY_RESPOND(table, reports::dqe(c.services.database, tender.id, lot));
    // JSON is not a DQE format: CSV unless XLSX is asked for.
    return table_response(c, table, *format == Format::xlsx ? Format::xlsx : Format::csv, "dqe-" + tender.reference);
  });

  router.add(http::verb::get, "/v1/exports/decp", {Role::officer, Role::finance}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"from", "to"}));
    CANOPEE_TRY_RESPOND(from, date_query(c, "from", "1900-01-01"));
    CANOPEE_TRY_RESPOND(to, date_query(c, "to", "2999-12-31"));
    CANOPEE_TRY_RESPOND(data, reports::decp(c.services.database, from, to, member_scope(c), utc_date_today()));
    // The records stay exactly the schema's; the contracts left out are said in headers.
    auto response = exact_json(data.data);
    std::string ids;
    for (const auto& e : data.excluded) ids += (ids.empty() ? "" : ", ") + std::to_string(e.contract_id);
    response.set("Canopee-Decp-Excluded", std::to_string(data.excluded.size()));
    if (!ids.empty()) response.set("Canopee-Decp-Excluded-Contracts", ids);
    return response;
  });
}

}  // namespace canopee::api
