#pragma once
// The routing table: (method, path pattern) → handler. Patterns are literal
// segments and {name} captures, e.g. /v1/tenders/{id}/lots/{lot}/bids.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http.hpp"

namespace canopee::api {

struct RequestContext {
  Request& request;
  const RequestMeta& meta;
  std::string_view path;   // the target without its query string
  std::string_view query;  // after '?', undecoded
  std::vector<std::pair<std::string_view, std::string_view>> params;

  std::string_view param(std::string_view name) const;
};

using Handler = std::function<Response(RequestContext&)>;

struct Route {
  http::verb method;
  std::string pattern;
  Handler handler;
};

class Router {
 public:
  void add(http::verb method, std::string pattern, Handler handler);
  // 404 for an unknown path, 405 (with Allow) for a known path and another method.
  Response dispatch(Request& request, const RequestMeta& meta) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace canopee::api
