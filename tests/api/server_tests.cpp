// The server over real sockets: health, readiness, errors as problem+json,
// limits and timeouts.
#include <doctest/doctest.h>

#include <spdlog/spdlog.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/json.hpp>

#include "adapters/db/migrations.hpp"
#include "api/app.hpp"
#include "api/server.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;
using test::http::verb;
namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

using RunningServer = test::ApiServer;

boost::json::object json_body(const test::Reply& reply) { return boost::json::parse(reply.body()).as_object(); }

}  // namespace

TEST_CASE("GET /healthz answers JSON over a real socket") {
  RunningServer s;
  const auto reply = s.client.get("/healthz");
  CHECK(reply.result() == test::http::status::ok);
  CHECK(reply[test::http::field::content_type] == "application/json");
  CHECK(json_body(reply).at("status") == "ok");
  CHECK_FALSE(reply["X-Request-Id"].empty());
}

TEST_CASE("GET /readyz checks the database") {
  RunningServer s;
  const auto reply = s.client.get("/readyz");
  CHECK(reply.result() == test::http::status::ok);
  const auto body = json_body(reply);
  CHECK(body.at("status") == "ready");
  CHECK(body.at("database") == (s.fixture.backend() == db::Backend::sqlite ? "sqlite3" : "postgresql"));
}

TEST_CASE("GET /readyz fails with 503 when the database is unreachable") {
  auto parsed = db::parse_database_url(test::test_backend() == db::Backend::sqlite
                                           ? "sqlite:///proc/no-such-dir/x.db"
                                           : "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  REQUIRE(parsed.ok());
  db::Database database(parsed.value(), db::PoolOptions{1, std::chrono::milliseconds(100)});
  api::Services services{database,
                         CpvNomenclature::starter(),
                         ThresholdTable::defaults(),
                         [] { return parse_date("2026-11-29", "d").value(); },
                         {}};
  services.readiness.start(parsed.value(), std::chrono::milliseconds(100));
  api::App app(services);
  api::ServerOptions options;
  options.port = 0;
  app.configure(options);
  api::Server server(options,
                     [&app](api::Request&& r, const api::RequestMeta& m) { return app.handle(std::move(r), m); });
  test::HttpClient client;
  client.port = server.start();
  const auto reply = client.get("/readyz");
  CHECK(reply.result() == test::http::status::service_unavailable);
  CHECK(reply[test::http::field::content_type] == "application/problem+json");
  CHECK_FALSE(reply[test::http::field::retry_after].empty());
  // liveness does not depend on the database
  CHECK(client.get("/healthz").result() == test::http::status::ok);
  // an API call cannot authenticate: 503 with Retry-After, never 401 or 500
  const auto me = client.get("/v1/me", "cnp_" + std::string(64, 'a'));
  CHECK(me.result() == test::http::status::service_unavailable);
  CHECK_FALSE(me[test::http::field::retry_after].empty());
}

TEST_CASE("an unknown path is a 404 problem, a wrong method a 405 with Allow") {
  RunningServer s;
  const auto missing = s.client.get("/no/such/thing");
  CHECK(missing.result() == test::http::status::not_found);
  CHECK(missing[test::http::field::content_type] == "application/problem+json");
  const auto problem = json_body(missing);
  CHECK(problem.at("status") == 404);
  CHECK(problem.at("type") == "urn:canopee:problem:not-found");
  CHECK(problem.at("title") == "Not Found");
  CHECK(problem.at("detail").as_string().find("/no/such/thing") != std::string::npos);
  CHECK(problem.at("code") == "request.no_resource");

  const auto wrong_method = s.client.request(verb::delete_, "/healthz");
  CHECK(wrong_method.result() == test::http::status::method_not_allowed);
  CHECK(wrong_method[test::http::field::allow] == "GET, HEAD");
}

TEST_CASE("a body over the limit gets 413 without the body being read") {
  api::ServerOptions options;
  options.body_limit = 1024;
  RunningServer s(options);
  const auto admin = s.user(Role::admin, std::nullopt, "admin@x.example");
  const auto reply = test::raw_exchange(s.client.port,
                                        "POST /v1/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        "Authorization: Bearer " +
                                            admin + "\r\nContent-Length: 2000000\r\n\r\n{\"a\":");
  CHECK(reply.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(reply.find("application/problem+json") != std::string::npos);
  CHECK(reply.find("Connection: close") != std::string::npos);
  CHECK(reply.find("\"code\":\"request.body_too_large\"") != std::string::npos);
  CHECK(reply.find("limite de 1024 octets") != std::string::npos);
  // to a path without that method: refused from the header as well
  const auto no_route = test::raw_exchange(s.client.port,
                                           "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                           "Content-Length: 2000000\r\n\r\n{\"a\":");
  CHECK(no_route.rfind("HTTP/1.1 405", 0) == 0);

  // chunked bodies have no length up front: cut off once they pass the limit
  const std::string chunk(1500, 'x');
  const auto chunked = test::raw_exchange(s.client.port,
                                          "POST /v1/members HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
                                              "\r\nTransfer-Encoding: chunked\r\n\r\n5dc\r\n" + chunk +
                                              "\r\n0\r\n\r\n");
  CHECK(chunked.rfind("HTTP/1.1 413", 0) == 0);
  // and the server still serves others
  CHECK(s.client.get("/healthz").result() == test::http::status::ok);
}

TEST_CASE("a malformed request gets 400 problem+json and the connection is closed") {
  RunningServer s;
  const auto bad_version = test::raw_exchange(s.client.port, "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n");
  CHECK(bad_version.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(bad_version.find("urn:canopee:problem:malformed-request") != std::string::npos);

  const auto garbage = test::raw_exchange(s.client.port, "\x01\x02\x03 nonsense\r\n\r\n");
  CHECK(garbage.rfind("HTTP/1.1 400", 0) == 0);

  const auto bad_length = test::raw_exchange(s.client.port,
                                             "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
  CHECK(bad_length.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(s.client.get("/healthz").result() == test::http::status::ok);
}

TEST_CASE("oversized headers get 431") {
  RunningServer s;
  const std::string huge(20 * 1024, 'a');
  const auto reply = test::raw_exchange(s.client.port,
                                        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + huge + "\r\n\r\n");
  CHECK(reply.rfind("HTTP/1.1 431", 0) == 0);
}

TEST_CASE("a slow client is timed out and the connection closed") {
  api::ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  RunningServer s(options);
  // half a request line, then silence
  const auto waited = test::time_until_closed(s.client.port, "GET /hea", std::chrono::milliseconds(5000));
  CHECK(waited < std::chrono::milliseconds(4000));
  CHECK(s.server.open_connections() <= 1);
  CHECK(s.client.get("/healthz").result() == test::http::status::ok);
}

TEST_CASE("keep-alive serves several requests on one connection") {
  RunningServer s;
  const auto replies = test::raw_exchange(
      s.client.port,
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::size_t count = 0;
  for (auto pos = replies.find("HTTP/1.1 200"); pos != std::string::npos; pos = replies.find("HTTP/1.1 200", pos + 1)) {
    ++count;
  }
  CHECK(count == 2);
}

TEST_CASE("a client's X-Request-Id is echoed when well-formed, replaced when not") {
  RunningServer s;
  const auto echoed = test::raw_exchange(
      s.client.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123\r\nConnection: close\r\n\r\n");
  CHECK(echoed.find("X-Request-Id: abc-123\r\n") != std::string::npos);
  const auto replaced = test::raw_exchange(
      s.client.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: <script>\r\nConnection: close\r\n\r\n");
  CHECK(replaced.find("<script>") == std::string::npos);
  CHECK(replaced.find("X-Request-Id: ") != std::string::npos);
}

TEST_CASE("shutdown lets an in-flight request finish") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  api::ServerOptions options;
  options.port = 0;
  std::atomic<bool> entered{false};
  api::Server server(options, [&entered](api::Request&&, const api::RequestMeta&) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    api::Response response{test::http::status::ok, 11};
    response.body() = "finished";
    return response;
  });
  const auto port = server.start();
  std::string reply;
  std::thread client([&] { reply = test::raw_exchange(port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"); });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.shutdown();
  client.join();
  CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(reply.find("finished") != std::string::npos);
  CHECK(reply.find("Connection: close") != std::string::npos);
}

TEST_CASE("a streamed body goes out in chunks; a source that fails cuts it without the last chunk") {
  api::ServerOptions options;
  options.port = 0;
  api::Server server(options, [](api::Request&& request, const api::RequestMeta& meta) {
    // The server's slot, for a request run on its workers (none: a 500 the checks below see).
    if (!meta.streamed_body) throw std::runtime_error("no slot for a streamed body");
    auto pieces = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"un", "", "deux"});
    const bool fails = request.target() == "/cut";
    *meta.streamed_body = [pieces, fails]() -> std::optional<std::string> {
      if (pieces->empty()) {
        if (fails) throw std::runtime_error("the database went away");
        return std::nullopt;
      }
      auto piece = pieces->front();
      pieces->erase(pieces->begin());
      return piece;
    };
    // A handler whose answer is not a success: its source is never read.
    api::Response head{request.target() == "/refused" ? test::http::status::conflict : test::http::status::ok, 11};
    head.set(test::http::field::content_type, "text/plain");
    if (request.target() == "/refused") head.body() = "refusé";
    return head;
  });
  const auto port = server.start();
  const auto body_of = [](const std::string& raw) { return raw.substr(raw.find("\r\n\r\n") + 4); };

  // Whole: each non-empty piece a chunk (an empty one would end the body), then the last chunk.
  const auto whole = test::raw_exchange(port, "GET /whole HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(whole.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(whole.find("Transfer-Encoding: chunked\r\n") != std::string::npos);
  CHECK(whole.find("Content-Length") == std::string::npos);
  CHECK(body_of(whole) == "2\r\nun\r\n4\r\ndeux\r\n0\r\n\r\n");

  // Cut: what was sent stays, the last chunk never comes, and the server closes the
  // connection (a parser sees the body end early — not a read that times out).
  {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    test::http::request<test::http::string_body> request{verb::get, "/cut", 11};
    request.set(test::http::field::host, "x");
    test::http::write(stream, request);
    beast::flat_buffer buffer;
    test::http::response_parser<test::http::string_body> parser;
    beast::error_code ec;
    stream.expires_after(std::chrono::seconds(60));
    test::http::read(stream, buffer, parser, ec);
    CHECK(ec == test::http::error::partial_message);
    CHECK(parser.get().result_int() == 200);
    CHECK(parser.get().body() == "undeux");
  }

  // Not a success: the answer as the handler wrote it, no chunk of the source.
  const auto refused = test::raw_exchange(port, "GET /refused HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(refused.rfind("HTTP/1.1 409", 0) == 0);
  CHECK(refused.find("chunked") == std::string::npos);
  CHECK(body_of(refused) == "refusé");

  // HTTP/1.0 has no chunked coding: the body gathered, with its length; a failure a 503.
  const auto old = test::raw_exchange(port, "GET /whole HTTP/1.0\r\nHost: x\r\n\r\n");
  CHECK(old.rfind("HTTP/1.0 200", 0) == 0);
  CHECK(old.find("chunked") == std::string::npos);
  CHECK(old.find("Content-Length: 6\r\n") != std::string::npos);
  CHECK(body_of(old) == "undeux");
  const auto old_cut = test::raw_exchange(port, "GET /cut HTTP/1.0\r\nHost: x\r\n\r\n");
  CHECK(old_cut.rfind("HTTP/1.0 503", 0) == 0);
  CHECK(old_cut.find("export.interrupted") != std::string::npos);

  test::HttpClient client;
  client.port = port;
  CHECK(client.get("/whole").body() == "undeux");  // Beast's parser reads the chunks back as the body
}
