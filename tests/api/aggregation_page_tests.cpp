// POST /v1/aggregations by pages (issue 21 item 3): a summary, then the lots, then
// the needs not pooled, `limit` items a page; the pages put together are the whole
// proposal, figures computed by hand; a cursor binds a page to its request and to
// the needs read.
#include <doctest/doctest.h>

#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::field_codes;
using test::text_of;
namespace json = boost::json;
using test::http::status;

namespace {

struct Network : test::TwoMembers {
  std::int64_t c = member("C", "270600034");

  // A submitted one-off need for `year`, recorded by a new buyer of `member_id`; its id.
  std::int64_t need(std::int64_t member_id, const char* cpv, const char* quantity, const char* unit, const char* price,
                    const char* tint = nullptr, const char* year = "2027") {
    const Call buyer{s.client, s.user(Role::buyer, member_id, "page." + std::to_string(++count) + "@x.example")};
    auto draft = test::in_year(test::need_draft(cpv, quantity, unit, price), year);
    draft.recurring = false;
    if (tint != nullptr) draft.attributes = std::vector<std::pair<std::string, std::string>>{{"teinte", tint}};
    const auto reply = buyer.post("/v1/needs", test::need_body(draft));
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return test::id_of(reply);
  }
  int count = 0;
};

json::object request(int duration = 12) {
  return json::object{{"filter", json::object{}},
                      {"options", json::object{{"contract_start", "2027-01-01"}, {"duration_months", duration}}}};
}

json::object with_page(json::object body, const json::value& cursor, int limit) {
  if (!cursor.is_null()) body["cursor"] = cursor;
  body["limit"] = limit;
  return body;
}

std::string code_of(const test::Reply& reply) { return std::string(body_of(reply).at("code").as_string()); }

}  // namespace

TEST_CASE("an aggregation by pages: the summary, then every lot and every need left out, once") {
  Network n;
  // Paint (l): A 300 l at 10 €, B 700 l at 11 € → 1 000 l, 3 000 + 7 700 = 10 700,00 €.
  const auto a_paint = n.need(n.a, "44810000-1", "300", "l", "10");
  const auto b_paint = n.need(n.b, "44810000-1", "700", "l", "11");
  // Floor work (m2): A 50 m2 at 20 €, B 100 m2 at 5 € → 150 m2, 1 000 + 500 = 1 500,00 €.
  const auto a_floor = n.need(n.a, "45442100-8", "50", "m2", "20");
  const auto b_floor = n.need(n.b, "45442100-8", "100", "m2", "5");
  // C alone on two codes: not pooled, one member only.
  const auto c_office = n.need(n.c, "30192000-1", "10", "u", "2");
  const auto c_power = n.need(n.c, "09310000-5", "1000", "kWh", "0.2");

  std::vector<json::value> lots;
  std::vector<json::value> not_pooled;
  json::value cursor = nullptr;
  int pages = 0;
  do {
    const auto reply = n.officer.post("/v1/aggregations", with_page(request(), cursor, 1));
    REQUIRE_MESSAGE(reply.result() == status::ok, reply.body());
    const auto page = body_of(reply);
    ++pages;
    // The summary is the same on every page: the whole proposal's figures.
    const auto& s = page.at("summary");
    CHECK(s.at("lot_count").as_int64() == 2);
    CHECK(s.at("needs_pooled").as_int64() == 4);
    CHECK(s.at("needs_not_pooled").as_int64() == 2);
    CHECK(s.at("not_pooled_by_reason").at("single_member").as_int64() == 2);
    CHECK(s.at("not_pooled_by_reason").at("incompatible_unit").as_int64() == 0);
    CHECK(s.at("not_pooled_by_reason").at("conflicting_attribute").as_int64() == 0);
    CHECK(s.at("not_pooled_by_reason").at("outside_period").as_int64() == 0);
    CHECK(text_of(s, "estimated_total") == "12200.00");
    CHECK(text_of(page, "estimated_total") == "12200.00");
    CHECK(text_of(page.at("procedure"), "procedure") == "no_competition");  // 12 200 € < 60 000 € (R2122-8)
    CHECK(page.at("lots").as_array().size() + page.at("not_pooled").as_array().size() == 1);
    for (const auto& l : page.at("lots").as_array()) lots.push_back(l);
    for (const auto& x : page.at("not_pooled").as_array()) not_pooled.push_back(x);
    cursor = page.at("next_cursor");
  } while (!cursor.is_null() && pages < 10);
  CHECK(pages == 4);  // 2 lots and 2 needs left out, one a page

  REQUIRE(lots.size() == 2);
  CHECK(text_of(lots[0], "cpv") == "44810000-1");
  CHECK(text_of(lots[0], "quantity") == "1000");
  CHECK(text_of(lots[0], "estimated_value") == "10700.00");
  CHECK(lots[0].at("need_count").as_int64() == 2);
  const auto& paint_members = lots[0].at("members").as_array();
  REQUIRE(paint_members.size() == 2);
  CHECK(paint_members[0].at("member_id").as_int64() == n.a);
  CHECK(paint_members[0].at("need_count").as_int64() == 1);
  CHECK(paint_members[0].at("need_ids") == json::array{a_paint});
  CHECK(paint_members[1].at("need_ids") == json::array{b_paint});
  CHECK(text_of(lots[1], "cpv") == "45442100-8");
  CHECK(text_of(lots[1], "quantity") == "150");
  CHECK(text_of(lots[1], "estimated_value") == "1500.00");
  CHECK(lots[1].at("members").at(0).at("need_ids") == json::array{a_floor});
  CHECK(lots[1].at("members").at(1).at("need_ids") == json::array{b_floor});

  REQUIRE(not_pooled.size() == 2);  // by need id
  CHECK(not_pooled[0].at("need_id").as_int64() == c_office);
  CHECK(not_pooled[1].at("need_id").as_int64() == c_power);
  CHECK(text_of(not_pooled[0], "reason") == "single_member");
  CHECK(text_of(not_pooled[0], "detail") == "aucun autre membre n’a besoin du CPV 30192000");

  // Without a limit, one page of 50 holds everything: the same items.
  const auto whole = body_of(n.officer.post("/v1/aggregations", request()));
  CHECK(whole.at("next_cursor").is_null());
  CHECK(whole.at("lots").as_array() == json::array(lots.begin(), lots.end()));
  CHECK(whole.at("not_pooled").as_array() == json::array(not_pooled.begin(), not_pooled.end()));
}

TEST_CASE("an aggregation cursor: malformed, of another request, or after the needs changed") {
  Network n;
  n.need(n.a, "44810000-1", "300", "l", "10");
  n.need(n.b, "44810000-1", "700", "l", "11");
  n.need(n.c, "30192000-1", "10", "u", "2");
  const auto first = n.officer.post("/v1/aggregations", with_page(request(), nullptr, 1));
  REQUIRE(first.result() == status::ok);
  const auto cursor = body_of(first).at("next_cursor");
  REQUIRE(cursor.is_string());
  const std::string good(cursor.as_string());

  // Malformed or forged: 400 with a code, nothing computed from it.
  const std::string zeros(16, '0');
  for (const std::string& bad :
       {std::string("x"), std::string("p1"), std::string("n12"), "p1." + zeros + ".zz" + zeros.substr(2),
        "p99999999999." + zeros + "." + zeros, "p-1." + zeros + "." + zeros, good + "0"}) {
    const auto reply = n.officer.post("/v1/aggregations", with_page(request(), json::value(bad), 1));
    CHECK_MESSAGE(reply.result() == status::bad_request, bad);
    CHECK_MESSAGE(field_codes(reply) == std::vector<std::string>{"aggregation.cursor.unknown"},
                  bad << " " << reply.body());
  }
  CHECK(n.officer.post("/v1/aggregations", with_page(request(), json::value(std::string(200, 'p')), 1)).result() ==
        status::bad_request);
  // Well formed, the right fingerprints, but past the end or at the start: refused too.
  const auto tail = good.substr(good.find('.'));
  for (const std::string& bad : {"p3" + tail, "p0" + tail, "p2000" + tail}) {
    const auto reply = n.officer.post("/v1/aggregations", with_page(request(), json::value(bad), 1));
    CHECK_MESSAGE(reply.result() == status::bad_request, bad);
    CHECK(field_codes(reply) == std::vector<std::string>{"aggregation.cursor.unknown"});
  }
  // A limit out of 1–500.
  CHECK(n.officer.post("/v1/aggregations", with_page(request(), nullptr, 0)).result() == status::bad_request);
  CHECK(n.officer.post("/v1/aggregations", with_page(request(), nullptr, 501)).result() == status::bad_request);
  // The cursor of another request (another duration).
  const auto other = n.officer.post("/v1/aggregations", with_page(request(24), cursor, 1));
  CHECK(other.result() == status::bad_request);
  CHECK(field_codes(other) == std::vector<std::string>{"aggregation.cursor.other_request"});
  // The same cursor still answers while the needs are the same.
  CHECK(n.officer.post("/v1/aggregations", with_page(request(), cursor, 1)).result() == status::ok);

  // A need submitted meanwhile: the next page would belong to another proposal.
  n.need(n.c, "09310000-5", "1000", "kWh", "0.2");
  const auto changed = n.officer.post("/v1/aggregations", with_page(request(), cursor, 1));
  CHECK(changed.result() == status::conflict);
  CHECK(code_of(changed) == "aggregation.needs_changed");
  // Starting over (no cursor) gives the new proposal.
  const auto again = n.officer.post("/v1/aggregations", request());
  REQUIRE(again.result() == status::ok);
  CHECK(body_of(again).at("summary").at("needs_not_pooled").as_int64() == 2);
}

TEST_CASE("an aggregation by pages reads each need's attributes: a tint apart is not pooled") {
  Network n;
  // White paint: A 100 l at 10 €, B 200 l at 10 € → one lot of 300 l, 3 000,00 €;
  // B's grey paint has no other member: left out for its attribute.
  const auto a_white = n.need(n.a, "44810000-1", "100", "l", "10", "blanc");
  const auto b_white = n.need(n.b, "44810000-1", "200", "l", "10", "blanc");
  const auto b_grey = n.need(n.b, "44810000-1", "50", "l", "10", "gris");
  // And one for 2029, outside the contract's 2027: its period read back to the day.
  const auto a_later = n.need(n.a, "44810000-1", "100", "l", "10", "blanc", "2029");
  const auto reply = n.officer.post("/v1/aggregations", request());
  REQUIRE_MESSAGE(reply.result() == status::ok, reply.body());
  const auto p = body_of(reply);
  REQUIRE(p.at("lots").as_array().size() == 1);
  const auto& lot = p.at("lots").at(0);
  CHECK(text_of(lot, "key") == "44810000-l[teinte=blanc]");
  CHECK(lot.at("attributes") == json::object{{"teinte", "blanc"}});
  CHECK(text_of(lot, "quantity") == "300");
  CHECK(text_of(lot, "estimated_value") == "3000.00");
  CHECK(lot.at("members").at(0).at("need_ids") == json::array{a_white});
  CHECK(lot.at("members").at(1).at("need_ids") == json::array{b_white});
  REQUIRE(p.at("not_pooled").as_array().size() == 2);
  CHECK(p.at("not_pooled").at(0).at("need_id").as_int64() == b_grey);
  CHECK(text_of(p.at("not_pooled").at(0), "reason") == "conflicting_attribute");
  CHECK(p.at("not_pooled").at(1).at("need_id").as_int64() == a_later);
  CHECK(text_of(p.at("not_pooled").at(1), "detail") ==
        "sa période 2029-01-01 – 2029-12-31 ne recoupe pas la période du marché 2027-01-01 – 2027-12-31");
  CHECK(p.at("summary").at("not_pooled_by_reason").at("conflicting_attribute").as_int64() == 1);
}
