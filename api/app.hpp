#pragma once
// The application: the routing table bound to the services. handle() is the
// server's request handler (it runs on a worker thread): match the route,
// authenticate the bearer token, check the role, check the content type, honour
// an Idempotency-Key, run the handler, add the security headers, count it.
#include "api/http.hpp"
#include "api/router.hpp"
#include "api/services.hpp"

namespace canopee::api {

class App {
 public:
  explicit App(Services& services);
  Response handle(Request&& request, const RequestMeta& meta);
  const Router& router() const { return router_; }

  // The largest body a target accepts (0: the server's default).
  static std::size_t body_limit_for(std::string_view target);

 private:
  Response run(Request& request, const RequestMeta& meta, std::string& route_name);
  Services& services_;
  Router router_;
};

}  // namespace canopee::api
