// GET / and GET /assets/{file}: the web application, from memory (see web_assets.hpp).
// The page gets a strict Content-Security-Policy: only our own scripts, styles and
// API; no inline script, no framing. Hashed asset names never change content, so
// they may be cached for a year; the page itself is revalidated every time.
#include "api/handler_support.hpp"
#include "api/routes.hpp"
#include "api/services.hpp"

namespace canopee::api {
namespace {

constexpr std::string_view kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

Response file_response(const WebFile& file, std::string_view cache_control) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, file.content_type);
  response.set(http::field::cache_control, cache_control);
  response.body() = file.body;
  return response;
}

}  // namespace

void add_web_routes(Router& router) {
  router.add_public(http::verb::get, "/", [](RequestContext& context) {
    const WebFile* page = context.services.web.index();
    if (page == nullptr)
      return make_problem(http::status::not_found, "no-web-application",
                          "ce serveur ne sert que l’API : l’application web n’a pas été construite ou est introuvable",
                          {}, "web.not_built");
    auto response = file_response(*page, "no-cache");
    response.set("Content-Security-Policy", kPagePolicy);
    return response;
  });
  router.add_public(http::verb::get, "/assets/{file}", [](RequestContext& context) {
    const WebFile* file = context.services.web.asset(context.param("file"));
    if (file == nullptr)
      return make_problem(http::status::not_found, "not-found", "ce fichier n’existe pas", {}, "web.file_not_found");
    return file_response(*file, "public, max-age=31536000, immutable");
  });
}

}  // namespace canopee::api
