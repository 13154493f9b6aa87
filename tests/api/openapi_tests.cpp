// The routing table and docs/openapi.yaml describe the same operations, and the
// server serves the description.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "api/openapi_text.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;

namespace {

// "GET /v1/needs/{id}" for every operation of the document: paths are keys
// indented by two spaces under `paths:`, operations by four.
std::set<std::string> documented_operations(std::string_view text) {
  std::set<std::string> operations;
  std::istringstream lines{std::string(text)};
  std::string line;
  std::string path;
  bool in_paths = false;
  while (std::getline(lines, line)) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!line.empty() && line[0] != ' ') in_paths = false;
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0 && line.back() == ':') path = line.substr(2, line.size() - 3);
    for (const char* method : {"get", "post", "patch", "delete", "put"}) {
      if (line == std::string("    ") + method + ":") {
        std::string upper(method);
        for (auto& c : upper) c = static_cast<char>(std::toupper(c));
        operations.insert(upper + " " + path);
      }
    }
  }
  return operations;
}

}  // namespace

TEST_CASE("every route is in the OpenAPI document, and every documented operation is a route") {
  test::ApiServer s;
  std::set<std::string> routed;
  for (const auto& route : s.app.router().routes()) {
    routed.insert(std::string(test::http::to_string(route.method)) + " " + route.pattern);
  }
  const auto documented = documented_operations(api::openapi_text());
  for (const auto& r : routed) {
    CAPTURE(r);
    CHECK(documented.count(r) == 1);
  }
  for (const auto& d : documented) {
    CAPTURE(d);
    CHECK(routed.count(d) == 1);
  }
  const auto served = s.client.get("/v1/openapi.yaml");
  CHECK(served.result_int() == 200);
  CHECK(served.body().rfind("openapi: 3.1.0", 0) == 0);
}

TEST_CASE("metrics count requests by route and status") {
  test::ApiServer s;
  CHECK(s.client.get("/healthz").result_int() == 200);
  CHECK(s.client.get("/v1/needs").result_int() == 401);
  const auto metrics = s.client.get("/metrics");
  CHECK(metrics.result_int() == 200);
  CHECK(metrics.body().find("canopee_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1") !=
        std::string::npos);
  CHECK(metrics.body().find("route=\"/v1/needs\",status=\"401\"") != std::string::npos);
  CHECK(metrics.body().find("canopee_http_request_duration_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  CHECK(metrics.body().find("canopee_db_pool_connections{state=\"total\"} 4") != std::string::npos);
}
