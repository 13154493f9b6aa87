// Purchase orders imported from a member's ERP as CSV (usecases/orders_import.hpp):
// POST /v1/orders/import, text/csv, all orders or none.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/routes.hpp"
#include "usecases/orders_import.hpp"

namespace canopee::api {

void add_order_import_routes(Router& router) {
  router.add(http::verb::post, "/v1/orders/import", {Role::buyer}, [](RequestContext& c) {
    namespace bj = boost::json;
    if (!media_type_is(c.request[http::field::content_type], "text/csv")) {
      return make_problem(http::status::unsupported_media_type, "unsupported-media-type",
                          "envoyer le fichier en text/csv", {}, "request.unsupported_media_type");
    }
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {}));
    // The user's import slot: taken at admission for a large body (meta.hold), else now.
    const auto slot = c.meta.hold ? std::nullopt : c.services.imports.try_acquire(c.user->id);
    if (!c.meta.hold && !slot) return too_many_at_once("d’imports");
    CANOPEE_TRY_RESPOND(imported, usecases::import_orders(c.services.database, c.actor, *c.user->member_id,
                                                          c.request.body(), c.services.today()));
    bj::array orders;
    for (const auto& o : imported.orders) {
      bj::array warnings;
      for (const auto& w : o.warnings) warnings.push_back(bj::object{{"code", w.code}, {"message", w.message}});
      orders.push_back(bj::object{{"id", o.id},
                                  {"reference", o.reference},
                                  {"internal_reference", o.internal_reference},
                                  {"line", o.line},
                                  {"warnings", std::move(warnings)}});
    }
    return json(http::status::created, bj::object{{"imported", imported.orders.size()},
                                                  {"lines", imported.lines},
                                                  {"orders", std::move(orders)}});
  });
}

}  // namespace canopee::api
