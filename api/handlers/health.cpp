// GET /healthz (the process answers), /readyz (and the database does too, as the
// readiness probe last saw it), /metrics (Prometheus, for operators only),
// /v1/openapi.yaml (the API description). The first three are answered on the
// I/O thread (App::answers_inline): nothing here may block.
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "adapters/security/tokens.hpp"
#include "api/client_address.hpp"
#include "api/handler_support.hpp"
#include "api/openapi_text.hpp"
#include "api/routes.hpp"

namespace canopee::api {
namespace {

// The metrics token when one is configured; else a client on this machine that
// no proxy forwarded (the proxy in front is on the same machine in many setups).
bool may_read_metrics(const RequestContext& context) {
  const auto& token = context.services.metrics_token;
  if (!token.empty()) {
    const std::string_view authorization = context.request[http::field::authorization];
    if (authorization.size() <= 7 || authorization[6] != ' ') return false;
    std::string scheme(authorization.substr(0, 6));
    for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return scheme == "bearer" && security::constant_time_equal(authorization.substr(7), token);
  }
  const auto& meta = context.meta;
  if (!context.request["X-Forwarded-For"].empty()) return false;
  boost::system::error_code ec;
  const auto peer = boost::asio::ip::make_address(meta.peer_address.empty() ? meta.remote_address : meta.peer_address,
                                                  ec);
  return !ec && normalized(peer).is_loopback();
}

}  // namespace

void add_health_routes(Router& router) {
  router.add_public(http::verb::get, "/healthz", [](RequestContext&) {
    return json(http::status::ok, boost::json::object{{"status", "ok"}});
  });
  router.add_public(http::verb::get, "/readyz", [](RequestContext& context) {
    if (!context.services.readiness.ready()) {
      auto response = make_problem(http::status::service_unavailable, "not-ready", "la base de données est injoignable",
                                   {}, "health.database_unreachable");
      response.set(http::field::retry_after, "1");
      return response;
    }
    return json(http::status::ok,
                boost::json::object{{"status", "ready"},
                                    {"database", std::string(db::backend_name(context.services.database.backend()))}});
  });
  router.add_public(http::verb::get, "/metrics", [](RequestContext& context) {
    if (!may_read_metrics(context)) {
      auto response = make_problem(http::status::forbidden, "metrics-restricted",
                                   "les métriques sont réservées à l’exploitation : envoyer le jeton des métriques, ou "
                                   "les lire depuis la machine du serveur",
                                   {}, "metrics.restricted");
      response.set(http::field::www_authenticate, "Bearer realm=\"canopee-metrics\"");
      return response;
    }
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain; version=0.0.4");
    response.body() = context.services.metrics.render(context.services.database.stats());
    if (const auto* routing = context.services.read_routing) response.body() += Metrics::render(routing->stats());
    response.body() += Metrics::render({{"evaluation", context.services.evaluations.stats()},
                                        {"savings_report", context.services.savings_reports.stats()},
                                        {"recent_read", context.services.recent_reads.stats()}});
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
