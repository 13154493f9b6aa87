// The anti-splitting view over HTTP (issue 16 item 14, R2121-6 and R2121-7):
// stand-alone purchases, the yearly view, and the warning of the procedure advice.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
namespace json = boost::json;
namespace http = test::http;

namespace {

struct World : test::TwoMembers {
  test::Call buyer_a{s.client, s.user(Role::buyer, a, "acheteur.a@x.example")};
  test::Call buyer_b{s.client, s.user(Role::buyer, b, "acheteur.b@x.example")};
  test::Call finance{s.client, s.user(Role::finance, std::nullopt, "finance@x.example")};
  test::Call finance_b{s.client, s.user(Role::finance, b, "finance.b@x.example")};

  json::object purchase(const char* amount, const char* date, const char* cpv = "30192000-1") {
    return json::object{{"cpv", cpv},           {"label", "Fournitures de bureau"}, {"amount", amount},
                        {"purchased_on", date}, {"supplier_name", "Papeterie"},     {"supplier_reference", "BC-1"}};
  }

  int rows() { return test::count_rows(*s.database, "standalone_purchases"); }

  // A tender of the paint family (4481) launched on 2027-03-01 from the submitted needs.
  test::Reply tender() {
    json::object body{{"title", "Peintures"},
                      {"coordinator_member_id", a},
                      {"criteria",
                       json::array{json::object{{"name", "prix"}, {"weight", 60}, {"price", true}},
                                   json::object{{"name", "environnement"}, {"weight", 40}, {"environmental", true}}}},
                      {"allotment_justification", "fourniture homogène"},
                      {"launch_date", "2027-03-01"},
                      {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"},
                                                                         {"launch_date", "2027-03-01"}}}}}};
    return officer.post("/v1/tenders", body);
  }
};

// The problem's own code, then its field errors' codes.
std::vector<std::string> codes_of(const test::Reply& reply) {
  std::vector<std::string> out;
  if (const auto code = test::problem_code(reply); !code.empty()) out.push_back(code);
  for (auto& code : test::field_codes(reply)) out.push_back(std::move(code));
  return out;
}

bool has_code(const test::Reply& reply, const std::string& code) {
  const auto codes = codes_of(reply);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

const json::object* row_of(const json::value& report, const char* scope, const char* family, std::int64_t member = 0) {
  for (const auto& r : report.at("rows").as_array()) {
    const auto& o = r.as_object();
    if (o.at("scope").as_string() != scope || o.at("family").as_string() != family) continue;
    if (std::string_view(scope) == "member" && o.at("member_id").as_int64() != member) continue;
    return &o;
  }
  return nullptr;
}

bool warned(const json::value& advice) {
  for (const auto& w : advice.at("warnings").as_array()) {
    if (w.at("code").as_string() == "splitting.family_year_total") return true;
  }
  return false;
}

}  // namespace

TEST_CASE("stand-alone purchases: buyers record their own member's, officers any member's; read and cancel by scope") {
  World w;
  auto mine = w.buyer_a.post("/v1/standalone-purchases", w.purchase("20000.00", "2026-01-15"));
  REQUIRE_MESSAGE(mine.result_int() == 201, mine.body());
  const auto created = body_of(mine);
  CHECK(created.at("member_id").as_int64() == w.a);
  CHECK(created.at("amount").as_string() == "20000.00");
  CHECK(created.at("cpv").as_string() == "30192000-1");
  CHECK(created.at("family").as_string() == "30190000");
  CHECK(created.at("status").as_string() == "recorded");
  CHECK(mine[http::field::etag] == "\"v1\"");
  const auto id = std::to_string(created.at("id").as_int64());

  // A buyer writing for another member: 403, nothing written.
  auto other = w.purchase("1.00", "2026-01-15");
  other["member_id"] = w.b;
  auto refused = w.buyer_a.post("/v1/standalone-purchases", other);
  CHECK(refused.result_int() == 403);
  CHECK(has_code(refused, "standalone_purchase.other_member"));
  CHECK(w.rows() == 1);
  other["member_id"] = w.a;  // its own member, said explicitly: fine
  CHECK(w.buyer_a.post("/v1/standalone-purchases", other).result_int() == 201);

  // An officer names the member; finance does not write.
  auto for_b = w.purchase("5000.00", "2026-06-01");
  for_b["member_id"] = w.b;
  CHECK(w.officer.post("/v1/standalone-purchases", for_b).result_int() == 201);
  CHECK(w.officer.post("/v1/standalone-purchases", w.purchase("1.00", "2026-06-01")).result_int() ==
        400);  // member_id missing
  for_b["member_id"] = 987654;
  auto unknown = w.officer.post("/v1/standalone-purchases", for_b);
  CHECK(unknown.result_int() == 400);
  CHECK(has_code(unknown, "standalone_purchase.member"));
  CHECK(w.finance.post("/v1/standalone-purchases", w.purchase("1.00", "2026-06-01")).result_int() == 403);
  CHECK(w.rows() == 3);

  // Reading: another member's purchase is not found; lists are confined to the member.
  CHECK(w.buyer_a.get("/v1/standalone-purchases/" + id).result_int() == 200);
  CHECK(w.buyer_b.get("/v1/standalone-purchases/" + id).result_int() == 404);
  CHECK(w.finance.get("/v1/standalone-purchases/" + id).result_int() == 200);
  CHECK(body_of(w.buyer_b.get("/v1/standalone-purchases")).at("items").as_array().size() == 1);
  CHECK(body_of(w.officer.get("/v1/standalone-purchases?year=2026")).at("items").as_array().size() == 3);
  CHECK(body_of(w.officer.get("/v1/standalone-purchases?year=2025")).at("items").as_array().empty());
  CHECK(body_of(w.officer.get("/v1/standalone-purchases?member_id=" + std::to_string(w.a)))
            .at("items")
            .as_array()
            .size() == 2);
  CHECK(w.buyer_b.get("/v1/standalone-purchases?member_id=" + std::to_string(w.a)).result_int() == 404);
  CHECK(w.officer.get("/v1/standalone-purchases?year=1999").result_int() == 400);
  CHECK(w.officer.get("/v1/standalone-purchases?member_id=x").result_int() == 400);
  CHECK(w.officer.get("/v1/standalone-purchases?color=red").result_int() == 400);

  // Cancelling: a reason, by the member's buyer or an officer, once; audited.
  CHECK(w.buyer_b.post("/v1/standalone-purchases/" + id + "/cancel", json::object{{"reason", "erreur"}}).result_int() ==
        404);
  CHECK(w.buyer_a.post("/v1/standalone-purchases/" + id + "/cancel", json::object{}).result_int() == 400);
  CHECK(w.buyer_a.post("/v1/standalone-purchases/" + id + "/cancel", json::object{{"reason", " "}}).result_int() ==
        400);
  CHECK(w.buyer_a.post("/v1/standalone-purchases/" + id + "/cancel", json::object{{"reason", "erreur"}}, "\"v9\"")
            .result_int() == 412);
  auto cancelled = w.buyer_a.post("/v1/standalone-purchases/" + id + "/cancel",
                                  json::object{{"reason", "Saisi deux fois"}}, "\"v1\"");
  REQUIRE_MESSAGE(cancelled.result_int() == 200, cancelled.body());
  CHECK(body_of(cancelled).at("status").as_string() == "cancelled");
  CHECK(body_of(cancelled).at("cancel_reason").as_string() == "Saisi deux fois");
  auto twice = w.officer.post("/v1/standalone-purchases/" + id + "/cancel", json::object{{"reason", "encore"}});
  CHECK(twice.result_int() == 409);
  CHECK(has_code(twice, "standalone_purchase.already_cancelled"));
  CHECK(w.officer.post("/v1/standalone-purchases/99999/cancel", json::object{{"reason", "x"}}).result_int() == 404);
  CHECK(test::count_rows(*w.s.database, "audit_log WHERE entity = 'standalone_purchase'") == 4);
}

TEST_CASE("stand-alone purchases: bad input is a 400 in French with a stable code, never a 500, and writes nothing") {
  World w;
  const auto post_raw = [&](const std::string& body) {
    return w.buyer_a.send(http::verb::post, "/v1/standalone-purchases", body, {{"Content-Type", "application/json"}});
  };
  const std::vector<std::string> bodies = {
      "{",                                                                                  // malformed
      "[]",                                                                                 // not an object
      "{}",                                                                                 // everything missing
      R"({"cpv":"30192000-1","label":"x","amount":"1.00"})",                                // date missing
      R"({"cpv":30192000,"label":"x","amount":"1.00","purchased_on":"2026-01-01"})",        // wrong type
      R"({"cpv":"30192000-1","label":"x","amount":true,"purchased_on":"2026-01-01"})",      // wrong type
      R"({"cpv":"30192000-1","label":["x"],"amount":"1.00","purchased_on":"2026-01-01"})",  // wrong type
      R"({"cpv":"30192000-1","label":"x","amount":"0","purchased_on":"2026-01-01"})",       // out of range
      R"({"cpv":"30192000-1","label":"x","amount":"-5.00","purchased_on":"2026-01-01"})",   // out of range
      R"({"cpv":"30192000-1","label":"x","amount":"1.001","purchased_on":"2026-01-01"})",   // too many decimals
      R"({"cpv":"30192000-1","label":"x","amount":"1e5","purchased_on":"2026-01-01"})",     // exponent
      R"({"cpv":"30192000-1","label":"x","amount":"99999999999999999999","purchased_on":"2026-01-01"})",
      R"({"cpv":"30192000-1","label":"x","amount":"1000000000000.01","purchased_on":"2026-01-01"})",
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"2023-12-31"})",  // before the table
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"2026-02-30"})",  // no such day
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"01/02/2026"})",
      R"({"cpv":"'; DROP TABLE standalone_purchases; --","label":"x","amount":"1.00","purchased_on":"2026-01-01"})",
      R"({"cpv":"30192000-9","label":"x","amount":"1.00","purchased_on":"2026-01-01"})",  // wrong check digit
      R"({"cpv":"30192000-1","label":"","amount":"1.00","purchased_on":"2026-01-01"})",
      R"({"cpv":"30192000-1","label":"a\u0000b","amount":"1.00","purchased_on":"2026-01-01"})",
      R"({"cpv":"30192000-1","label":"<script>alert(1)</script>\u001b","amount":"1.00","purchased_on":"2026-01-01"})",
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"2026-01-01","member_id":"a"})",
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"2026-01-01","member_id":-1})",
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"2026-01-01","status":"cancelled"})",
      R"({"cpv":"30192000-1","label":"x","amount":"1.00","purchased_on":"2026-01-01","supplier_name":7})",
      "{\"cpv\":\"30192000-1\",\"label\":\"" + std::string(301, 'x') +
          "\",\"amount\":\"1.00\",\"purchased_on\":\"2026-01-01\"}",
      "{\"cpv\":\"30192000-1\",\"label\":\"x\",\"amount\":\"1.00\",\"purchased_on\":\"2026-01-01\",\"supplier_reference\":\"" +
          std::string(201, 'r') + "\"}",
  };
  for (const auto& body : bodies) {
    const auto reply = post_raw(body);
    CHECK_MESSAGE(reply.result_int() == 400, body, " → ", reply.body());
    if (reply.result_int() == 400) CHECK_MESSAGE(!codes_of(reply).empty(), body, " → ", reply.body());
  }
  // Not JSON at all.
  CHECK(w.buyer_a.send(http::verb::post, "/v1/standalone-purchases", "amount=1", {{"Content-Type", "text/plain"}})
            .result_int() == 415);
  CHECK(w.rows() == 0);
  CHECK(test::count_rows(*w.s.database, "audit_log WHERE entity = 'standalone_purchase'") == 0);
  // The messages are French.
  const auto problem = body_of(
      post_raw(R"({"cpv":"30192000-1","label":"x","amount":"0","purchased_on":"2026-01-01"})"));
  CHECK(std::string(problem.at("errors").at(0).at("message").as_string()).find("montant") != std::string::npos);
}

TEST_CASE("the yearly view: stand-alone purchases whose sum reaches the dispense, at the cent, per calendar year") {
  World w;
  // 2026 before April: the dispense is 40,000.00 € (R2122-8).
  REQUIRE(w.buyer_a.post("/v1/standalone-purchases", w.purchase("20000.00", "2026-01-15")).result_int() == 201);
  REQUIRE(w.buyer_a.post("/v1/standalone-purchases", w.purchase("19999.99", "2026-03-31", "30197000-6")).result_int() ==
          201);
  REQUIRE(w.buyer_a.post("/v1/standalone-purchases", w.purchase("30000.00", "2025-12-31")).result_int() == 201);
  auto under = w.finance.get("/v1/reports/splitting?year=2026");
  REQUIRE_MESSAGE(under.result_int() == 200, under.body());
  const auto under_body = body_of(under);
  const auto* row = row_of(under_body, "member", "30190000", w.a);
  REQUIRE(row != nullptr);
  CHECK(row->at("total").as_string() == "39999.99");
  CHECK(row->at("family_label").as_string() == "Machines, fournitures et équipement de bureau divers");
  CHECK(row->at("standalone_value").as_string() == "39999.99");
  CHECK(row->at("joint_value").as_string() == "0.00");
  CHECK(row->at("required_procedure").as_string() == "no_competition");
  CHECK(row->at("thresholds").at("no_competition").as_string() == "40000.00");
  CHECK(row->at("alert").is_null());
  CHECK(under_body.at("alerts").as_int64() == 0);

  // One cent more: 40,000.00 € — a MAPA was required.
  REQUIRE(w.buyer_a.post("/v1/standalone-purchases", w.purchase("0.01", "2026-02-01")).result_int() == 201);
  const auto crossed = body_of(w.finance.get("/v1/reports/splitting?year=2026"));
  row = row_of(crossed, "member", "30190000", w.a);
  REQUIRE(row != nullptr);
  CHECK(row->at("total").as_string() == "40000.00");
  CHECK(row->at("required_procedure").as_string() == "adapted");
  REQUIRE(row->at("alert").is_object());
  CHECK(row->at("alert").at("code").as_string() == "splitting.threshold_crossed");
  CHECK(row->at("alert").at("article").as_string() == "R2121-6, R2121-7");
  CHECK(std::string(row->at("alert").at("message").as_string()).find("R2121-7") != std::string::npos);
  CHECK(row->at("items").as_array().size() == 3);
  CHECK(crossed.at("alerts").as_int64() == 1);

  // 2025 holds only the 31 December purchase.
  const auto y2025 = body_of(w.officer.get("/v1/reports/splitting?year=2025"));
  CHECK(row_of(y2025, "member", "30190000", w.a)->at("total").as_string() == "30000.00");

  // Scope: member B's buyer and finance see B's rows only; asking for A is not found.
  CHECK(body_of(w.buyer_b.get("/v1/reports/splitting?year=2026")).at("rows").as_array().empty());
  CHECK(w.finance_b.get("/v1/reports/splitting?year=2026&member_id=" + std::to_string(w.a)).result_int() == 404);
  CHECK(body_of(w.buyer_a.get("/v1/reports/splitting?year=2026")).at("rows").as_array().size() == 1);
  CHECK(body_of(w.officer.get("/v1/reports/splitting?year=2026&member_id=" + std::to_string(w.b)))
            .at("rows")
            .as_array()
            .empty());

  // Bad parameters.
  for (const char* q : {"", "?year=", "?year=abc", "?year=2023", "?year=2100", "?year=2026&member_id=0",
                        "?year=2026&x=1", "?year=2026&year=2027", "?year=%00"}) {
    const auto reply = w.finance.get(std::string("/v1/reports/splitting") + q);
    CHECK_MESSAGE(reply.result_int() == 400, q, " → ", reply.body());
  }
  CHECK(has_code(w.finance.get("/v1/reports/splitting"), "splitting.year"));
  // 2028: no EU threshold is known yet (the built-in table ends in 2027) — a 400 naming the year, not a 500.
  REQUIRE(w.buyer_a.post("/v1/standalone-purchases", w.purchase("10.00", "2028-02-01")).result_int() == 201);
  const auto unknown = w.finance.get("/v1/reports/splitting?year=2028");
  CHECK(unknown.result_int() == 400);
  CHECK(has_code(unknown, "splitting.thresholds_unknown"));
  CHECK(w.admin.get("/v1/reports/splitting?year=2026").result_int() == 403);
}

TEST_CASE("the advice warns when the year's joint tenders of a family reach a threshold this one stays under") {
  World w;
  // Tender 1, paint (family 4481): A 1,000 l × 60 + B 1,000 l × 40 = 100,000.00 €, MAPA.
  w.need(w.a, "44810000-1", "1000", "l", "60");
  w.need(w.b, "44810000-1", "1000", "l", "40");
  auto first = w.tender();
  REQUIRE_MESSAGE(first.result_int() == 201, first.body());
  const auto first_path = "/v1/tenders/" + std::to_string(body_of(first).at("id").as_int64());
  CHECK(body_of(first).at("procedure").as_string() == "adapted");
  CHECK_FALSE(warned(body_of(w.officer.get(first_path + "/procedure"))));

  // Tender 2 of the same family: 2 × 1,000 l × 58 = 116,000.00 €; with tender 1, 216,000.00 € = the EU threshold of
  // 2027.
  w.need(w.a, "44810000-1", "1000", "l", "58");
  w.need(w.b, "44810000-1", "1000", "l", "58");
  auto proposal = w.officer.post("/v1/aggregations",
                                 json::object{{"options", json::object{{"contract_start", "2027-01-01"},
                                                                       {"launch_date", "2027-03-01"}}}});
  REQUIRE_MESSAGE(proposal.result_int() == 200, proposal.body());
  CHECK(warned(body_of(proposal).at("procedure")));
  auto second = w.tender();
  REQUIRE_MESSAGE(second.result_int() == 201, second.body());
  const auto second_body = body_of(second);
  const auto second_path = "/v1/tenders/" + std::to_string(second_body.at("id").as_int64());
  CHECK(second_body.at("procedure").as_string() == "adapted");  // a warning, not a change of procedure
  const auto advice = body_of(w.officer.get(second_path + "/procedure"));
  REQUIRE(warned(advice));
  for (const auto& warning : advice.at("warnings").as_array()) {
    if (warning.at("code").as_string() != "splitting.family_year_total") continue;
    const std::string message(warning.at("message").as_string());
    CHECK(warning.at("article").as_string() == "R2121-6, R2121-7");
    CHECK(message.find("4481") != std::string::npos);
    CHECK(message.find("216\u00a0000,00\u00a0€") != std::string::npos);
    CHECK(message.find("procédure formalisée") != std::string::npos);
  }
  CHECK(warned(body_of(w.officer.get(first_path + "/procedure"))));  // and the other way round

  // The year's view: the network row crosses it, both tenders under MAPA.
  const auto view = body_of(w.officer.get("/v1/reports/splitting?year=2027"));
  const auto* network = row_of(view, "joint", "44810000");
  REQUIRE(network != nullptr);
  CHECK(network->at("grouping_key").as_string() == "network");
  CHECK(network->at("total").as_string() == "216000.00");
  CHECK(network->at("alert").at("code").as_string() == "splitting.threshold_crossed");
  CHECK(row_of(view, "member", "44810000", w.a)->at("joint_value").as_string() == "118000.00");  // 60,000 + 58,000
  CHECK(row_of(view, "member", "44810000", w.a)->at("alert").is_null());

  // One cent under with the officer's estimate of tender 2's lot: no warning.
  const auto lot_id = second_body.at("lots").at(0).at("id").as_int64();
  auto patched = w.officer.patch(second_path,
                                 json::object{{"lots", json::array{json::object{{"id", json::value(lot_id)},
                                                                                {"officer_estimate", "115999.99"}}}}},
                                 std::string(second[http::field::etag]));
  REQUIRE_MESSAGE(patched.result_int() == 200, patched.body());
  CHECK_FALSE(warned(body_of(w.officer.get(second_path + "/procedure"))));
  CHECK(
      row_of(body_of(w.officer.get("/v1/reports/splitting?year=2027")), "joint", "44810000")->at("total").as_string() ==
      "215999.99");

  // Back at 116,000.00 €, then tender 1 cancelled: it no longer counts.
  patched = w.officer.patch(second_path,
                            json::object{{"lots", json::array{json::object{{"id", json::value(lot_id)},
                                                                           {"officer_estimate", "116000.00"}}}}},
                            std::string(patched[http::field::etag]));
  REQUIRE(patched.result_int() == 200);
  CHECK(warned(body_of(w.officer.get(second_path + "/procedure"))));
  REQUIRE(w.officer.send(http::verb::post, first_path + "/cancel").result_int() == 200);
  CHECK_FALSE(warned(body_of(w.officer.get(second_path + "/procedure"))));
}
