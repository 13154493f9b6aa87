#pragma once
// The real server in-process on a free port, on a fresh migrated database, with a
// client speaking to it over a real socket.
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <atomic>

#include "adapters/clock.hpp"
#include "adapters/db/migrations.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/security/tokens.hpp"
#include "api/app.hpp"
#include "api/server.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

namespace canopee::test {

struct ApiServer {
  TestDatabase fixture;
  std::unique_ptr<db::Database> database = fixture.open(4);
  api::Services services{*database,
                         CpvNomenclature::starter(),
                         ThresholdTable::defaults(),
                         [] { return parse_date("2026-11-29", "today").value(); },
                         {}};
  // The instant clock agrees with `today`: 2026-11-29 10:00 UTC (11:00 in Paris);
  // a test may move it (`now_micros`) to receive bids or close after a deadline.
  static Instant test_now() { return utc_instant(parse_date("2026-11-29", "today").value(), 10); }
  std::atomic<std::int64_t> now_micros{test_now().micros};
  api::App app{services};
  api::Server server;
  HttpClient client;

  explicit ApiServer(api::ServerOptions options = {})
      : server(with_defaults(std::move(options), app),
               [this](api::Request&& r, const api::RequestMeta& m) { return app.handle(std::move(r), m); }) {
    spdlog::set_level(spdlog::level::warn);
    services.now = [this] { return Instant{now_micros.load()}; };
    REQUIRE(db::migrate(*database).ok());
    services.readiness.start(database->url(), std::chrono::milliseconds(200));
    client.port = server.start();
  }

  static api::ServerOptions with_defaults(api::ServerOptions options, api::App& app) {
    options.port = 0;
    options.worker_threads = 3;
    app.configure(options);
    return options;
  }

  // A user straight in the database, returning its token.
  std::string user(Role role, std::optional<std::int64_t> member_id, const std::string& email) {
    User u;
    u.email = email;
    u.name = email;
    u.role = role;
    u.member_id = member_id;
    const auto token = security::generate_token();
    REQUIRE(db::create_user(*database, {}, u, security::token_hash(token)).ok());
    return token;
  }
};

struct Call {
  HttpClient& client;
  std::string token;

  Reply send(http::verb method, const std::string& target, const std::string& body = {},
             std::vector<std::pair<std::string, std::string>> headers = {}) const;
  Reply get(const std::string& target) const { return send(http::verb::get, target); }
  Reply post(const std::string& target, const boost::json::value& body, const std::string& etag = {}) const {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!etag.empty()) headers.emplace_back("If-Match", etag);
    return send(http::verb::post, target, boost::json::serialize(body), headers);
  }
  Reply patch(const std::string& target, const boost::json::value& body, const std::string& etag = {}) const {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!etag.empty()) headers.emplace_back("If-Match", etag);
    return send(http::verb::patch, target, boost::json::serialize(body), headers);
  }
};

inline boost::json::value body_of(const Reply& reply) { return boost::json::parse(reply.body()); }

// The field a problem's first error names ("" when it names none).
inline std::string first_error_field(const Reply& reply) {
  const auto problem = body_of(reply);
  if (!problem.as_object().contains("errors")) return {};
  return std::string(problem.at("errors").at(0).at("field").as_string());
}

}  // namespace canopee::test
