// The fast path (asynchronous PostgreSQL reads on the I/O threads, db::AsyncPg):
// the need read and the need list answer there, with the same answers as the
// blocking handler, and fall back to it when a connection is lost. On SQLite the
// path is off and the same answers come from the workers.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <soci/soci.h>

#include <thread>

#include "tests/support/api_server.hpp"

using namespace canopee;
using namespace canopee::test;
using verb = http::verb;

namespace {

std::int64_t fast_path_count(HttpClient& client, std::string_view result) {
  const auto reply = client.send(verb::get, "/metrics", "", {});
  REQUIRE(reply.result_int() == 200);
  const std::string wanted = "canopee_fast_path_total{result=\"" + std::string(result) + "\"} ";
  const auto at = reply.body().find(wanted);
  REQUIRE(at != std::string::npos);
  return std::stoll(reply.body().substr(at + wanted.size()));
}

std::string need_text(const std::string& cpv, const std::string& title, const std::string& start,
                      const std::string& extra = {}) {
  return R"({"cpv":")" + cpv + R"(","title":")" + title +
         R"(","quantity":"12.5","unit":"m2","reference_unit_price":"7.80","department":"02","period_start":")" + start +
         R"(","period_end":"2027-12-31","status":"submitted")" + extra + "}";
}

struct Network {
  ApiServer server;
  Member opal = add_member(*server.database, "OPAL", "270200017", "02");
  Member reims = add_member(*server.database, "RH", "270200025", "51");
  std::string buyer = server.user(Role::buyer, opal.id, "acheteur@opal.example");
  std::string other_buyer = server.user(Role::buyer, reims.id, "acheteur@reims.example");
  std::string officer = server.user(Role::officer, std::nullopt, "agent@canopee.example");
  bool fast = server.database->backend() == db::Backend::postgresql;

  // Waits (at most 5 s) until the fast path answers a read of `call`: its
  // connections connect in the background at the server's start, which a loaded
  // machine makes slow. The caller's token is cached on the way.
  void fast_path_ready(const Call& call) {
    if (!fast) return;
    for (int i = 0; i < 100; ++i) {
      const auto before = fast_path_count(server.client, "answered");
      REQUIRE(call.get("/v1/needs?limit=1").result_int() == 200);
      if (fast_path_count(server.client, "answered") > before) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("the fast path answered nothing within 5 s");
  }
};

}  // namespace

TEST_CASE("a need read on the fast path answers what the handler answers, scope and ETag included") {
  Network n;
  const Call buyer{n.server.client, n.buyer}, other{n.server.client, n.other_buyer},
      officer{n.server.client, n.officer};
  const auto created = buyer.send(verb::post, "/v1/needs",
                                  need_text("44810000-1", "Peinture \\\"mate\\\" é", "2027-01-01",
                                            R"(,"attributes":{"teinte":"blanc","a":"1"})"));
  REQUIRE(created.result_int() == 201);
  const auto id = body_of(created).at("id").as_int64();
  const auto path = "/v1/needs/" + std::to_string(id);
  // Warm the token cache of each caller (the fast path serves cached callers only).
  n.fast_path_ready(officer);
  REQUIRE(other.get("/v1/needs").result_int() == 200);
  REQUIRE(officer.get("/v1/needs").result_int() == 200);
  const auto answered_before = fast_path_count(n.server.client, "answered");

  for (const Call* call : {&buyer, &officer}) {
    const auto reply = call->get(path);
    REQUIRE(reply.result_int() == 200);
    CHECK(reply[http::field::etag] == "\"v1\"");
    CHECK(reply[http::field::cache_control] == "no-store");
    CHECK(reply["X-Content-Type-Options"] == "nosniff");
    const auto body = body_of(reply).as_object();
    CHECK(body.at("id").as_int64() == id);
    CHECK(body.at("title").as_string() == "Peinture \"mate\" é");
    CHECK(body.at("quantity").as_string() == "12.5");
    CHECK(body.at("reference_unit_price").as_string() == "7.8000");
    CHECK(body.at("unit").as_string() == "m2");
    CHECK(body.at("period_start").as_string() == "2027-01-01");
    CHECK(body.at("status").as_string() == "submitted");
    // Both attributes, whatever order they were sent in.
    CHECK(body.at("attributes").as_object().size() == 2);
    CHECK(body.at("attributes").at("teinte").as_string() == "blanc");
    CHECK(body.at("attributes").at("a").as_string() == "1");
  }
  // Another member's buyer: 404, as on the blocking path; an unknown id too.
  const auto hidden = other.get(path);
  CHECK(hidden.result_int() == 404);
  CHECK(body_of(hidden).at("code").as_string() == "need.not_found");
  const auto missing = officer.get("/v1/needs/999999");
  CHECK(missing.result_int() == 404);
  CHECK(body_of(missing).at("code").as_string() == "need.not_found");
  // Malformed ids are the blocking path's to answer (404 as well).
  CHECK(officer.get("/v1/needs/abc").result_int() == 404);
  CHECK(officer.get("/v1/needs/-1").result_int() == 404);

  const auto answered = fast_path_count(n.server.client, "answered") - answered_before;
  CHECK(answered == (n.fast ? 4 : 0));  // two reads, the hidden need and the missing one
}

TEST_CASE("the need list on the fast path: filters, the buyer's scope and pages as on the blocking path") {
  Network n;
  const Call buyer{n.server.client, n.buyer}, other{n.server.client, n.other_buyer},
      officer{n.server.client, n.officer};
  // OPAL: five needs (ids in creation order), Reims: two.
  std::vector<std::int64_t> opal_ids, reims_ids;
  const char* codes[] = {"44810000-1", "45442110-1", "44810000-1", "09310000-5", "45442110-1"};
  const char* starts[] = {"2027-01-01", "2027-03-01", "2027-06-01", "2027-01-01", "2027-09-01"};
  for (int i = 0; i < 5; ++i) {
    const auto reply = buyer.send(verb::post, "/v1/needs",
                                  need_text(codes[i], "Besoin " + std::to_string(i), starts[i],
                                            i == 2 ? R"(,"attributes":{"teinte":"gris"})" : ""));
    REQUIRE(reply.result_int() == 201);
    opal_ids.push_back(body_of(reply).at("id").as_int64());
  }
  for (int i = 0; i < 2; ++i) {
    const auto reply = other.send(verb::post, "/v1/needs", need_text("44810000-1", "Reims", "2027-01-01"));
    REQUIRE(reply.result_int() == 201);
    reims_ids.push_back(body_of(reply).at("id").as_int64());
  }
  // The fast path up, and both callers' tokens cached just before (the cache keeps
  // a token 2 s: seven creations can take longer than that on a loaded machine).
  n.fast_path_ready(officer);
  REQUIRE(officer.get("/v1/needs?limit=1").result_int() == 200);
  REQUIRE(buyer.get("/v1/needs?limit=1").result_int() == 200);
  const auto answered_before = fast_path_count(n.server.client, "answered");

  const auto ids_of = [](const Reply& reply) {
    INFO(reply.body());
    const auto body = body_of(reply);
    std::vector<std::int64_t> ids;
    for (const auto& item : body.at("items").as_array()) ids.push_back(item.at("id").as_int64());
    return ids;
  };
  // The buyer pages through its own five needs, two at a time, newest first.
  auto page = buyer.get("/v1/needs?limit=2");
  REQUIRE(page.result_int() == 200);
  CHECK(ids_of(page) == std::vector<std::int64_t>{opal_ids[4], opal_ids[3]});
  auto cursor = std::string(body_of(page).at("next_cursor").as_string());
  page = buyer.get("/v1/needs?limit=2&cursor=" + cursor);
  CHECK(ids_of(page) == std::vector<std::int64_t>{opal_ids[2], opal_ids[1]});
  // The need with an attribute keeps it in a list.
  CHECK(body_of(page).at("items").at(0).at("attributes").at("teinte").as_string() == "gris");
  cursor = std::string(body_of(page).at("next_cursor").as_string());
  page = buyer.get("/v1/needs?limit=2&cursor=" + cursor);
  CHECK(ids_of(page) == std::vector<std::int64_t>{opal_ids[0]});
  CHECK(body_of(page).at("next_cursor").is_null());
  // A buyer asking for another member's needs still sees only its own.
  page = buyer.get("/v1/needs?member_id=" + std::to_string(n.reims.id));
  CHECK(ids_of(page).size() == 5);

  // The officer's filters: CPV prefix, period, member, status, and all together.
  CHECK(ids_of(officer.get("/v1/needs?cpv_prefix=4544")) == std::vector<std::int64_t>{opal_ids[4], opal_ids[1]});
  CHECK(ids_of(officer.get("/v1/needs?from=2027-08-01")).size() == 7);  // every period ends on 2027-12-31
  CHECK(ids_of(officer.get("/v1/needs?to=2027-02-01")) ==
        std::vector<std::int64_t>{reims_ids[1], reims_ids[0], opal_ids[3], opal_ids[0]});
  CHECK(ids_of(officer.get("/v1/needs?member_id=" + std::to_string(n.reims.id))) ==
        std::vector<std::int64_t>{reims_ids[1], reims_ids[0]});
  CHECK(ids_of(officer.get("/v1/needs?status=draft")).empty());
  CHECK(ids_of(officer.get("/v1/needs?status=submitted&cpv_prefix=448&to=2027-06-30&member_id=" +
                           std::to_string(n.opal.id))) == std::vector<std::int64_t>{opal_ids[2], opal_ids[0]});
  const auto answered = fast_path_count(n.server.client, "answered") - answered_before;
  CHECK(answered == (n.fast ? 10 : 0));

  // Bad queries are the blocking path's, with their codes.
  const auto bad = officer.get("/v1/needs?cpv_prefix=45x");
  CHECK(bad.result_int() == 400);
  CHECK(body_of(bad).at("code").as_string() == "query.invalid");
  CHECK(officer.get("/v1/needs?limit=0").result_int() == 400);
  CHECK(officer.get("/v1/needs?surprise=1").result_int() == 400);
  CHECK(fast_path_count(n.server.client, "answered") - answered_before == answered);
}

TEST_CASE("a fast-path connection lost: the read is answered by the workers, then the fast path comes back") {
  Network n;
  if (!n.fast) return;  // PostgreSQL only: SQLite has no fast path
  const Call officer{n.server.client, n.officer};
  const Call buyer{n.server.client, n.buyer};
  const auto created = buyer.send(verb::post, "/v1/needs", need_text("44810000-1", "Peinture", "2027-01-01"));
  REQUIRE(created.result_int() == 201);
  const auto path = "/v1/needs/" + std::to_string(body_of(created).at("id").as_int64());
  REQUIRE(officer.get(path).result_int() == 200);

  // The fast path's connections (they name themselves in pg_stat_activity) are
  // cut, once both are up (they connect in the background at the server's start).
  auto connection = n.server.database->acquire();
  REQUIRE(connection);
  const auto fast_backends = [&connection](const char* select) {
    int count = 0;
    connection->sql() << std::string("SELECT ") + select +
                             " FROM pg_stat_activity WHERE datname = current_database() AND application_name = "
                             "'canopee-fast-path'",
        soci::into(count);
    return count;
  };
  for (int i = 0; i < 100 && fast_backends("count(*)") < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(fast_backends("count(pg_terminate_backend(pid, 5000))") == 2);  // waits for them to exit
  const auto declined_before = fast_path_count(n.server.client, "declined");
  for (int i = 0; i < 4; ++i) {
    const auto reply = officer.get(path);
    CHECK(reply.result_int() == 200);  // never an error for the client
    CHECK(body_of(reply).at("title").as_string() == "Peinture");
  }
  CHECK(fast_path_count(n.server.client, "declined") > declined_before);
  // The connections come back within their backoff (100 ms, doubling).
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto before = fast_path_count(n.server.client, "answered");
    REQUIRE(officer.get(path).result_int() == 200);
    back = fast_path_count(n.server.client, "answered") > before;
  }
  CHECK(back);
}
