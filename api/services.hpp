#pragma once
// What every handler may use: the database, the CPV nomenclature and threshold
// table loaded at start, the clock, the metrics. Shared and read-only after start
// (the metrics are thread-safe); nothing here is the only copy of a fact.
#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "adapters/clock.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/read_routing.hpp"
#include "api/auth_throttle.hpp"
#include "api/derived_cache.hpp"
#include "api/metrics.hpp"
#include "api/readiness.hpp"
#include "api/token_cache.hpp"
#include "api/user_slots.hpp"
#include "api/web_assets.hpp"
#include "engine/cpv.hpp"
#include "engine/date.hpp"
#include "engine/thresholds.hpp"
#include "usecases/oidc.hpp"
#include "usecases/reports.hpp"

namespace canopee::api {

struct Services {
  db::Database& database;
  CpvNomenclature nomenclature;
  ThresholdTable thresholds;
  std::function<Date()> today;
  Metrics metrics;
  std::string ocds_prefix = "ocds-cnp000";      // the publisher's registered OCID prefix
  WebAssets web{};                              // the web application, if built
  TokenCache tokens{};                          // token hash → user, for a short time
  AuthThrottle auth_failures{};                 // clients refused after repeated bad tokens
  Readiness readiness{};                        // the database's last known state, for /readyz
  UserSlots imports{2};                         // bulk imports at once per user
  UserSlots allocations{2};                     // allocation computations at once per user
  reports::AllocationCache allocation_cache{};  // allocations by their inputs
  // Answers kept with the version of their inputs (schema/0028): evaluations by
  // tender, savings reports by their parameters; 32 MiB each at most.
  DerivedCache evaluations{4096, std::size_t{32} << 20};
  DerivedCache savings_reports{64, std::size_t{32} << 20};
  // Recent reads (api/read_routes.cpp): the busiest lists' answers kept for at most
  // `recent_reads_max_age` (0: none kept), by the WAL position read before them.
  // PostgreSQL only (SQLite has no WAL position to read). 16 MiB at most.
  std::atomic<std::chrono::milliseconds> recent_reads_max_age{std::chrono::milliseconds(0)};
  DerivedCache recent_reads{2048, std::size_t{16} << 20};
  // /metrics: with a token, only `Authorization: Bearer <token>` reads it; without,
  // only a client on this machine (loopback, not forwarded by a proxy).
  std::string metrics_token{};
  // Where the API is published (https://achats.example.org): the base of the links
  // written into exports. Never taken from the request's Host header.
  std::string public_base_url = "http://127.0.0.1:8080";
  // The instant clock (publication, closing, a bid's receipt); the wall clock when
  // empty. Tests set it beside `today`.
  std::function<Instant()> now{};
  // Whether e-mail notifications can be sent (CANOPEE_SMTP_HOST set): the web says so beside the choice.
  bool email_configured = false;
  // The identity providers people may sign in with (OpenID Connect; usecases/oidc.hpp).
  std::vector<usecases::OidcProvider> oidc_providers{};
  // PostgreSQL connections for the fast reads on the I/O threads (db::AsyncPg);
  // 0 turns the fast path off (every request then runs on a worker).
  std::size_t async_connections = 2;
  // A PostgreSQL streaming standby for the reads that tolerate bounded staleness
  // (--read-database), and the policy that says when to use it; none without one.
  // Handlers reach it through RequestContext::read_database() only.
  db::Database* standby = nullptr;
  db::ReadRouting* read_routing = nullptr;
  Instant instant_now() const { return now ? now() : utc_instant_now(); }
};

}  // namespace canopee::api
