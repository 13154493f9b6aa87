// The realised savings of framework orders beside those projected at award
// (usecases/realised_savings.hpp): GET /v1/reports/savings/realised, JSON, CSV or XLSX.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/realised_savings.hpp"

namespace canopee::api {

void add_realised_savings_routes(Router& router) {
  router.add(http::verb::get, "/v1/reports/savings/realised", {Role::finance, Role::officer, Role::buyer},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"from", "to", "member_id", "csv"}));
               auto format = negotiate(c);
               if (!format) return not_acceptable();
               usecases::RealisedFilter filter;
               std::vector<FieldError> errors;
               const auto date = [&](std::string_view name, std::optional<Date>& into) {
                 if (auto text = take(query_param(c, name), errors); text && *text) {
                   if (auto parsed = take(parse_date(**text, name), errors)) into = *parsed;
                 }
               };
               date("from", filter.from);
               date("to", filter.to);
               if (auto m = take(query_param(c, "member_id"), errors); m && *m) {
                 filter.member_id = parse_integer(**m);
                 if (!filter.member_id || *filter.member_id < 1) {
                   filter.member_id.reset();
                   errors.push_back({"member_id", "doit être l’identifiant d’un membre", "query.not_integer"});
                 }
               }
               if (auto d = query_param(c, "csv"); d && *d && **d != "rfc4180" && **d != "french") {
                 errors.push_back({"csv", "doit être rfc4180 ou french", "report.csv.unknown"});
               }
               if (!errors.empty())
                 return error(Error{ErrorCode::invalid, "paramètres du rapport invalides", errors, "report.invalid"});
               if (auto scope = member_scope(c)) {
                 if (filter.member_id && *filter.member_id != *scope)
                   return error(
                       Error::of(ErrorCode::not_found, "ce membre n’est pas dans votre périmètre", "member.not_found"));
                 filter.member_id = *scope;  // a buyer, or a member's finance user: its own member only
               }
               CANOPEE_TRY_RESPOND(report,
                                   usecases::realised_savings(c.services.database, c.services.nomenclature, filter));
               if (*format == Format::json) return json(http::status::ok, usecases::realised_json(report));
               const std::string period = (filter.from ? to_string(*filter.from) : std::string("debut")) + "-" +
                                          (filter.to ? to_string(*filter.to) : std::string("fin"));
               return table_response(c, usecases::realised_table(report), *format, "gains-realises-" + period);
             });
}

}  // namespace canopee::api
