// The JSON request decoders of every write route (POST, PUT, PATCH, DELETE), run
// through the whole App pipeline as a caller allowed on the route. The input is
// "METHOD /target\n" then the body (readable seeds in corpus/api_writes); a first
// line naming no write route picks one by its hash, with small ids in its path.
// Property: no crash, no sanitizer report, never a 5xx.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_app.hpp"

using namespace canopee;

namespace {

struct WriteRoute {
  api::http::verb method;
  std::string pattern;
  Role role;
};

const std::vector<WriteRoute>& write_routes(const api::App& app) {
  static const auto routes = [&app] {
    std::vector<WriteRoute> out;
    for (const auto& route : app.router().routes()) {
      if (route.method == api::http::verb::get || !route.authenticated || route.roles.empty()) continue;
      out.push_back({route.method, route.pattern, route.roles.front()});
    }
    return out;
  }();
  return routes;
}

// {id} and {lot} become 1..4 as `pick` says: the demo has tenders 1 and 2 with lots.
std::string fill(const std::string& pattern, std::size_t pick) {
  std::string out;
  int capture = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out.push_back(pattern[i]);
      continue;
    }
    i = pattern.find('}', i);
    out += std::to_string(1 + ((pick >> (2 * capture++)) & 3));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& app = fuzz::FuzzApp::next();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const auto line = input.substr(0, newline);
  const auto body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

  const auto space = line.find(' ');
  const auto method = api::http::string_to_verb(line.substr(0, space));
  const auto target = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  const auto match = app.app->router().match(method, target.substr(0, target.find('?')));
  api::Request request;
  Role role = Role::admin;
  if (match.route != nullptr && method != api::http::verb::get && !match.route->roles.empty()) {
    request = api::Request{method, target, 11};
    role = match.route->roles.front();
  } else {
    const auto hash = std::hash<std::string_view>{}(line);
    const auto& routes = write_routes(*app.app);
    const auto& route = routes[hash % routes.size()];
    request = api::Request{route.method, fill(route.pattern, hash >> 8), 11};
    role = route.role;
  }
  request.set(api::http::field::authorization, "Bearer " + app.tokens.at(role));
  const bool csv = request.target().ends_with("/import");
  request.set(api::http::field::content_type, csv ? "text/csv" : "application/json");
  request.set(api::http::field::if_match, "\"v1\"");
  request.body().assign(body);
  request.prepare_payload();
  app.handle(std::move(request));
  return 0;
}
