// The anti-splitting view (issue 16 item 14, R2121-6 and R2121-7): stand-alone
// purchases recorded by buyers (their member) and officers, and the yearly view per
// homogeneous family computed by engine/splitting.
#include <boost/json.hpp>

#include "adapters/db/splitting_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/splitting_view.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

Response purchase_response(const Result<StandalonePurchase>& p, http::status status = http::status::ok) {
  return versioned(
      p, [](const StandalonePurchase& x) { return formats::to_json(x); }, status);
}

// ?year= (2024–2099); when absent, 0 — or the error splitting.year when `required`.
Result<int> year_query(const RequestContext& c, bool required) {
  auto text = query_param(c, "year");
  if (!text) return std::move(text).error();
  if (!*text) {
    if (!required) return 0;
    return Error::rule_broken(ErrorCode::invalid, "splitting.year", "year",
                              "l'année est obligatoire, par exemple year=2026");
  }
  const auto year = parse_integer(**text);
  if (!year || *year < kFirstSplittingYear || *year > kLastSplittingYear) {
    return Error::rule_broken(ErrorCode::invalid, "splitting.year", "year", "année entre 2024 et 2099");
  }
  return static_cast<int>(*year);
}

Result<std::optional<std::int64_t>> member_query(const RequestContext& c) {
  auto text = query_param(c, "member_id");
  if (!text) return std::move(text).error();
  if (!*text || (*text)->empty()) return std::optional<std::int64_t>{};
  const auto id = parse_integer(**text);
  if (!id || *id <= 0) {
    return Error::rule_broken(ErrorCode::invalid, "splitting.member_id", "member_id",
                              "identifiant de membre (entier positif)");
  }
  return std::optional<std::int64_t>{*id};
}

Response forbidden_member() {
  return make_problem(http::status::forbidden, "forbidden",
                      "un acheteur n'enregistre que les achats de son propre membre",
                      {{"member_id", "un acheteur n'enregistre que les achats de son propre membre",
                        "standalone_purchase.other_member"}},
                      "standalone_purchase.other_member");
}

// The purchase named by {id}, if the caller may see it (404 for another member's).
Result<StandalonePurchase> visible_purchase(RequestContext& c) {
  auto id = path_id(c, "id");
  if (!id) return std::move(id).error();
  auto p = db::get_standalone_purchase(c.services.database, *id);
  if (!p) return p;
  if (auto scope = member_scope(c); scope && p->member_id != *scope)
    return Error::of(ErrorCode::not_found, "achat introuvable", "standalone_purchase.not_found");
  return p;
}

}  // namespace

void add_splitting_routes(Router& router) {
  const std::vector<Role> readers = {Role::officer, Role::buyer, Role::finance};

  router.add(http::verb::get, "/v1/standalone-purchases", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"year", "member_id", "limit", "cursor"}));
    CANOPEE_TRY_RESPOND(year, year_query(c, false));
    CANOPEE_TRY_RESPOND(member, member_query(c));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    db::StandalonePurchaseFilter filter;
    if (year != 0) filter.year = year;
    filter.member_id = member;
    if (auto scope = member_scope(c)) {
      if (filter.member_id && *filter.member_id != *scope)
        return error(Error::of(ErrorCode::not_found, "membre hors de votre périmètre", "member.not_found"));
      filter.member_id = *scope;
    }
    return page_response(db::list_standalone_purchases(c.services.database, filter, page),
                         [](const StandalonePurchase& x) { return formats::to_json(x); });
  });

  router.add(http::verb::post, "/v1/standalone-purchases", {Role::buyer, Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"member_id", "cpv", "label", "amount", "purchased_on",
                                                                "supplier_name", "supplier_reference"}));
    const bool buyer = c.user->role == Role::buyer;
    StandalonePurchase p;
    const auto member = in.integer("member_id", !buyer, 1, INT64_MAX);
    if (auto v = in.text("cpv", true, 12)) {
      auto code = c.services.nomenclature.validate(*v, "cpv");
      if (code) p.cpv = *code;
      else
        in.fail("cpv", "code CPV NNNNNNNN-N de la nomenclature chargée, par exemple 30192000-1",
                "standalone_purchase.cpv");
    }
    if (auto v = in.text("label", true, 4 * kMaxStandaloneLabel)) p.label = *v;
    if (auto v = in.decimal("amount", true)) {
      auto amount = parse_amount(*v, "amount");
      if (amount) p.amount = *amount;
      else
        in.fail("amount", "montant HT en euros, au plus 2 décimales, par exemple \"1234.56\"",
                "standalone_purchase.invalid");
    }
    if (auto v = in.text("purchased_on", true, 10)) {
      auto date = parse_date(*v, "purchased_on");
      if (date) p.purchased_on = *date;
      else in.fail("purchased_on", "date AAAA-MM-JJ, par exemple 2026-03-15", "standalone_purchase.invalid");
    }
    if (auto v = in.text("supplier_name", false, 4 * kMaxStandaloneSupplierText)) p.supplier_name = *v;
    if (auto v = in.text("supplier_reference", false, 4 * kMaxStandaloneSupplierText)) p.supplier_reference = *v;
    CANOPEE_TRY_RESPOND_STATUS(in.finish("achat invalide"));
    if (buyer) {
      // A buyer records its own member's purchases only.
      if (member && *member != *c.user->member_id) return forbidden_member();
      p.member_id = *c.user->member_id;
    } else {
      p.member_id = *member;  // an unknown member is refused by the repository (standalone_purchase.member)
    }
    return purchase_response(db::create_standalone_purchase(c.services.database, c.actor, p), http::status::created);
  });

  router.add(http::verb::get, "/v1/standalone-purchases/{id}", readers,
             [](RequestContext& c) { return purchase_response(visible_purchase(c)); });

  router.add(http::verb::post, "/v1/standalone-purchases/{id}/cancel", {Role::buyer, Role::officer},
             [](RequestContext& c) {
               if (auto r = require_json(c)) return *r;
               CANOPEE_TRY_RESPOND(expected, if_match(c));
               // 404 for another member's, whatever the body
               CANOPEE_TRY_RESPOND(purchase, visible_purchase(c));
               CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"reason"}));
               const auto reason = in.text("reason", true, 4 * kMaxCancelReason);
               CANOPEE_TRY_RESPOND_STATUS(in.finish("annulation invalide"));
               return purchase_response(db::cancel_standalone_purchase(c.services.database, c.actor, purchase.id,
                                                                       *reason, expected,
                                                                       c.user->role == Role::officer));
             });

  router.add(http::verb::get, "/v1/reports/splitting", {Role::finance, Role::officer, Role::buyer},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"year", "member_id"}));
               CANOPEE_TRY_RESPOND(year, year_query(c, true));
               CANOPEE_TRY_RESPOND(member, member_query(c));
               SplittingRequest request{year, member, true};
               if (auto scope = member_scope(c)) {
                 if (request.member_id && *request.member_id != *scope)
                   return error(Error::of(ErrorCode::not_found, "membre hors de votre périmètre", "member.not_found"));
                 // A member's buyers and finance see their member's rows, not the network's.
                 request.member_id = *scope;
                 request.joint_rows = false;
               }
               CANOPEE_TRY_RESPOND(report,
                                   reports::splitting_view(c.services.database, c.services.thresholds, request));
               return json(http::status::ok, reports::splitting_json(report, request, c.services.nomenclature));
             });
}

}  // namespace canopee::api
