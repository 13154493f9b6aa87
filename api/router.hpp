#pragma once
// The routing table: (method, path pattern) → roles allowed and handler. Patterns
// are literal segments and {name} captures, e.g. /v1/tenders/{id}/lots/{lot}/bids.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/db/actor.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/pg_async.hpp"
#include "api/http.hpp"
#include "engine/parties.hpp"

namespace canopee::api {

struct Services;

struct RequestContext {
  Request& request;
  const RequestMeta& meta;
  Services& services;
  std::string_view path;   // the target without its query string
  std::string_view query;  // after '?', undecoded
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::optional<User> user;  // the authenticated caller (routes with roles)
  db::Actor actor;           // who acts, for the audit log
  // The standby this read was routed to (api/read_routes.cpp); none: the primary.
  db::Database* standby = nullptr;

  std::string_view param(std::string_view name) const;
  // Where this request reads: the standby when the route tolerates bounded
  // staleness and the read routing chose it, else the primary. A write's route is
  // never one of those, so the reads that decide a write (visible_need on a PATCH)
  // go to the primary through this same call.
  db::Database& read_database();
};

using Handler = std::function<Response(RequestContext&)>;

// A read's fast path on PostgreSQL (db::AsyncPg, on the I/O threads): the one
// statement to run and how to answer from its rows. The planner returns none
// whenever the blocking handler should answer instead (a malformed id, a query
// string it does not expect): the fast path only repeats the handler's common case,
// and must answer exactly what the handler would.
struct AsyncPlan {
  db::AsyncStatement statement;
  std::function<Response(const std::vector<db::TextRow>& rows)> answer;
};
using AsyncPlanner = std::function<std::optional<AsyncPlan>(RequestContext&)>;

struct Route {
  http::verb method;
  std::string pattern;
  bool authenticated = true;
  std::vector<Role> roles;  // who may call it (authenticated routes)
  Handler handler;
  AsyncPlanner async_plan{};  // GET routes with a fast path
  // A GET that may read from the standby (api/read_routes.cpp lists them).
  bool standby_reads = false;
  // A standby-read GET whose answers may be kept a short while (api/read_routes.cpp).
  bool recent_reads = false;
  bool allows(Role role) const;
};

struct RouteMatch {
  const Route* route = nullptr;  // none: see allowed_methods
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::string allowed_methods;  // for a 405: the path exists with these methods
};

class Router {
 public:
  // A route open to anyone (health, metrics, the API description).
  void add_public(http::verb method, std::string pattern, Handler handler);
  // A route for authenticated callers with one of `roles`.
  void add(http::verb method, std::string pattern, std::vector<Role> roles, Handler handler);
  // Gives the route (added before) a fast path.
  void set_async(http::verb method, std::string_view pattern, AsyncPlanner planner);
  RouteMatch match(http::verb method, std::string_view path) const;
  // Marks the GET route of exactly this pattern as one that may read from the
  // standby (api/read_routes.cpp); false when there is none.
  bool allow_standby_reads(std::string_view pattern);
  // Marks such a route (already a standby read) as one whose answers may be kept
  // for a short while (Services::recent_reads); false when there is none.
  bool keep_recent_reads(std::string_view pattern);
  const std::vector<Route>& routes() const { return routes_; }

 private:
  Route* get_route(std::string_view pattern);
  std::vector<Route> routes_;
};

}  // namespace canopee::api
