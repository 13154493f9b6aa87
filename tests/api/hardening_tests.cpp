// What an anonymous or careless client can do to the server, bounded: metrics
// series, bodies read before authentication, connection slots, health checks
// behind busy workers, clients behind a proxy, tokens, logs, strict parsing.
#include <doctest/doctest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "api/client_address.hpp"
#include "api/metrics.hpp"
#include "tests/support/api_server.hpp"
#include "tests/support/fixtures.hpp"

using namespace canopee;
using namespace std::chrono_literals;
using test::body_of;
using test::Call;
using verb = test::http::verb;

namespace {

int status_of(const std::string& raw) {
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || raw.size() < 12) return 0;
  return std::stoi(raw.substr(9, 3));
}

std::size_t count_series(const std::string& metrics) {
  std::size_t n = 0;
  for (std::size_t pos = metrics.find("canopee_http_requests_total{"); pos != std::string::npos;
       pos = metrics.find("canopee_http_requests_total{", pos + 1)) {
    ++n;
  }
  return n;
}

std::string import_header(const std::string& token, std::size_t length, bool expect_continue,
                          const std::string& path = "/v1/needs/import") {
  std::string header = "POST " + path +
                       " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: " + std::to_string(length) +
                       "\r\n";
  if (!token.empty()) header += "Authorization: Bearer " + token + "\r\n";
  if (expect_continue) header += "Expect: 100-continue\r\n";
  return header + "\r\n";
}

}  // namespace

TEST_CASE("metrics: no client text becomes a series, label values escaped, /metrics bounded") {
  test::ApiServer s;
  const auto baseline = s.client.get("/metrics");
  REQUIRE(baseline.result_int() == 200);
  // 300 requests with invented methods, some carrying label syntax.
  const std::string long_method(4000, 'X');
  for (int i = 0; i < 300; ++i) {
    const std::string method = i % 3 == 0   ? long_method + std::to_string(i)
                               : i % 3 == 1 ? "FOO|route=\"x\"" + std::to_string(i)
                                            : "M" + std::to_string(i);
    const auto reply = test::raw_exchange(s.client.port, method + " /v1/needs?x=" + std::to_string(i) +
                                                             " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(reply) >= 400);
  }
  for (int i = 0; i < 50; ++i) s.client.get("/no/such/path/" + std::to_string(i));
  const auto after = s.client.get("/metrics").body();
  CHECK(after.find("XXXX") == std::string::npos);
  CHECK(after.find("FOO") == std::string::npos);
  CHECK(after.find("/no/such/path") == std::string::npos);
  CHECK(after.find("method=\"other\"") != std::string::npos);
  CHECK(after.find("route=\"unmatched\"") != std::string::npos);
  // at most: the baseline's series, the metrics route again, and one or two
  // series for the invented methods and unknown paths (other|unmatched by status)
  CHECK(count_series(after) <= count_series(baseline.body()) + 4);
  CHECK(after.size() < 16 * 1024);

  CHECK(api::method_label("GET") == "GET");
  CHECK(api::method_label("get") == "other");
  CHECK(api::escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("metrics are for operators: a token when one is set, else this machine only and not through a proxy") {
  test::ApiServer s;
  CHECK(s.client.get("/metrics").result_int() == 200);  // loopback, direct
  const auto forwarded = test::raw_exchange(
      s.client.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");
  CHECK(status_of(forwarded) == 403);
  CHECK(forwarded.find("urn:canopee:problem:metrics-restricted") != std::string::npos);

  s.services.metrics_token = "scrape-0123456789abcdef";
  CHECK(s.client.get("/metrics").result_int() == 403);
  CHECK(s.client.get("/metrics", "scrape-0123456789abcdeX").result_int() == 403);
  const auto scraped = s.client.get("/metrics", "scrape-0123456789abcdef");
  CHECK(scraped.result_int() == 200);
  CHECK(scraped.body().find("canopee_http_requests_total") != std::string::npos);
}

TEST_CASE("a large body is authenticated from its header before it is read") {
  test::ApiServer s;
  const auto member = test::add_member(*s.database, "OPAL", "270200017", "02").id;
  const auto buyer = s.user(Role::buyer, member, "buyer@x.example");
  const auto finance = s.user(Role::finance, member, "finance@x.example");
  constexpr std::size_t kLarge = 20 * 1024 * 1024;

  SUBCASE("anonymous: 401 at once, nothing of the body read") {
    test::RawConnection c(s.client.port);
    c.send(import_header("", kLarge, false) + std::string(1000, 'x'));
    const auto& reply = c.read_until("\r\n\r\n");
    CHECK(status_of(reply) == 401);
    CHECK(reply.find("Connection: close") != std::string::npos);
  }
  SUBCASE("a bad token, a role that may not import, another path: refused before the body") {
    using Case = std::tuple<std::string, std::string, int>;
    const std::vector<Case> cases = {Case{"cnp_" + std::string(64, '0'), "/v1/needs/import", 401},
                                     Case{finance, "/v1/needs/import", 403}, Case{buyer, "/v1/needs/import/x", 404},
                                     Case{buyer, "/v1/needs/importer", 405}, Case{buyer, "/v1/needs", 413}};
    for (const auto& [token, path, expected] : cases) {
      test::RawConnection c(s.client.port);
      c.send(import_header(token, kLarge, true, path));
      const auto& reply = c.read_until("\r\n\r\n");
      CHECK_MESSAGE(status_of(reply) == expected, path);
      CHECK(reply.find("100 Continue") == std::string::npos);
    }
  }
  SUBCASE("Expect: 100-continue is answered once the request is admitted, and the import goes through") {
    std::string padded =
        "cpv,title,description,quantity,unit,reference_unit_price,department,period_start,period_end,recurring\n";
    // Over the default 1 MiB limit, so that the large-body path is the one taken.
    const std::string line = "44810000-1,Peinture," + std::string(200, 'p') +
                             ",1,l,6.20,02,2027-01-01,2027-12-31,oui\n";
    while (padded.size() < 1100 * 1024) padded += line;
    test::RawConnection c(s.client.port);
    c.send(import_header(buyer, padded.size(), true));
    const auto& interim = c.read_until("\r\n\r\n");
    REQUIRE(interim.rfind("HTTP/1.1 100 Continue\r\n", 0) == 0);
    c.send(padded);
    const auto& reply = c.read_until("}", 60s);
    const auto final_start = reply.find("HTTP/1.1 ", 5);
    REQUIRE(final_start != std::string::npos);
    CHECK_MESSAGE(status_of(reply.substr(final_start)) == 201, reply.substr(final_start, 600));
  }
}

TEST_CASE("large bodies in flight are bounded; the slot is freed when its connection ends") {
  api::ServerOptions options;
  options.max_large_bodies = 1;
  test::ApiServer s(options);
  const auto member = test::add_member(*s.database, "OPAL", "270200017", "02").id;
  const auto buyer = s.user(Role::buyer, member, "buyer@x.example");
  constexpr std::size_t kLarge = 5 * 1024 * 1024;
  {
    test::RawConnection first(s.client.port);
    first.send(import_header(buyer, kLarge, true));
    REQUIRE(first.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0) == 0);  // holds the only slot
    test::RawConnection second(s.client.port);
    second.send(import_header(buyer, kLarge, true));
    const auto& busy = second.read_until("\r\n\r\n");
    CHECK(status_of(busy) == 503);
    CHECK(busy.find("Retry-After: 1") != std::string::npos);
    CHECK(busy.find("urn:canopee:problem:busy") != std::string::npos);
  }  // the first connection closes without sending its body
  bool admitted = false;
  for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
    test::RawConnection third(s.client.port);
    third.send(import_header(buyer, kLarge, true));
    admitted = third.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0) == 0;
    if (!admitted) std::this_thread::sleep_for(20ms);
  }
  CHECK(admitted);
}

TEST_CASE("one address may hold only its share of the connections; trusted proxies are not limited") {
  api::ServerOptions options;
  options.max_connections_per_address = 3;
  test::ApiServer s(options);
  std::vector<std::unique_ptr<test::RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<test::RawConnection>(s.client.port));
    held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(status_of(held.back()->read_until("\"ok\"")) == 200);  // accepted and kept open
  }
  test::RawConnection fourth(s.client.port);
  const auto& refused = fourth.read_until("too-many");
  CHECK(status_of(refused) == 503);
  CHECK(refused.find("urn:canopee:problem:too-many-connections-from-address") != std::string::npos);
  held.pop_back();
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    served = test::raw_exchange(s.client.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                 .rfind("HTTP/1.1 200", 0) == 0;
    if (!served) std::this_thread::sleep_for(20ms);
  }
  CHECK(served);

  api::ServerOptions behind_proxy;
  behind_proxy.max_connections_per_address = 2;
  behind_proxy.trusted_proxies = api::TrustedProxies::parse("127.0.0.1").value();
  test::ApiServer p(behind_proxy);
  std::vector<std::unique_ptr<test::RawConnection>> many;
  for (int i = 0; i < 5; ++i) {
    many.push_back(std::make_unique<test::RawConnection>(p.client.port));
    many.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(status_of(many.back()->read_until("\"ok\"")) == 200);
  }
}

TEST_CASE("health checks are answered while every worker is busy") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  api::Services services{*database,
                         CpvNomenclature::starter(),
                         ThresholdTable::defaults(),
                         [] { return parse_date("2026-11-29", "d").value(); },
                         {}};
  services.readiness.start(database->url(), 100ms);
  api::App app(services);
  std::mutex mutex;
  std::condition_variable changed;
  bool busy = false, released = false, timed_out = false;
  api::ServerOptions options;
  options.port = 0;
  options.worker_threads = 1;
  app.configure(options);
  api::Server server(options, [&](api::Request&& request, const api::RequestMeta& meta) {
    if (request.target() != "/slow") return app.handle(std::move(request), meta);
    std::unique_lock lock(mutex);
    busy = true;
    changed.notify_all();
    timed_out = !changed.wait_for(lock, 10s, [&] { return released; });
    return api::Response{api::http::status::ok, 11};
  });
  const auto port = server.start();
  auto slow = std::async(std::launch::async, [port] {
    return test::raw_exchange(port, "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 15s);
  });
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, 10s, [&] { return busy; }));
  }
  // The only worker is held until we release it: these must not queue behind it.
  test::HttpClient client;
  client.port = port;
  CHECK(client.get("/healthz").result_int() == 200);
  CHECK(client.get("/readyz").result_int() == 200);
  CHECK(client.get("/metrics").result_int() == 200);
  {
    std::lock_guard lock(mutex);
    released = true;
  }
  changed.notify_all();
  CHECK(slow.get().rfind("HTTP/1.1 200", 0) == 0);
  CHECK_FALSE(timed_out);
  services.readiness.stop();
}

TEST_CASE("behind a trusted proxy the client's address counts for the throttle; elsewhere X-Forwarded-For is ignored") {
  SUBCASE("trusted") {
    api::ServerOptions options;
    options.trusted_proxies = api::TrustedProxies::parse("127.0.0.0/8, ::1").value();
    test::ApiServer s(options);
    s.services.auth_failures.set_limit(3);
    const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
    const auto call = [&](const std::string& client, const std::string& token) {
      return status_of(test::raw_exchange(s.client.port,
                                          "GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + client +
                                              "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n"));
    };
    for (int i = 0; i < 3; ++i) CHECK(call("203.0.113.7", "cnp_" + std::string(64, '1')) == 401);
    CHECK(call("203.0.113.7", officer) == 429);             // that client is locked out
    CHECK(call("198.51.100.2", officer) == 200);            // the others are not
    CHECK(call("203.0.113.7, 127.0.0.1", officer) == 429);  // through two trusted hops, the same client
    CHECK(call("10.9.9.9, 203.0.113.7", officer) == 429);   // what the client wrote itself is not believed
  }
  SUBCASE("untrusted") {
    test::ApiServer s;
    s.services.auth_failures.set_limit(3);
    const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
    for (int i = 0; i < 3; ++i) {
      const auto reply = test::raw_exchange(s.client.port,
                                            "GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2." +
                                                std::to_string(i) + "\r\nAuthorization: Bearer cnp_" +
                                                std::string(64, '2') + "\r\nConnection: close\r\n\r\n");
      CHECK(status_of(reply) == 401);
    }
    CHECK(Call{s.client, officer}.get("/v1/me").result_int() == 429);  // the peer address was counted
  }
}

TEST_CASE("trusted proxies: addresses and blocks, the client read from the right of X-Forwarded-For") {
  auto proxies = api::TrustedProxies::parse("10.0.0.0/8 192.168.1.1, fd00::/8");
  REQUIRE(proxies.ok());
  CHECK(proxies->trusts("10.200.3.4"));
  CHECK(proxies->trusts("::ffff:10.1.1.1"));  // IPv4-mapped
  CHECK(proxies->trusts("192.168.1.1"));
  CHECK_FALSE(proxies->trusts("192.168.1.2"));
  CHECK(proxies->trusts("fd12::1"));
  CHECK_FALSE(proxies->trusts("fe80::1"));
  CHECK_FALSE(proxies->trusts("not an address"));
  CHECK(proxies->client_address("10.0.0.1", "203.0.113.5") == "203.0.113.5");
  CHECK(proxies->client_address("10.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.9") == "203.0.113.5");
  CHECK(proxies->client_address("10.0.0.1", "") == "10.0.0.1");
  CHECK(proxies->client_address("10.0.0.1", "junk") == "10.0.0.1");
  CHECK(proxies->client_address("10.0.0.1", "1.2.3.4, junk") == "10.0.0.1");
  CHECK(proxies->client_address("198.51.100.1", "203.0.113.5") == "198.51.100.1");  // not a proxy of ours
  for (const char* bad : {"10.0.0.0/33", "example.org", "10.0.0.1/x", "::1/129"}) {
    CHECK_MESSAGE(!api::TrustedProxies::parse(bad).ok(), bad);
  }
  CHECK(api::TrustedProxies::parse("").value().empty());
}

TEST_CASE("the Bearer scheme in any case; a revoked token is told apart and never counted as a guess") {
  test::ApiServer s;
  s.services.auth_failures.set_limit(5);  // the 3 malformed headers below count; the revoked token must not
  s.services.tokens.set_ttl(0ms);
  const auto admin = s.user(Role::admin, std::nullopt, "admin@x.example");
  const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR  "}) {
    const auto reply = test::raw_exchange(s.client.port,
                                          std::string("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ") + scheme +
                                              officer + "\r\nConnection: close\r\n\r\n");
    CHECK_MESSAGE(status_of(reply) == 200, scheme);
  }
  for (const char* malformed : {"Bearer", "Bearertoken", "Basic dXNlcjpwYXNz"}) {
    const auto reply = test::raw_exchange(s.client.port,
                                          std::string("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: ") + malformed +
                                              "\r\nConnection: close\r\n\r\n");
    CHECK_MESSAGE(status_of(reply) == 401, malformed);
  }
  const auto id = body_of(Call{s.client, officer}.get("/v1/me")).at("id").as_int64();
  REQUIRE(Call{s.client, admin}.patch("/v1/users/" + std::to_string(id), {{"active", false}}).result_int() == 200);
  for (int i = 0; i < 10; ++i) {
    const auto revoked = Call{s.client, officer}.get("/v1/me");
    CHECK(revoked.result_int() == 401);
    CHECK(body_of(revoked).at("type") == "urn:canopee:problem:token-revoked");
    CHECK(body_of(revoked).at("code") == "auth.token_revoked");
  }
  CHECK(Call{s.client, admin}.get("/v1/me").result_int() == 200);  // no lockout from the revoked attempts
}

TEST_CASE("the access log keeps the path and the query's names, never its values") {
  CHECK(api::loggable_target("/v1/needs") == "/v1/needs");
  CHECK(api::loggable_target("/v1/needs?access_token=cnp_secret&status=draft") == "/v1/needs?access_token=…&status=…");
  CHECK(api::loggable_target("/v1/needs?flag&&x=") == "/v1/needs?flag&x=…");
  CHECK(api::loggable_target("/a?") == "/a?");
}

TEST_CASE("the connections a server may hold follow the descriptor limit") {
  CHECK(api::connection_capacity(4096, 1024, 64) == 960);
  CHECK(api::connection_capacity(100, 1024, 64) == 100);
  CHECK(api::connection_capacity(4096, 64, 64) == 1);
  CHECK(api::connection_capacity(4096, 10, 64) == 1);
  api::ServerOptions options;
  options.max_connections = 1'000'000;
  test::ApiServer s(options);
  CHECK(s.server.max_connections() < 1'000'000);
}

TEST_CASE("HEAD is answered wherever GET is, with its headers and no body") {
  test::ApiServer s;
  const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
  const auto get = Call{s.client, officer}.get("/v1/members");
  const auto head = test::raw_exchange(s.client.port, "HEAD /v1/members HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                          officer + "\r\nConnection: close\r\n\r\n");
  CHECK(status_of(head) == 200);
  CHECK(head.find("Content-Length: " + std::to_string(get.body().size()) + "\r\n") != std::string::npos);
  CHECK(head.substr(head.find("\r\n\r\n") + 4).empty());
  CHECK(status_of(test::raw_exchange(s.client.port,
                                     "HEAD /v1/members HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 401);
}

TEST_CASE("integers in queries and JSON keys are read whole; media types compared without regard to case") {
  test::ApiServer s;
  const auto admin = s.user(Role::admin, std::nullopt, "admin@x.example");
  const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
  const Call as_officer{s.client, officer};
  for (const char* target : {"/v1/needs?member_id=1abc", "/v1/needs?member_id=+1", "/v1/needs?member_id=%201",
                             "/v1/needs?member_id=99999999999999999999", "/v1/audit?entity=need&id=1abc",
                             "/v1/audit?entity=need&id=0x10", "/v1/needs?limit=10abc"}) {
    const auto reply = as_officer.get(target);
    CHECK_MESSAGE(reply.result_int() == 400, target);
  }
  const auto created = s.client.request(verb::post, "/v1/members",
                                        R"({"code":"OPAL","name":"OPAL","siren":"270200017","department":"02"})",
                                        "Application/JSON; charset=UTF-8", admin);
  CHECK(created.result_int() == 201);
  CHECK(s.client.request(verb::post, "/v1/members", R"({"code":"X"})", "text/plain", admin).result_int() == 415);
}

TEST_CASE("officers read the audit trail of users without their e-mail addresses; admins with") {
  test::ApiServer s;
  const auto admin = s.user(Role::admin, std::nullopt, "admin@x.example");
  const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
  const auto created = Call{s.client, admin}.post("/v1/users", {{"email", "new.buyer@opal.example"},
                                                                {"name", "N"},
                                                                {"role", "officer"}});
  REQUIRE(created.result_int() == 201);
  const auto as_officer = Call{s.client, officer}.get("/v1/audit?entity=user");
  REQUIRE(as_officer.result_int() == 200);
  CHECK(as_officer.body().find("new.buyer@opal.example") == std::string::npos);
  CHECK(as_officer.body().find("\"email\"") == std::string::npos);
  const auto everything = Call{s.client, officer}.get("/v1/audit");
  CHECK(everything.body().find("new.buyer@opal.example") == std::string::npos);
  const auto as_admin = Call{s.client, admin}.get("/v1/audit?entity=user");
  CHECK(as_admin.body().find("new.buyer@opal.example") != std::string::npos);
}

TEST_CASE("one user runs a bounded number of imports at once") {
  test::ApiServer s;
  s.services.imports.set_limit(1);
  const auto member = test::add_member(*s.database, "OPAL", "270200017", "02").id;
  const auto buyer = s.user(Role::buyer, member, "buyer@x.example");
  const auto other = s.user(Role::buyer, member, "other@x.example");
  const std::string csv =
      "cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end,recurring\n"
      "44810000-1,Peinture,10,l,6.20,02,2027-01-01,2027-12-31,oui\n";
  const auto import = [&](const std::string& token) {
    return Call{s.client, token}.send(verb::post, "/v1/needs/import", csv, {{"Content-Type", "text/csv"}});
  };
  const auto buyer_id = body_of(Call{s.client, buyer}.get("/v1/me")).at("id").as_int64();
  {
    const auto held = s.services.imports.try_acquire(buyer_id);  // as if an import were running
    REQUIRE(held.has_value());
    const auto refused = import(buyer);
    CHECK(refused.result_int() == 429);
    CHECK(refused[test::http::field::retry_after] == "1");
    CHECK(body_of(refused).at("type") == "urn:canopee:problem:too-many-concurrent-requests");
    CHECK(import(other).result_int() == 201);  // another user is not held back
  }
  CHECK(import(buyer).result_int() == 201);

  api::UserSlots slots(2);
  auto a = slots.try_acquire(7);
  auto b = slots.try_acquire(7);
  CHECK(a.has_value());
  CHECK(b.has_value());
  CHECK_FALSE(slots.try_acquire(7).has_value());
  CHECK(slots.try_acquire(8).has_value());
  b.reset();
  CHECK(slots.try_acquire(7).has_value());
}

TEST_CASE("bodies over the anonymous allowance are read only once the caller is known, on every route") {
  test::ApiServer s;
  const auto admin = s.user(Role::admin, std::nullopt, "admin@x.example");
  const std::string body = R"({"code":")" + std::string(100 * 1024, 'X') + R"("})";
  const auto header = [&](const std::string& token) {
    return "POST /v1/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
           "\r\n";
  };
  {
    test::RawConnection anonymous(s.client.port);
    anonymous.send(header(""));  // the header alone: the answer must not wait for the body
    const auto& refused = anonymous.read_until("\r\n\r\n");
    CHECK(status_of(refused) == 401);
  }
  {
    test::RawConnection known(s.client.port);
    known.send(header(admin) + body);
    CHECK(status_of(known.read_until("}")) == 400);  // read, then judged: the code is too long
  }
  // small bodies keep the fast path: read first, then authenticated
  CHECK(s.client.request(verb::post, "/v1/members", R"({"code":"A"})", "application/json", "").result_int() == 401);
}

TEST_CASE("X-Forwarded-For given on several lines is read as one list, so a client's own line is not believed") {
  api::ServerOptions options;
  options.trusted_proxies = api::TrustedProxies::parse("127.0.0.1").value();
  test::ApiServer s(options);
  s.services.auth_failures.set_limit(3);
  const auto officer = s.user(Role::officer, std::nullopt, "officer@x.example");
  const auto call = [&](const std::string& forwarded_lines, const std::string& token) {
    return status_of(test::raw_exchange(s.client.port, "GET /v1/me HTTP/1.1\r\nHost: x\r\n" + forwarded_lines +
                                                           "Authorization: Bearer " + token +
                                                           "\r\nConnection: close\r\n\r\n"));
  };
  // The client wrote the first line; the proxy added the second with the address it saw.
  for (int i = 0; i < 3; ++i) {
    CHECK(call("X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-For: 203.0.113.7\r\n", "cnp_" + std::string(64, '3')) == 401);
  }
  CHECK(call("X-Forwarded-For: 203.0.113.7\r\n", officer) == 429);  // the real client was counted
  CHECK(call("X-Forwarded-For: 6.6.6.6\r\n", officer) == 200);      // not the forged one
}

TEST_CASE("IPv6 clients are counted by their /64") {
  CHECK(api::client_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
  CHECK(api::client_key("2001:db8:1:2:bbbb:cccc:dddd:9") == "2001:db8:1:2::/64");
  CHECK(api::client_key("2001:db8:1:3::1") != api::client_key("2001:db8:1:2::1"));
  CHECK(api::client_key("203.0.113.7") == "203.0.113.7");
  CHECK(api::client_key("::ffff:203.0.113.7") == "203.0.113.7");
}

TEST_CASE("an upload takes the user's import slot at admission; a forwarded client holds its share of requests") {
  api::ServerOptions options;
  options.trusted_proxies = api::TrustedProxies::parse("127.0.0.1").value();
  options.max_connections_per_address = 1;
  test::ApiServer s(options);
  s.services.imports.set_limit(1);
  const auto member = test::add_member(*s.database, "OPAL", "270200017", "02").id;
  const auto buyer = s.user(Role::buyer, member, "buyer@x.example");
  const auto other = s.user(Role::buyer, member, "other@x.example");
  constexpr std::size_t kLarge = 5 * 1024 * 1024;
  const auto upload = [&](const std::string& token, const std::string& client) {
    return "POST /v1/needs/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: " +
           std::to_string(kLarge) + "\r\nAuthorization: Bearer " + token + "\r\nX-Forwarded-For: " + client +
           "\r\nExpect: 100-continue\r\n\r\n";
  };
  test::RawConnection first(s.client.port);
  first.send(upload(buyer, "203.0.113.1"));
  REQUIRE(first.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0) == 0);  // holds its import slot
  {
    test::RawConnection same_user(s.client.port);
    same_user.send(upload(buyer, "203.0.113.2"));
    const auto& refused = same_user.read_until("\r\n\r\n");
    CHECK(status_of(refused) == 429);
    CHECK(refused.find("too-many-concurrent-requests") != std::string::npos);
  }
  {
    test::RawConnection same_client(s.client.port);
    same_client.send(upload(other, "203.0.113.1"));
    const auto& refused = same_client.read_until("\r\n\r\n");
    CHECK(status_of(refused) == 503);
    CHECK(refused.find("too-many-connections-from-address") != std::string::npos);
  }
  test::RawConnection elsewhere(s.client.port);
  elsewhere.send(upload(other, "203.0.113.3"));
  CHECK(elsewhere.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue", 0) == 0);
}

TEST_CASE("HTTP/1.0 clients are never sent 100 Continue") {
  test::ApiServer s;
  const auto member = test::add_member(*s.database, "OPAL", "270200017", "02").id;
  const auto buyer = s.user(Role::buyer, member, "buyer@x.example");
  const std::string csv =
      "cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end,recurring\n"
      "44810000-1,Peinture,10,l,6.20,02,2027-01-01,2027-12-31,oui\n";
  const auto reply = test::raw_exchange(s.client.port,
                                        "POST /v1/needs/import HTTP/1.0\r\nHost: x\r\nContent-Type: text/csv\r\n"
                                        "Authorization: Bearer " +
                                            buyer +
                                            "\r\nExpect: 100-continue\r\n"
                                            "Content-Length: " +
                                            std::to_string(csv.size()) + "\r\n\r\n" + csv);
  CHECK(reply.find("100 Continue") == std::string::npos);
  CHECK(reply.rfind("HTTP/1.0 201", 0) == 0);
}
