// Issue 14 ("Hardening"), items 1, 3 and 4 over HTTP: a cost's key checked when
// it is recorded, costs split each on its own and removable, a bid that overflows
// its lot refused, an inactive member's buyers refused. Exact statuses, the field
// named, the database unchanged by a refusal; figures computed by hand.
#include <doctest/doctest.h>

#include "tests/support/api_server.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::names_field;
namespace json = boost::json;
using test::http::verb;

namespace {

std::vector<std::string> shares(const json::value& cost) {
  std::vector<std::string> out;
  for (const auto& a : cost.at("allocation").as_array()) out.emplace_back(a.at("share").as_string());
  return out;
}

// Three members; paint (l) for A and B, electricity (MWh) for B and C: a tender
// with two lots in different units, published.
struct World {
  test::ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  Call officer{s.client, s.user(Role::officer, std::nullopt, "officer@x.example")};
  std::int64_t a = 0, b = 0, c = 0;
  json::value tender;
  std::string t;

  World() {
    const auto member = [&](const char* code, const char* siren) {
      return test::id_of(test::post_member(admin, code, siren));
    };
    a = member("A", "270200017");
    b = member("B", "270510027");
    c = member("C", "270600034");
    const auto need = [&](std::int64_t m, const char* email, const char* cpv, const char* quantity, const char* unit) {
      const Call buyer{s.client, s.user(Role::buyer, m, email)};
      const auto reply = buyer.post("/v1/needs", test::need_body(cpv, quantity, unit, "10"));
      REQUIRE(reply.result_int() == 201);
    };
    need(a, "buyer.a@x.example", "44810000-1", "300", "l");
    need(b, "buyer.b@x.example", "44810000-1", "700", "l");
    need(b, "buyer.b2@x.example", "09310000-5", "2000", "MWh");
    need(c, "buyer.c@x.example", "09310000-5", "1000", "MWh");
    const auto reply = officer.post(
        "/v1/tenders",
        json::object{{"title", "Peintures et électricité"},
                     {"coordinator_member_id", a},
                     {"criteria",
                      json::array{json::object{{"name", "prix"}, {"weight", 70}, {"price", true}},
                                  json::object{{"name", "environnement"}, {"weight", 30}, {"environmental", true}}}},
                     {"bid_deadline", "2027-02-01T12:00:00Z"},
                     {"environmental_conditions", "clause environnementale"},
                     {"social_considerations", "clause sociale"},
                     {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"}}}}}});
    REQUIRE(reply.result_int() == 201);
    tender = body_of(reply);
    REQUIRE(tender.at("lots").as_array().size() == 2);
    t = "/v1/tenders/" + std::to_string(tender.at("id").as_int64());
    REQUIRE(officer.send(verb::post, t + "/publish").result_int() == 200);
  }

  std::string lot(const char* unit) const {
    for (const auto& l : tender.at("lots").as_array()) {
      if (l.at("unit").as_string() == unit) return t + "/lots/" + std::to_string(l.at("id").as_int64());
    }
    FAIL("no lot in " << unit);
    return {};
  }
};

}  // namespace

TEST_CASE("costs over HTTP: the quantity key refused on mixed units, each cost split alone, removal audited") {
  World w;
  auto& db = *w.s.database;
  const auto costs_before = test::count_rows(db, "shared_costs"), audit_before = test::count_rows(db, "audit_log");
  const auto refused = w.officer.post(w.t + "/costs",
                                      json::object{{"label", "Q"}, {"amount", "50.00"}, {"key", "quantity"}});
  CHECK(refused.result_int() == 400);
  CHECK(names_field(refused, "key"));
  CHECK(test::count_rows(db, "shared_costs") == costs_before);
  CHECK(test::count_rows(db, "audit_log") == audit_before);

  // Nothing awarded: the contract-value cost waits, the equal one is split now.
  const auto publicity = w.officer.post(w.t + "/costs", json::object{{"label", "Publicité"}, {"amount", "1800.00"}});
  REQUIRE(publicity.result_int() == 201);
  CHECK(body_of(publicity).at("allocated").as_bool() == false);
  const auto legal = w.officer.post(w.t + "/costs",
                                    json::object{{"label", "Juridique"}, {"amount", "1000.00"}, {"key", "equal"}});
  REQUIRE(legal.result_int() == 201);
  CHECK(body_of(legal).at("allocated").as_bool());
  // 1,000.00 € between A, B, C: 333.333… each, the spare cent to the lowest id.
  CHECK(shares(body_of(legal)) == std::vector<std::string>{"333.34", "333.33", "333.33"});

  const std::string publicity_path = w.t + "/costs/" + std::to_string(body_of(publicity).at("id").as_int64());
  CHECK(w.officer.send(verb::delete_, publicity_path, "{}").result_int() == 400);
  CHECK(w.officer.send(verb::delete_, "/v1/tenders/99999/costs/1").result_int() == 404);
  const auto removed = w.officer.send(verb::delete_, publicity_path);
  REQUIRE(removed.result_int() == 200);
  const auto left = body_of(removed).at("items").as_array();
  REQUIRE(left.size() == 1);
  CHECK(left[0].at("label").as_string() == "Juridique");
  CHECK(shares(left[0]) == std::vector<std::string>{"333.34", "333.33", "333.33"});
  CHECK(w.officer.send(verb::delete_, publicity_path).result_int() == 404);
  const auto audit = body_of(w.officer.get("/v1/audit?entity=shared_cost"));
  bool deleted = false;
  for (const auto& row : audit.at("items").as_array()) deleted = deleted || row.at("action").as_string() == "delete";
  CHECK(deleted);
}

TEST_CASE("bids over HTTP: a total beyond the largest amount is refused, naming the price") {
  World w;
  auto& db = *w.s.database;
  const auto supplier = body_of(
      w.officer.post("/v1/suppliers", json::object{{"name", "S"}, {"siret", "38901234500010"}, {"department", "02"}}));
  const auto bids = test::count_rows(db, "bids");
  // 3,000 MWh × 1,000,000,000 € = 3,000,000,000,000 €, beyond 1,000,000,000,000 €.
  const auto flat = w.officer.post(w.lot("MWh") + "/bids",
                                   json::object{{"supplier_id", supplier.at("id")}, {"unit_price", "1000000000"}});
  CHECK(flat.result_int() == 400);
  CHECK(names_field(flat, "unit_price"));
  // The lot's 3,000 MWh at 1 €, but 1,999.999 MWh alone at 1,000,000,000 €: beyond too.
  const auto tiered = w.officer.post(
      w.lot("MWh") + "/bids",
      json::object{{"supplier_id", supplier.at("id")},
                   {"tiers", json::array{json::object{{"min_quantity", "0"}, {"unit_price", "1000000000"}},
                                         json::object{{"min_quantity", "2000"}, {"unit_price", "1"}}}}});
  CHECK(tiered.result_int() == 400);
  CHECK(names_field(tiered, "tiers[0].unit_price"));
  CHECK(test::count_rows(db, "bids") == bids);
  // 1,000 l × 1,000,000,000 € is exactly the largest amount: accepted.
  CHECK(w.officer
            .post(w.lot("l") + "/bids", json::object{{"supplier_id", supplier.at("id")}, {"unit_price", "1000000000"}})
            .result_int() == 201);
}

TEST_CASE("an inactive member over HTTP: its buyers record no need, its needs are not proposed") {
  World w;
  auto& db = *w.s.database;
  const std::string path = "/v1/members/" + std::to_string(w.b);
  REQUIRE(w.admin.patch(path, json::object{{"active", false}}).result_int() == 200);
  const Call buyer{w.s.client, w.s.user(Role::buyer, w.b, "buyer.b3@x.example")};
  const auto needs = test::count_rows(db, "needs");
  const auto refused = buyer.post("/v1/needs", test::need_body("44810000-1", "1", "l", "1"));
  CHECK(refused.result_int() == 409);
  CHECK(names_field(refused, "member"));
  const auto import = buyer.send(verb::post, "/v1/needs/import",
                                 "cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end\n"
                                 "44810000-1,x,1,l,1,02,2027-01-01,2027-12-31\n",
                                 {{"Content-Type", "text/csv"}});
  CHECK(import.result_int() == 409);
  CHECK(test::count_rows(db, "needs") == needs);
}
