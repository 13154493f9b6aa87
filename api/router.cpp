#include "api/router.hpp"

#include <fmt/format.h>

#include "api/problem.hpp"

namespace canopee::api {
namespace {

// Matches one pattern against a path, capturing {name} segments.
bool match(std::string_view pattern, std::string_view path,
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

void Router::add(http::verb method, std::string pattern, Handler handler) {
  routes_.push_back({method, std::move(pattern), std::move(handler)});
}

Response Router::dispatch(Request& request, const RequestMeta& meta) const {
  const std::string_view target = request.target();
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  RequestContext context{request, meta, path, query, {}};
  std::string allowed;
  for (const auto& route : routes_) {
    if (!match(route.pattern, path, context.params)) continue;
    if (route.method == request.method()) return route.handler(context);
    if (!allowed.empty()) allowed += ", ";
    allowed += std::string(http::to_string(route.method));
  }
  if (!allowed.empty()) {
    auto response = make_problem(http::status::method_not_allowed, "method-not-allowed",
                                 fmt::format("{} is not allowed on {}", request.method_string(), path));
    response.set(http::field::allow, allowed);
    return response;
  }
  return make_problem(http::status::not_found, "not-found", fmt::format("no resource at {}", path));
}

}  // namespace canopee::api
