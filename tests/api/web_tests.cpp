// The web application's files: served from memory with the right types, a strict
// Content-Security-Policy on the page, long caching for hashed assets, and nothing
// outside the assets directory reachable.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "api/web_assets.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;
using namespace canopee::test;

namespace {

struct WebRoot {
  std::filesystem::path root = std::filesystem::temp_directory_path() /
                               ("canopee-web-" + std::to_string(::getpid()) + "-" +
                                std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  WebRoot() {
    std::filesystem::create_directories(root / "assets");
    write(root / "index.html", "<!doctype html><title>Canopée</title>");
    write(root / "assets/index-AbC123.js", "console.log('ok');");
    write(root / "assets/index-AbC123.css", "body{margin:0}");
    write(root / "secret.txt", "not for you");
  }
  ~WebRoot() { std::filesystem::remove_all(root); }
  static void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }
};

}  // namespace

TEST_CASE("the web application's page and assets are served with types, policy and caching") {
  WebRoot files;
  ApiServer server;
  server.services.web = api::WebAssets::load(files.root);
  const Call anyone{server.client, ""};

  const auto page = anyone.get("/");
  REQUIRE(page.result_int() == 200);
  CHECK(page.body() == "<!doctype html><title>Canopée</title>");
  CHECK(page[http::field::content_type] == "text/html; charset=utf-8");
  CHECK(page[http::field::cache_control] == "no-cache");
  const std::string policy(page["Content-Security-Policy"]);
  CHECK(policy.find("script-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(policy.find("unsafe-inline") == std::string::npos);
  CHECK(page["X-Frame-Options"] == "DENY");

  const auto script = anyone.get("/assets/index-AbC123.js");
  REQUIRE(script.result_int() == 200);
  CHECK(script.body() == "console.log('ok');");
  CHECK(script[http::field::content_type] == "text/javascript; charset=utf-8");
  CHECK(script[http::field::cache_control] == "public, max-age=31536000, immutable");
  CHECK(anyone.get("/assets/index-AbC123.css")[http::field::content_type] == "text/css; charset=utf-8");

  CHECK(anyone.get("/assets/missing.js").result_int() == 404);
  CHECK(anyone.get("/assets/..%2Fsecret.txt").result_int() == 404);
  CHECK(anyone.get("/assets/../secret.txt").result_int() == 404);
  CHECK(anyone.get("/secret.txt").result_int() == 404);
  CHECK(anyone.send(http::verb::post, "/").result_int() == 405);
}

TEST_CASE("without a built web application / says so and the API still works") {
  ApiServer server;
  const Call anyone{server.client, ""};
  const auto page = anyone.get("/");
  CHECK(page.result_int() == 404);
  CHECK(page.body().find("no-web-application") != std::string::npos);
  CHECK(anyone.get("/healthz").result_int() == 200);
}

TEST_CASE("content types follow the extension") {
  CHECK(api::content_type_for("a.svg") == "image/svg+xml");
  CHECK(api::content_type_for("font.woff2") == "font/woff2");
  CHECK(api::content_type_for("README") == "application/octet-stream");
}

TEST_CASE("CORS is closed: no cross-origin grant, preflights refused") {
  ApiServer server;
  const auto token = server.user(Role::officer, std::nullopt, "officer@x.example");
  const Call officer{server.client, token};
  const auto preflight = officer.send(http::verb::options, "/v1/needs", "",
                                      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  CHECK(preflight.result_int() == 405);
  CHECK(preflight["Access-Control-Allow-Origin"].empty());
  const auto read = officer.send(http::verb::get, "/v1/me", "", {{"Origin", "https://evil.example"}});
  CHECK(read.result_int() == 200);
  CHECK(read["Access-Control-Allow-Origin"].empty());
  CHECK(read["Access-Control-Allow-Credentials"].empty());
}
