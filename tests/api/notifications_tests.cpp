// Notifications over HTTP, on both backends (issue 20 item 10): a tender made of A's
// and B's paint needs tells their buyers; each caller lists, reads and marks only
// their own; the e-mail choice is per kind of the caller's role; hostile input is
// refused with a code and changes nothing.
#include <doctest/doctest.h>

#include "tests/support/awarded_lot.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::code_of;
using test::field_code_of;
namespace json = boost::json;
using test::http::verb;

namespace {

struct World : test::AwardedLot {
  Call buyer_b{s.client, s.user(Role::buyer, member_b, "buyer.b2@x.example")};  // joined after the tender
  json::value list(const Call& who, const std::string& query = "") {
    const auto reply = who.get("/v1/notifications" + query);
    REQUIRE_MESSAGE(reply.result_int() == 200, reply.body());
    return body_of(reply);
  }
  test::Reply put_preferences(const Call& who, const std::string& body) {
    return who.send(verb::put, "/v1/notification-preferences", body);
  }
};

}  // namespace

TEST_CASE("notifications API: the pooled need and the award reach the members' buyers, each their own") {
  World w;
  const auto tender = body_of(w.officer.get(w.t));
  const std::string reference(tender.at("reference").as_string());
  auto mine = w.list(w.buyer_a);
  CHECK(mine.at("unread_count").as_int64() == 1);
  REQUIRE(mine.at("items").as_array().size() == 1);
  const auto& pooled = mine.at("items").at(0);
  CHECK(pooled.at("kind").as_string() == "need_pooled");
  CHECK(pooled.at("title").as_string() == "Besoins mutualisés : " + reference);
  CHECK(pooled.at("body").as_string() == "Un besoin de votre organisme est regroupé dans la consultation " + reference +
                                             " « Peintures ». Il ne peut plus être modifié.");
  CHECK(pooled.at("link").as_string() == "#/besoins");
  CHECK(pooled.at("read_at").is_null());
  // The officer and a buyer of B who arrived after the tender: nothing.
  CHECK(w.list(w.officer).at("items").as_array().empty());
  CHECK(w.list(w.buyer_b).at("items").as_array().empty());

  // Another's notification reads as not found, and stays unread.
  const std::string read = "/v1/notifications/" + std::to_string(pooled.at("id").as_int64()) + "/read";
  const auto foreign = w.buyer_b.post(read, json::object{});
  CHECK(foreign.result_int() == 404);
  CHECK(code_of(foreign) == "notification.not_found");
  CHECK(w.list(w.buyer_a).at("unread_count").as_int64() == 1);
  const auto marked = w.buyer_a.post(read, json::object{});
  REQUIRE(marked.result_int() == 200);
  CHECK(body_of(marked).at("read_at").is_string());
  CHECK(w.list(w.buyer_a, "?unread=true").at("items").as_array().empty());
  CHECK(w.list(w.buyer_a).at("unread_count").as_int64() == 0);

  w.award();
  mine = w.list(w.buyer_a);
  CHECK(mine.at("unread_count").as_int64() == 1);
  CHECK(mine.at("items").at(0).at("title").as_string() == "Lot attribué : " + reference + " lot 1");
  CHECK(mine.at("items").at(0).at("body").as_string() ==
        "Le lot 1 « Peintures » de la consultation " + reference + " « Peintures » est attribué à Peintures Picardes.");
  CHECK(w.list(w.buyer_b).at("unread_count").as_int64() == 1);  // B has a line in the lot
  // Paged: one at a time, newest first, then the older one.
  const auto first = w.list(w.buyer_a, "?limit=1");
  REQUIRE(first.at("next_cursor").is_string());
  const auto second = w.list(w.buyer_a, "?limit=1&cursor=" + std::string(first.at("next_cursor").as_string()));
  CHECK(second.at("items").at(0).at("kind").as_string() == "need_pooled");
  CHECK(second.at("next_cursor").is_null());

  const auto all = w.buyer_a.post("/v1/notifications/read-all", json::object{});
  REQUIRE(all.result_int() == 200);
  CHECK(body_of(all).at("marked").as_int64() == 1);
  CHECK(w.list(w.buyer_b).at("unread_count").as_int64() == 1);  // B's untouched
}

TEST_CASE("notifications API: hostile queries and ids are refused with a code") {
  World w;
  const auto unread = w.buyer_a.get("/v1/notifications?unread=oui");
  CHECK(unread.result_int() == 400);
  CHECK(field_code_of(unread) == "notification.unread.invalid");
  CHECK(w.buyer_a.get("/v1/notifications?unread=true&unread=false").result_int() == 400);
  CHECK(w.buyer_a.get("/v1/notifications?user_id=1").result_int() == 400);
  CHECK(w.buyer_a.get("/v1/notifications?limit=0").result_int() == 400);
  CHECK(w.buyer_a.get("/v1/notifications?cursor=%00").result_int() == 400);
  CHECK(w.buyer_a.post("/v1/notifications/-1/read", json::object{}).result_int() >= 400);
  CHECK(w.buyer_a.post("/v1/notifications/99999999999999999999/read", json::object{}).result_int() >= 400);
  CHECK(w.list(w.buyer_a).at("unread_count").as_int64() == 1);
}

TEST_CASE("notification preferences: per kind of the caller's role, e-mail off until chosen") {
  World w;
  auto prefs = body_of(w.buyer_a.get("/v1/notification-preferences"));
  CHECK(prefs.at("email_available").as_bool() == false);  // no SMTP configured on the test server
  CHECK(json::serialize(prefs.at("items")) ==
        R"([{"kind":"need_pooled","email":false},{"kind":"lot_awarded","email":false}])");
  const auto officer = body_of(w.officer.get("/v1/notification-preferences"));
  CHECK(json::serialize(officer.at("items")) ==
        R"([{"kind":"bid_deadline_passed","email":false},{"kind":"standstill_ended","email":false}])");
  CHECK(body_of(w.admin.get("/v1/notification-preferences")).at("items").as_array().empty());

  const auto saved = w.put_preferences(w.buyer_a, R"({"email":{"lot_awarded":true}})");
  REQUIRE_MESSAGE(saved.result_int() == 200, saved.body());
  CHECK(json::serialize(body_of(saved).at("items")) ==
        R"([{"kind":"need_pooled","email":false},{"kind":"lot_awarded","email":true}])");
  // Another user's choices are theirs.
  CHECK(body_of(w.buyer_b.get("/v1/notification-preferences")).at("items").at(1).at("email").as_bool() == false);

  const auto expect = [&](const std::string& body, const char* code) {
    CAPTURE(body);
    const auto reply = w.put_preferences(w.buyer_a, body);
    CHECK(reply.result_int() == 400);
    CHECK(field_code_of(reply) == code);
  };
  expect(R"({"email":{"report_period_closed":true}})", "notification.kind.not_for_role");
  expect(R"({"email":{"need_pooled":true,"tout":true}})", "notification.kind.unknown");
  expect(R"({"email":{"lot_awarded":"non"}})", "notification.email.invalid");
  expect(R"({"email":["lot_awarded"]})", "notification.email.invalid");
  expect(R"({})", "input.required");
  CHECK(w.put_preferences(w.buyer_a, R"({"email":{},"user_id":2})").result_int() == 400);
  CHECK(w.put_preferences(w.buyer_a, "{\"email\":").result_int() == 400);
  // Nothing changed: need_pooled still off, lot_awarded still on.
  prefs = body_of(w.buyer_a.get("/v1/notification-preferences"));
  CHECK(json::serialize(prefs.at("items")) ==
        R"([{"kind":"need_pooled","email":false},{"kind":"lot_awarded","email":true}])");
}
