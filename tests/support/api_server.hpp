#pragma once
// The real server in-process on a free port, on a fresh migrated database, with a
// client speaking to it over a real socket (api_client.hpp).
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
#include "tests/support/api_client.hpp"
#include "tests/support/fixtures.hpp"
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
    return create_user_token(*database, role, member_id, email);
  }

  static std::string create_user_token(db::Database& database, Role role, std::optional<std::int64_t> member_id,
                                       const std::string& email) {
    User u;
    u.email = email;
    u.name = email;
    u.role = role;
    u.member_id = member_id;
    const auto token = security::generate_token();
    REQUIRE(db::create_user(database, {}, u, security::token_hash(token)).ok());
    return token;
  }
};

// A second server on the first one's database: another replica, with its own
// pool and caches — what a second process behind the load balancer is.
struct Replica {
  std::unique_ptr<db::Database> database;
  api::Services services;
  api::App app{services};
  api::Server server;
  HttpClient client;

  explicit Replica(const TestDatabase& fixture)
      : database(fixture.open(4)),
        services{*database,
                 CpvNomenclature::starter(),
                 ThresholdTable::defaults(),
                 [] { return parse_date("2026-11-29", "today").value(); },
                 {}},
        server(ApiServer::with_defaults({}, app),
               [this](api::Request&& r, const api::RequestMeta& m) { return app.handle(std::move(r), m); }) {
    client.port = server.start();
  }
};

}  // namespace canopee::test
