// Two API servers, each with its own connection pool, on one database — what two
// replicas behind a load balancer are: optimistic concurrency and idempotency
// hold across them because they live in the database, not in a process.
#include <doctest/doctest.h>

#include <future>
#include <set>

#include "tests/support/api_server.hpp"

using namespace canopee;
using namespace canopee::test;
using verb = http::verb;

namespace {

// Valid SIRENs (Luhn check digit), one per member created here.
constexpr const char* kSirens[] = {"270200017", "270200025", "270200033", "270200041", "270200058",
                                   "270200066", "270200074", "270200082", "270200090", "270200108"};

std::string member_body(const std::string& code, const std::string& name, int n = 0) {
  return R"({"code":")" + code + R"(","name":")" + name + R"(","siren":")" + kSirens[n] + R"(","department":"02"})";
}

}  // namespace

TEST_CASE("the same version changed through two replicas at once: one wins, the other gets 412, nothing is lost") {
  ApiServer a;
  Replica b(a.fixture);
  const auto token = a.user(Role::admin, std::nullopt, "admin@x.example");
  const Call on_a{a.client, token}, on_b{b.client, token};
  const auto created = on_a.send(verb::post, "/v1/members", member_body("OPAL", "OPAL"));
  REQUIRE(created.result_int() == 201);
  const std::string path = "/v1/members/" + std::to_string(body_of(created).at("id").as_int64());

  constexpr int kRounds = 15;
  for (int round = 0; round < kRounds; ++round) {
    const std::string etag = "\"v" + std::to_string(round + 1) + "\"";
    const auto change = [&](const Call& call, const std::string& name) {
      return call.send(verb::patch, path, R"({"name":")" + name + R"("})", {{"If-Match", etag}});
    };
    auto from_a = std::async(std::launch::async, change, std::cref(on_a), "A" + std::to_string(round));
    auto from_b = std::async(std::launch::async, change, std::cref(on_b), "B" + std::to_string(round));
    const auto ra = from_a.get(), rb = from_b.get();
    CAPTURE(round);
    CAPTURE(ra.body());
    CAPTURE(rb.body());
    CHECK(std::multiset<unsigned>{ra.result_int(), rb.result_int()} == std::multiset<unsigned>{200, 412});
    const auto now = body_of(on_b.get(path));
    CHECK(now.at("version").as_int64() == round + 2);  // exactly one change per round
    CHECK(now.at("name").as_string() == (ra.result_int() == 200 ? "A" : "B") + std::to_string(round));
  }
}

TEST_CASE("the same Idempotency-Key sent to two replicas at once: one effect") {
  ApiServer a;
  Replica b(a.fixture);
  const auto token = a.user(Role::admin, std::nullopt, "admin@x.example");
  const Call on_a{a.client, token}, on_b{b.client, token};
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = "create-" + std::to_string(round);
    const std::string body = member_body("M" + std::to_string(round), "Membre " + std::to_string(round), round);
    const auto send = [&](const Call& call) {
      return call.send(verb::post, "/v1/members", body, {{"Idempotency-Key", key}});
    };
    auto from_a = std::async(std::launch::async, send, std::cref(on_a));
    auto from_b = std::async(std::launch::async, send, std::cref(on_b));
    const auto ra = from_a.get(), rb = from_b.get();
    CAPTURE(round);
    CAPTURE(ra.body());
    CAPTURE(rb.body());
    // One 201; the other is its replay (201, same body) or told the first is still running (409).
    CHECK((ra.result_int() == 201 || rb.result_int() == 201));
    for (const auto* r : {&ra, &rb}) {
      CHECK((r->result_int() == 201 || r->result_int() == 409));
    }
    if (ra.result_int() == 201 && rb.result_int() == 201) CHECK(ra.body() == rb.body());
    // A retry after both answered replays the single creation.
    const auto retry = send(on_b);
    CHECK(retry.result_int() == 201);
    CHECK(retry["Idempotent-Replayed"] == "true");
  }
  CHECK(body_of(on_a.get("/v1/members?limit=500")).at("items").as_array().size() == kRounds);
}
