// The realised savings of framework orders beside those projected at award
// (usecases/realised_savings.hpp): GET /v1/reports/savings/realised, JSON, CSV or XLSX.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/report_query.hpp"
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
               filter.from = optional_date_query(c, "from", errors);
               filter.to = optional_date_query(c, "to", errors);
               CANOPEE_TRY_RESPOND(member, member_query(c, errors));
               filter.member_id = member;
               check_csv_dialect(c, errors);
               if (!errors.empty())
                 return error(Error{ErrorCode::invalid, "paramètres du rapport invalides", errors, "report.invalid"});
               CANOPEE_TRY_RESPOND(report,
                                   usecases::realised_savings(c.services.database, c.services.nomenclature, filter));
               if (*format == Format::json) return json(http::status::ok, usecases::realised_json(report));
               const std::string period = (filter.from ? to_string(*filter.from) : std::string("debut")) + "-" +
                                          (filter.to ? to_string(*filter.to) : std::string("fin"));
               return table_response(c, usecases::realised_table(report), *format, "gains-realises-" + period);
             });
}

}  // namespace canopee::api
