// Authentication: the short-lived token cache and the brute-force protection.
#include <doctest/doctest.h>

#include "api/auth_throttle.hpp"
#include "api/token_cache.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;
using namespace std::chrono_literals;

TEST_CASE("the token cache remembers a user until its time to live, and forgets on clear") {
  api::TokenCache cache(2s);
  const auto t0 = api::TokenCache::Clock::time_point{} + 100s;
  User u;
  u.id = 7;
  u.email = "a@x.example";
  CHECK_FALSE(cache.find("h", t0));
  cache.remember("h", u, t0);
  REQUIRE(cache.find("h", t0 + 1999ms));
  CHECK(cache.find("h", t0 + 1999ms)->id == 7);
  CHECK_FALSE(cache.find("h", t0 + 2s));
  cache.remember("h", u, t0);
  cache.clear();
  CHECK_FALSE(cache.find("h", t0));
  cache.set_ttl(0ms);
  cache.remember("h", u, t0);
  CHECK_FALSE(cache.find("h", t0));
}

TEST_CASE("revoking a user through the API takes effect at the next request despite the cache") {
  test::ApiServer server;
  const auto admin = server.user(Role::admin, std::nullopt, "admin@x.example");
  const auto officer = server.user(Role::officer, std::nullopt, "officer@x.example");
  const test::Call as_officer{server.client, officer};
  const test::Call as_admin{server.client, admin};
  REQUIRE(as_officer.get("/v1/me").result_int() == 200);  // now cached
  const auto me = test::body_of(as_officer.get("/v1/me"));
  const auto id = me.at("id").as_int64();
  REQUIRE(as_admin.patch("/v1/users/" + std::to_string(id), {{"active", false}}).result_int() == 200);
  CHECK(as_officer.get("/v1/me").result_int() == 401);
}

TEST_CASE("a client failing authentication too often gets 429 with Retry-After, whatever it sends next") {
  test::ApiServer server;
  server.services.auth_failures.set_limit(5);
  const auto officer = server.user(Role::officer, std::nullopt, "officer@x.example");
  const test::Call guesser{server.client, "cnp_" + std::string(64, '0')};
  const test::Call anonymous{server.client, ""};
  for (int i = 0; i < 10; ++i) CHECK(anonymous.get("/v1/me").result_int() == 401);  // no token is no attempt
  for (int i = 0; i < 5; ++i) CHECK(guesser.get("/v1/me").result_int() == 401);
  const auto refused = guesser.get("/v1/me");
  CHECK(refused.result_int() == 429);
  CHECK(test::body_of(refused).at("code") == "auth.too_many_failures");
  const int wait = std::stoi(std::string(refused[api::http::field::retry_after]));
  CHECK(wait >= 1);
  CHECK(wait <= 60);
  CHECK(test::Call{server.client, officer}.get("/v1/me").result_int() == 429);  // the address, not the token
  CHECK(anonymous.get("/healthz").result_int() == 200);                         // public routes stay open
}

TEST_CASE("the failure window: counted per client, forgotten when it ends") {
  api::AuthThrottle throttle(3, 60s);
  const auto t0 = api::AuthThrottle::Clock::time_point{} + 1000s;
  for (int i = 0; i < 3; ++i) throttle.record_failure("10.0.0.1", t0 + std::chrono::seconds(i));
  CHECK(throttle.retry_after("10.0.0.1", t0 + 2s) == 58);
  CHECK(throttle.retry_after("10.0.0.2", t0 + 2s) == 0);
  CHECK(throttle.retry_after("10.0.0.1", t0 + 60s) == 0);
  throttle.record_failure("10.0.0.1", t0 + 61s);  // a new window
  CHECK(throttle.retry_after("10.0.0.1", t0 + 61s) == 0);
}
