#include "api/router.hpp"

#include "api/services.hpp"

#include <algorithm>
#include <stdexcept>

namespace canopee::api {
namespace {

// Matches one pattern against a path, capturing {name} segments.
bool match_pattern(std::string_view pattern, std::string_view path,
                   std::vector<std::pair<std::string_view, std::string_view>>& params) {
  params.clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pattern_end = std::min(pattern.find('/'), pattern.size());
    const auto path_end = std::min(path.find('/'), path.size());
    const auto want = pattern.substr(0, pattern_end);
    const auto have = path.substr(0, path_end);
    if (want.size() >= 2 && want.front() == '{' && want.back() == '}') {
      if (have.empty()) return false;
      params.emplace_back(want.substr(1, want.size() - 2), have);
    } else if (want != have) {
      return false;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return true;
}

}  // namespace

std::string_view RequestContext::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

db::Database& RequestContext::read_database() { return standby != nullptr ? *standby : services.database; }

bool Route::allows(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

void Router::add_public(http::verb method, std::string pattern, Handler handler) {
  routes_.push_back({method, std::move(pattern), false, {}, std::move(handler), {}, false, false});
}

void Router::add(http::verb method, std::string pattern, std::vector<Role> roles, Handler handler) {
  routes_.push_back({method, std::move(pattern), true, std::move(roles), std::move(handler), {}, false, false});
}

Route* Router::get_route(std::string_view pattern) {
  for (auto& route : routes_) {
    if (route.method == http::verb::get && route.pattern == pattern) return &route;
  }
  return nullptr;
}

bool Router::allow_standby_reads(std::string_view pattern) {
  auto* route = get_route(pattern);
  if (route != nullptr) route->standby_reads = true;
  return route != nullptr;
}

bool Router::keep_recent_reads(std::string_view pattern) {
  auto* route = get_route(pattern);
  if (route == nullptr || !route->standby_reads) return false;
  route->recent_reads = true;
  return true;
}

void Router::set_async(http::verb method, std::string_view pattern, AsyncPlanner planner) {
  for (auto& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      route.async_plan = std::move(planner);
      return;
    }
  }
  throw std::logic_error("set_async: no route " + std::string(pattern));
}

RouteMatch Router::match(http::verb method, std::string_view path) const {
  RouteMatch result;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  // HEAD is answered wherever GET is, with the GET answer's headers (RFC 9110 9.3.2).
  const auto wanted = method == http::verb::head ? http::verb::get : method;
  for (const auto& route : routes_) {
    if (!match_pattern(route.pattern, path, params)) continue;
    if (route.method == wanted) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    if (!result.allowed_methods.empty()) result.allowed_methods += ", ";
    result.allowed_methods += std::string(http::to_string(route.method));
    if (route.method == http::verb::get) result.allowed_methods += ", HEAD";
  }
  return result;
}

}  // namespace canopee::api
