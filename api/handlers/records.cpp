// Contracts (per member) and the audit trail.
#include <boost/json.hpp>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/record_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "api/handler_support.hpp"
#include "api/routes.hpp"

namespace canopee::api {
namespace {
namespace bj = boost::json;
}

void add_contract_routes(Router& router) {
  router.add(http::verb::get, "/v1/contracts", {Role::buyer, Role::finance, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(db::list_contracts(c.services.database, member_scope(c), page), [](const db::Contract& k) {
      return bj::object{{"id", k.id},
                        {"tender_id", k.tender_id},
                        {"lot_id", k.lot_id},
                        {"member_id", k.member_id},
                        {"supplier_id", k.supplier_id},
                        {"quantity", to_string(k.quantity)},
                        {"unit_price", to_string(k.unit_price)},
                        {"amount", to_string(k.amount)},
                        {"awarded_at", k.awarded_at},
                        {"signed_on", k.signed_on ? bj::value(to_string(*k.signed_on)) : bj::value(nullptr)},
                        {"notified_on", k.notified_on ? bj::value(to_string(*k.notified_on)) : bj::value(nullptr)},
                        {"in_force", k.notified_on.has_value()},
                        {"tender_reference", k.tender_reference},
                        {"tender_title", k.tender_title},
                        {"lot_number", k.lot_number},
                        {"lot_title", k.lot_title},
                        {"member_code", k.member_code},
                        {"member_name", k.member_name},
                        {"supplier_name", k.supplier_name},
                        {"signatory", k.members_sign ? "member" : "coordinator"}};
    });
  });
}

void add_audit_routes(Router& router) {
  router.add(http::verb::get, "/v1/audit", {Role::admin, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor", "entity", "id"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    auto entity = query_param(c, "entity");
    auto id_text = query_param(c, "id");
    if (!entity || !id_text) return error(Error::invalid("query", "chaîne de requête mal formée", "query.malformed"));
    std::optional<std::int64_t> id;
    if (*id_text) {
      id = parse_integer(**id_text);
      if (!id) return error(Error::invalid("id", "doit être un nombre entier", "query.not_integer"));
      if (!*entity) return error(Error::invalid("entity", "est obligatoire avec id", "records.entity.required"));
    }
    if (entity->value_or("").size() > 40)
      return error(Error::invalid("entity", "est trop long", "records.entity.length"));
    // Users' e-mail addresses are personal data the officers have no need of
    // (GDPR art. 5(1)(c)): only administrators read them in the trail.
    const bool redact = c.user->role != Role::admin;
    return page_response(db::list_audit(c.services.database, entity->value_or(""), id, page), [redact](
                                                                                                  const db::AuditEntry&
                                                                                                      a) {
      bj::object o{{"id", a.id}, {"at", a.at}, {"entity", a.entity}, {"entity_id", a.entity_id}, {"action", a.action}};
      o["user_id"] = a.user_id ? bj::value(*a.user_id) : bj::value(nullptr);
      o["member_id"] = a.member_id ? bj::value(*a.member_id) : bj::value(nullptr);
      const auto state = [&](const std::string& text) {
        if (text.empty()) return bj::value(nullptr);
        auto value = bj::parse(text);
        if (redact && (a.entity == "user" || a.entity == "oidc_identity") && value.is_object()) {
          auto& user = value.as_object();
          user.erase("email");
          // a name defaults to the e-mail address when none was given
          if (const auto* name = user.if_contains("name");
              name && name->is_string() && name->as_string().find('@') != bj::string::npos) {
            user.erase("name");
          }
        }
        return value;
      };
      o["before"] = state(a.before_json);
      o["after"] = state(a.after_json);
      o["request_id"] = a.request_id;
      return o;
    });
  });
}

}  // namespace canopee::api
