// The short-lived token cache: found users only, expiry, clearing, and off at 0.
#include <doctest/doctest.h>

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
