// GET /healthz (the process answers), /readyz (and the database does too),
// /metrics (Prometheus), /v1/openapi.yaml (the API description).
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/handler_support.hpp"
#include "api/openapi_text.hpp"
#include "api/routes.hpp"

namespace canopee::api {

void add_health_routes(Router& router) {
  router.add_public(http::verb::get, "/healthz", [](RequestContext&) {
    return json(http::status::ok, boost::json::object{{"status", "ok"}});
  });
  router.add_public(http::verb::get, "/readyz", [](RequestContext& context) {
    if (auto status = context.services.database.ping(); !status) {
      spdlog::warn("request_id={} readiness check failed: {}", context.meta.request_id, status.error().message);
      auto response = make_problem(http::status::service_unavailable, "not-ready", "the database is unreachable");
      response.set(http::field::retry_after, "1");
      return response;
    }
    return json(http::status::ok,
                boost::json::object{{"status", "ready"},
                                    {"database", std::string(db::backend_name(context.services.database.backend()))}});
  });
  router.add_public(http::verb::get, "/metrics", [](RequestContext& context) {
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain; version=0.0.4");
    response.body() = context.services.metrics.render(context.services.database.stats());
    return response;
  });
  router.add_public(http::verb::get, "/v1/openapi.yaml", [](RequestContext&) {
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "application/yaml");
    response.body() = std::string(openapi_text());
    return response;
  });
}

}  // namespace canopee::api
