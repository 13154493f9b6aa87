// Budget and accounting codes and the finance exports by code (usecases/budget.hpp),
// the responsible-purchasing (SPASER) figures and a draft tender's reservation
// (usecases/spaser.hpp): /v1/budget-codes, /v1/needs/{id}/budget-codes,
// /v1/reports/budget/{commitments,spend,unordered}, /v1/reports/spaser,
// /v1/tenders/{id}/reservation.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/report_query.hpp"
#include "api/routes.hpp"
#include "usecases/budget.hpp"
#include "usecases/spaser.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::value code_json(const BudgetCode& c) {
  return bj::object{{"id", c.id},       {"member_id", c.member_id}, {"kind", to_string(c.kind)}, {"code", c.code},
                    {"label", c.label}, {"active", c.active},       {"version", c.version}};
}

bj::value need_codes_json(const usecases::NeedCodesView& v) {
  const auto text = [](const std::optional<std::string>& t) { return t ? bj::value(*t) : bj::value(nullptr); };
  return bj::object{{"need_id", v.need_id},
                    {"member_id", v.member_id},
                    {"budget_nature", text(v.codes.nature)},
                    {"budget_analytic", text(v.codes.analytic)}};
}

Response budget_report(RequestContext& c, usecases::BudgetExportKind kind, bool unordered_only) {
  CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"from", "to", "member_id", "csv"}));
  auto format = negotiate(c);
  if (!format) return not_acceptable();
  usecases::BudgetFilter filter;
  std::vector<FieldError> errors;
  filter.from = optional_date_query(c, "from", errors);
  filter.to = optional_date_query(c, "to", errors);
  CANOPEE_TRY_RESPOND(member, member_query(c, errors));
  filter.member_id = member;
  check_csv_dialect(c, errors);
  if (!errors.empty())
    return error(Error{ErrorCode::invalid, "paramètres du rapport invalides", errors, "report.invalid"});
  CANOPEE_TRY_RESPOND(report, usecases::budget_export(c.services.database, kind, filter));
  const std::string period = (filter.from ? to_string(*filter.from) : std::string("debut")) + "-" +
                             (filter.to ? to_string(*filter.to) : std::string("fin"));
  if (unordered_only) {
    if (*format == Format::json) {
      auto body = usecases::budget_export_json(report);
      return json(http::status::ok,
                  bj::object{{"amounts", "HT"},
                             {"not_yet_ordered", body.as_object()["not_yet_ordered"]},
                             {"not_yet_ordered_total_ht", body.as_object()["not_yet_ordered_total_ht"]},
                             {"parameters", body.as_object()["parameters"]}});
    }
    return table_response(c, usecases::unordered_table(report), *format, "non-commande-" + period);
  }
  if (*format == Format::json) return json(http::status::ok, usecases::budget_export_json(report));
  return table_response(c, usecases::budget_export_table(report), *format,
                        std::string(kind == usecases::BudgetExportKind::commitments ? "engagements-" : "realise-") +
                            period);
}

}  // namespace

void add_budget_routes(Router& router) {
  router.add(http::verb::get, "/v1/budget-codes", {Role::admin, Role::finance, Role::buyer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"member_id"}));
    std::vector<FieldError> errors;
    CANOPEE_TRY_RESPOND(member, member_query(c, errors));
    if (!errors.empty()) return error(Error{ErrorCode::invalid, "paramètres invalides", errors, "query.invalid"});
    CANOPEE_TRY_RESPOND(codes, usecases::list_budget_codes(c.services.database, member));
    return json(http::status::ok, list_json(codes, code_json));
  });

  router.add(http::verb::post, "/v1/budget-codes", {Role::admin, Role::finance}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"member_id", "kind", "code", "label", "active"}));
    BudgetCode code;
    const auto scope = member_scope(c);
    if (auto m = in.integer("member_id", !scope, 1, INT64_MAX)) code.member_id = *m;
    if (scope) {
      if (code.member_id != 0 && code.member_id != *scope)
        return error(Error::of(ErrorCode::not_found, "ce membre n’est pas dans votre périmètre", "member.not_found"));
      code.member_id = *scope;
    }
    if (auto k = in.text("kind", true, 20)) {
      if (auto kind = in.take(parse_budget_code_kind(*k, in.name("kind")))) code.kind = *kind;
    }
    if (auto t = in.text("code", true, 200)) code.code = *t;
    if (auto l = in.text("label", true, 2000)) code.label = *l;
    if (auto a = in.boolean("active", false)) code.active = *a;
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return versioned(usecases::create_budget_code(c.services.database, c.actor, std::move(code)), code_json,
                     http::status::created);
  });

  router.add(http::verb::patch, "/v1/budget-codes/{id}", {Role::admin, Role::finance}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"label", "active"}));
    usecases::BudgetCodePatch patch;
    if (auto l = in.text("label", false, 2000)) patch.label = *l;
    if (auto a = in.boolean("active", false)) patch.active = *a;
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return versioned(usecases::update_budget_code(c.services.database, c.actor, id, expected, patch, member_scope(c)),
                     code_json);
  });

  router.add(http::verb::get, "/v1/needs/{id}/budget-codes", {Role::buyer, Role::officer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
               return respond(usecases::need_codes(c.services.database, id, member_scope(c)), need_codes_json);
             });

  router.add(http::verb::put, "/v1/needs/{id}/budget-codes", {Role::buyer, Role::finance}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"budget_nature", "budget_analytic"}));
    db::NeedCodes codes;
    codes.nature = in.text("budget_nature", false, kMaxBudgetCodeLength);
    codes.analytic = in.text("budget_analytic", false, kMaxBudgetCodeLength);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return respond(usecases::set_need_codes(c.services.database, c.actor, id, codes, member_scope(c)), need_codes_json);
  });

  const std::initializer_list<Role> readers{Role::finance, Role::officer, Role::buyer};
  router.add(http::verb::get, "/v1/reports/budget/commitments", readers,
             [](RequestContext& c) { return budget_report(c, usecases::BudgetExportKind::commitments, false); });
  router.add(http::verb::get, "/v1/reports/budget/unordered", readers,
             [](RequestContext& c) { return budget_report(c, usecases::BudgetExportKind::commitments, true); });
  router.add(http::verb::get, "/v1/reports/budget/spend", readers,
             [](RequestContext& c) { return budget_report(c, usecases::BudgetExportKind::spend, false); });

  router.add(http::verb::get, "/v1/reports/spaser", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"year", "member_id", "csv"}));
    auto format = negotiate(c);
    if (!format) return not_acceptable();
    usecases::SpaserFilter filter;
    std::vector<FieldError> errors;
    if (auto y = take(query_param(c, "year"), errors); y && *y) {
      const auto year = parse_integer(**y);
      if (!year || *year < 1900 || *year > 2999)
        errors.push_back({"year", "doit être une année de 1900 à 2999", "report.year.invalid"});
      else filter.year = static_cast<int>(*year);
    }
    CANOPEE_TRY_RESPOND(member, member_query(c, errors));
    filter.member_id = member;
    check_csv_dialect(c, errors);
    if (!errors.empty())
      return error(Error{ErrorCode::invalid, "paramètres du rapport invalides", errors, "report.invalid"});
    CANOPEE_TRY_RESPOND(report, usecases::spaser_report(c.services.database, filter));
    if (*format == Format::json) return json(http::status::ok, usecases::spaser_json(report));
    return table_response(c, usecases::spaser_table(report), *format,
                          "achats-responsables-" + (filter.year ? std::to_string(*filter.year) : std::string("tous")));
  });

  const auto reservation_json = [](const usecases::TenderReservation& r) {
    return bj::value(bj::object{{"tender_id", r.tender_id},
                                {"reserved", to_string(r.reserved)},
                                {"legal_basis", legal_basis(r.reserved)},
                                {"label", french_label(r.reserved)},
                                {"version", r.version}});
  };
  router.add(http::verb::get, "/v1/tenders/{id}/reservation", {Role::officer}, [reservation_json](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return versioned(usecases::tender_reservation(c.services.database, id), reservation_json);
  });
  router.add(http::verb::put, "/v1/tenders/{id}/reservation", {Role::officer}, [reservation_json](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"reserved"}));
    Reservation reserved = Reservation::none;
    if (auto t = in.text("reserved", true, 20)) {
      if (auto parsed = in.take(parse_reservation(*t, in.name("reserved")))) reserved = *parsed;
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return versioned(usecases::set_tender_reservation(c.services.database, c.actor, id, reserved, expected),
                     reservation_json);
  });
}

}  // namespace canopee::api
