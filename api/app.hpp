#pragma once
// The application: the routing table bound to the services. handle() is the
// server's request handler (it runs on a worker thread): match the route,
// authenticate the bearer token, check the role, check the content type, honour
// an Idempotency-Key, run the handler, add the security headers, count it.
// admit() is the server's admission of a large body: the same route, token and
// role checks from the header alone, before any of the body is read.
#include <memory>
#include <optional>
#include <variant>

#include "adapters/db/read_routing.hpp"

#include "api/http.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "api/services.hpp"

namespace canopee::api {

class App {
 public:
  explicit App(Services& services);
  Response handle(Request&& request, const RequestMeta& meta);
  Admission admit(const RequestHeader& header, const RequestMeta& meta);
  // Health checks and metrics: cheap, never blocking, answered on the I/O thread.
  static bool answers_inline(const RequestHeader& header);
  const Router& router() const { return router_; }

  // The largest body a route accepts (0: the server's default): only the exact
  // bulk-import route, for the roles that may call it.
  static std::size_t body_limit_for(http::verb method, std::string_view path);

  // The server options this application needs (admission, inline answers).
  void configure(ServerOptions& options);

 private:
  Response run(Request& request, const RequestMeta& meta, std::string& route_name);
  // The fast path (ServerOptions::answers_async): a GET whose route has an async
  // plan, from a caller already in the token cache, on PostgreSQL.
  bool answer_async(Request& request, const RequestMeta& meta, ServerOptions::AsyncAnswer answer);
  // The caller when the token cache knows it and nothing else must be checked
  // first (no throttling); none sends the request down the blocking path.
  std::optional<User> cached_caller(const RequestHeader& header, const RequestMeta& meta);
  // The headers every answer carries, and the metrics' count.
  void finish(Response& response, std::string_view method, std::string_view target, std::string_view route_name,
              std::chrono::steady_clock::time_point started);
  Response read(const Route& route, RequestContext& context, std::optional<db::Lsn> read_after);
  // Recent reads (api/read_routes.cpp): whether they are on; the kept answer for a
  // request of `user` on `route` with `query`, if one may serve it; a read that
  // keeps its answer (on the primary, after reading the WAL position).
  bool recent_reads_on() const;
  DerivedCache::Body find_recent(const Route& route, const User& user, std::string_view query,
                                 std::optional<db::Lsn> read_after, const RequestMeta& meta, bool count_miss);
  Response read_recent(const Route& route, RequestContext& context, std::optional<db::Lsn> read_after);
  void mark_write_position(Response& response, const RequestMeta& meta);
  // The caller of an authenticated route, or the answer that refuses it.
  std::variant<User, Response> authenticate(const RequestHeader& header, const RequestMeta& meta);
  std::variant<User, Response> authenticate_session(const RequestHeader& header, std::string_view cookie,
                                                    const std::string& client);
  Services& services_;
  Router router_;
  std::unique_ptr<db::AsyncPg> async_;  // set at the server's start (PostgreSQL)
};

}  // namespace canopee::api
