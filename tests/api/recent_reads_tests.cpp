// Recent reads (--read-cache-max-age, api/read_routes.cpp): the needs' list answered
// again from a kept answer for at most the max age, by role, member and query; a
// client that sends the position of its last write (Canopee-Read-After, header or
// cookie) always sees that write; errors are never kept. On PostgreSQL only: on
// SQLite the setting keeps nothing and every list is read afresh.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "tests/support/gunzip.hpp"
#include "tests/support/two_members.hpp"

using namespace canopee;
using namespace canopee::test;
namespace json = boost::json;
using verb = http::verb;

namespace {

std::int64_t metric(HttpClient& client, const std::string& line_start) {
  const auto reply = client.send(verb::get, "/metrics", "", {});
  REQUIRE(reply.result_int() == 200);
  const auto at = reply.body().find(line_start + " ");
  REQUIRE_MESSAGE(at != std::string::npos, line_start);
  return std::stoll(reply.body().substr(at + line_start.size() + 1));
}

constexpr const char* kHits = R"(canopee_kept_answers_total{cache="recent_read",result="hit"})";
constexpr const char* kMisses = R"(canopee_kept_answers_total{cache="recent_read",result="miss"})";

std::string need_text(const std::string& title) {
  return R"({"cpv":"44810000-1","title":")" + title +
         R"(","quantity":"12.5","unit":"m2","reference_unit_price":"7.80","department":"02",)"
         R"("period_start":"2027-01-01","period_end":"2027-12-31","status":"submitted"})";
}

// The ids of a list's answer, in order.
std::vector<std::int64_t> ids_of(const Reply& reply) {
  REQUIRE(reply.result_int() == 200);
  const auto body = body_of(reply);
  std::vector<std::int64_t> ids;
  for (const auto& item : body.at("items").as_array()) ids.push_back(item.at("id").as_int64());
  return ids;
}

bool lists(const Reply& reply, std::int64_t id) {
  const auto ids = ids_of(reply);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

struct Network {
  TwoMembers w;
  ApiServer& server = w.s;
  Call buyer{w.s.client, w.s.user(Role::buyer, w.a, "acheteur@a.example")};
  Call other_buyer{w.s.client, w.s.user(Role::buyer, w.b, "acheteur@b.example")};
  Call officer = w.officer;
  bool kept = w.s.database->backend() == db::Backend::postgresql;

  explicit Network(std::chrono::milliseconds max_age = std::chrono::seconds(60)) {
    server.services.recent_reads_max_age = max_age;
  }

  // A need created by `call`, and the position its answer carries.
  std::pair<std::int64_t, std::string> create(const Call& call, const std::string& title) const {
    const auto created = call.send(verb::post, "/v1/needs", need_text(title));
    REQUIRE(created.result_int() == 201);
    std::string position(created["Canopee-Read-After"]);
    CHECK(position.empty() == !kept);  // a position only where reads may be kept
    return {body_of(created).at("id").as_int64(), position};
  }
};

// A read with the client's last write position (none on SQLite, which gives none).
Reply get_after(const Call& call, const std::string& target, const std::string& position) {
  if (position.empty()) return call.get(target);
  return call.send(verb::get, target, {}, {{"Canopee-Read-After", position}});
}

}  // namespace

TEST_CASE("a kept list serves others up to its age, and the writer sees its write at once") {
  Network n;
  const Call &buyer = n.buyer, &officer = n.officer;
  const auto [first, first_position] = n.create(buyer, "Peinture");
  const auto before = officer.get("/v1/needs");
  CHECK(ids_of(before) == std::vector<std::int64_t>{first});

  // Another need: the officer, who sends no position, is served the kept list.
  const auto [second, position] = n.create(buyer, "Enduit");
  const auto hits = metric(n.server.client, kHits);
  const auto again = officer.get("/v1/needs");
  if (n.kept) {
    CHECK(again.body() == before.body());
    CHECK_FALSE(lists(again, second));
    CHECK(metric(n.server.client, kHits) == hits + 1);
  } else {
    CHECK(ids_of(again) == std::vector<std::int64_t>{second, first});
    CHECK(metric(n.server.client, kHits) == hits);
  }

  // The writer, with the position of its write (header, or the cookie a browser keeps).
  CHECK(ids_of(get_after(buyer, "/v1/needs", position)) == std::vector<std::int64_t>{second, first});
  if (n.kept) {
    const auto cookie = buyer.send(verb::get, "/v1/needs", {}, {{"Cookie", "canopee_read_after=" + position}});
    CHECK(ids_of(cookie) == std::vector<std::int64_t>{second, first});
  }
  // The officer with that position too; and then without it, the list read for it is
  // the one kept (it is newer than the one before).
  CHECK(ids_of(get_after(officer, "/v1/needs", position)) == std::vector<std::int64_t>{second, first});
  CHECK(ids_of(officer.get("/v1/needs")) == std::vector<std::int64_t>{second, first});
  // An older position is served the kept list.
  const auto hits_before_old = metric(n.server.client, kHits);
  CHECK(ids_of(get_after(officer, "/v1/needs", first_position.empty() ? "0/0" : first_position)) ==
        std::vector<std::int64_t>{second, first});
  CHECK(metric(n.server.client, kHits) == hits_before_old + (n.kept ? 1 : 0));
}

TEST_CASE("a withdrawn need leaves the writer's list at once, others' within the age") {
  Network n;
  const Call &buyer = n.buyer, &officer = n.officer;
  const auto [id, created_at] = n.create(buyer, "Peinture");
  const auto read = get_after(buyer, "/v1/needs/" + std::to_string(id), created_at);
  REQUIRE(read.result_int() == 200);
  CHECK(ids_of(get_after(officer, "/v1/needs?status=submitted", created_at)) == std::vector<std::int64_t>{id});
  const auto withdrawn = buyer.send(verb::delete_, "/v1/needs/" + std::to_string(id), {},
                                    {{"If-Match", std::string(read[http::field::etag])}});
  REQUIRE(withdrawn.result_int() == 200);
  const std::string position(withdrawn["Canopee-Read-After"]);
  CHECK(position.empty() == !n.kept);
  CHECK(ids_of(officer.get("/v1/needs?status=submitted")) ==
        (n.kept ? std::vector<std::int64_t>{id} : std::vector<std::int64_t>{}));
  if (n.kept) CHECK(ids_of(get_after(officer, "/v1/needs?status=submitted", position)).empty());
}

TEST_CASE("a kept list is never served past its age") {
  Network n(std::chrono::milliseconds(200));
  const Call &buyer = n.buyer, &officer = n.officer;
  const auto [first, ignored] = n.create(buyer, "Peinture");
  CHECK(ids_of(officer.get("/v1/needs")) == std::vector<std::int64_t>{first});
  const auto [second, position] = n.create(buyer, "Enduit");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(ids_of(officer.get("/v1/needs")) == std::vector<std::int64_t>{second, first});
}

TEST_CASE("kept lists are apart by member, role and query") {
  Network n;
  const Call &buyer = n.buyer, &other = n.other_buyer, &officer = n.officer;
  const Call officer_of_a{n.server.client, n.server.user(Role::officer, n.w.a, "agent@a.example")};
  const auto [a_need, a_position] = n.create(buyer, "Peinture");
  const auto [b_need, b_position] = n.create(other, "Enduit");
  // Each fills its own entry first; then each is served its own again.
  for (int round = 0; round < 2; ++round) {
    CHECK(ids_of(buyer.get("/v1/needs")) == std::vector<std::int64_t>{a_need});
    CHECK(ids_of(other.get("/v1/needs")) == std::vector<std::int64_t>{b_need});
    CHECK(ids_of(get_after(officer, "/v1/needs", b_position)) == std::vector<std::int64_t>{b_need, a_need});
    CHECK(ids_of(officer.get("/v1/needs?limit=1")) == std::vector<std::int64_t>{b_need});
    CHECK(ids_of(officer.get("/v1/needs?member_id=" + std::to_string(n.w.a))) == std::vector<std::int64_t>{a_need});
    // A buyer naming another member still gets its own (the scope, not the query).
    CHECK(ids_of(other.get("/v1/needs?member_id=" + std::to_string(n.w.a))) == std::vector<std::int64_t>{b_need});
    // An officer who belongs to member A is not scoped like A's buyer (the role).
    CHECK(ids_of(officer_of_a.get("/v1/needs")) == std::vector<std::int64_t>{b_need, a_need});
  }
}

TEST_CASE("a kept list due for renewal is read again by one request, the others served") {
  Network n(std::chrono::seconds(4));
  const Call &buyer = n.buyer, &officer = n.officer;
  const auto [first, ignored] = n.create(buyer, "Peinture");
  CHECK(ids_of(officer.get("/v1/needs")) == std::vector<std::int64_t>{first});
  const auto [second, position] = n.create(buyer, "Enduit");
  CHECK(ids_of(officer.get("/v1/needs")) ==
        (n.kept ? std::vector<std::int64_t>{first} : std::vector<std::int64_t>{second, first}));
  // In the last quarter of the age (3 s to 4 s), the first request renews the list:
  // it and every later one see the need written since. (Past 4 s, the same holds by
  // expiry: a slow machine weakens the test, never fails it.)
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  const auto misses = metric(n.server.client, kMisses);
  for (int i = 0; i < 3; ++i) CHECK(ids_of(officer.get("/v1/needs")) == std::vector<std::int64_t>{second, first});
  if (n.kept) CHECK(metric(n.server.client, kMisses) - misses <= 2);  // the renewal (seen on both paths)
}

TEST_CASE("a kept list goes gzip to a client that accepts it, the same JSON inflated") {
  Network n;
  const Call &buyer = n.buyer, &officer = n.officer;
  std::string position;
  for (int i = 0; i < 12; ++i) position = n.create(buyer, "Peinture " + std::to_string(i)).second;
  const auto plain = get_after(officer, "/v1/needs", position);
  REQUIRE(plain.result_int() == 200);
  REQUIRE(plain.body().size() > 1024);
  const auto compressed = officer.send(verb::get, "/v1/needs", {}, {{"Accept-Encoding", "gzip"}});
  REQUIRE(compressed.result_int() == 200);
  if (n.kept) {
    CHECK(compressed[http::field::content_encoding] == "gzip");
    CHECK(compressed[http::field::vary] == "Accept-Encoding");
    CHECK(gunzip(compressed.body()) == plain.body());
    CHECK(compressed[http::field::cache_control] == "no-store");
  } else {
    CHECK(compressed[http::field::content_encoding].empty());
    CHECK(compressed.body() == plain.body());
  }
}

TEST_CASE("errors are not kept, and a malformed position is refused on a kept list") {
  Network n;
  const Call &buyer = n.buyer, &officer = n.officer;
  n.create(buyer, "Peinture");
  REQUIRE(officer.get("/v1/needs").result_int() == 200);  // an entry to be tempted by
  const auto misses = metric(n.server.client, kMisses);
  const auto hits = metric(n.server.client, kHits);
  for (int i = 0; i < 2; ++i) {
    const auto refused = officer.get("/v1/needs?limit=0");
    CHECK(refused.result_int() == 400);
    CHECK(first_error_code(refused) == "query.limit.out_of_range");
  }
  CHECK(metric(n.server.client, kMisses) == misses + (n.kept ? 2 : 0));
  for (const char* hostile : {"", "0/0/0", "FFFFFFFFF/0", "1/x", "' OR 1=1 --"}) {
    const auto refused = officer.send(verb::get, "/v1/needs", {}, {{"Canopee-Read-After", hostile}});
    CHECK(refused.result_int() == 400);
    CHECK(first_error_code(refused) == "read_after.format");
  }
  CHECK(metric(n.server.client, kHits) == hits);
  // A position beyond any the server gave: read afresh, never an error.
  CHECK(get_after(officer, "/v1/needs", "FFFFFFFF/FFFFFFFF").result_int() == 200);
  // Without a token: refused, whatever is kept.
  const Call anonymous{n.server.client, ""};
  CHECK(anonymous.get("/v1/needs").result_int() == 401);
}

TEST_CASE("hits run no statement on the fast path") {
  Network n;
  if (!n.kept) return;
  const Call &buyer = n.buyer, &officer = n.officer;
  const auto [id, position] = n.create(buyer, "Peinture");
  CHECK(ids_of(get_after(officer, "/v1/needs", position)) == std::vector<std::int64_t>{id});
  const auto hits = metric(n.server.client, kHits);
  const auto answered = metric(n.server.client, R"(canopee_fast_path_total{result="answered"})");
  // Twenty reads: each the kept list, none a statement on the fast path.
  std::set<std::string> bodies;
  for (int i = 0; i < 20; ++i) bodies.insert(officer.get("/v1/needs").body());
  CHECK(bodies.size() == 1);
  CHECK(metric(n.server.client, kHits) == hits + 20);
  CHECK(metric(n.server.client, R"(canopee_fast_path_total{result="answered"})") == answered);
}
