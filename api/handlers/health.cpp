#include "api/handlers/health.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/json_response.hpp"
#include "api/problem.hpp"

namespace canopee::api {

void add_health_routes(Router& router, db::Database& database) {
  router.add(http::verb::get, "/healthz", [](RequestContext&) {
    return json_response(http::status::ok, boost::json::object{{"status", "ok"}});
  });
  router.add(http::verb::get, "/readyz", [&database](RequestContext& context) {
    if (auto status = database.ping(); !status) {
      spdlog::warn("request_id={} readiness check failed: {}", context.meta.request_id,
                   status.error().message);
      auto response = make_problem(http::status::service_unavailable, "not-ready",
                                   "the database is unreachable");
      response.set(http::field::retry_after, "1");
      return response;
    }
    return json_response(http::status::ok,
                         boost::json::object{{"status", "ready"},
                                             {"database", std::string(db::backend_name(database.backend()))}});
  });
}

}  // namespace canopee::api
