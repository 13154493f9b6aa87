// Bad input on every write route: the documented 4xx, the field named, and the
// database unchanged.
#include <doctest/doctest.h>

#include "adapters/db/tender_repository.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;
using test::http::verb;

namespace {

constexpr const char* kTables[] = {"members",      "users",       "suppliers", "needs",           "need_attributes",
                                   "tenders",      "criteria",    "lots",      "lot_lines",       "bids",
                                   "bid_tiers",    "bid_scores",  "awards",    "contracts",       "savings_lines",
                                   "shared_costs", "cost_splits", "audit_log", "idempotency_keys"};

std::map<std::string, int> snapshot(db::Database& database) {
  std::map<std::string, int> counts;
  auto c = database.acquire();
  REQUIRE(c.ok());
  for (const char* table : kTables) {
    int n = 0;
    c->sql() << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
    counts[table] = n;
  }
  return counts;
}

struct Case {
  verb method;
  std::string target;
  std::string body;
  unsigned status;
  std::string field;  // the field the problem must name ("" to skip)
  std::string content_type = "application/json";
};

}  // namespace

TEST_CASE("bad input on every write route gets its 4xx and changes nothing") {
  test::ApiServer s;
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const Call officer{s.client, s.user(Role::officer, std::nullopt, "officer@x.example")};
  const auto member = body_of(
      admin.post("/v1/members",
                 json::object{{"code", "OPAL"}, {"name", "OPAL"}, {"siren", "270200017"}, {"department", "02"}}));
  const auto other = body_of(
      admin.post("/v1/members",
                 json::object{{"code", "REIMS"}, {"name", "REIMS"}, {"siren", "270510027"}, {"department", "51"}}));
  const auto member_id = member.at("id").as_int64();
  const Call buyer{s.client, s.user(Role::buyer, member_id, "buyer@x.example")};
  const Call buyer_other{s.client, s.user(Role::buyer, other.at("id").as_int64(), "buyer2@x.example")};
  const auto supplier = body_of(
      officer.post("/v1/suppliers", json::object{{"name", "S"}, {"siret", "38901234500010"}, {"department", "02"}}));
  const auto good_need = test::need_body("44810000-1", "10", "l", "1.50");
  const auto need = body_of(buyer.post("/v1/needs", good_need));
  REQUIRE(buyer_other.post("/v1/needs", good_need).result() == test::http::status::created);
  const auto tender_reply = officer.post(
      "/v1/tenders",
      json::object{{"title", "T"},
                   {"coordinator_member_id", member_id},
                   {"criteria",
                    json::array{json::object{{"name", "prix"}, {"weight", 70}, {"price", true}},
                                json::object{{"name", "environnement"}, {"weight", 30}, {"environmental", true}}}},
                   {"bid_deadline", "2027-02-01T12:00:00Z"},
                   {"allotment_justification", "un lot"},
                   {"environmental_conditions", "clause environnementale"},
                   {"social_considerations", "clause sociale"},
                   {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"}}}}}});
  REQUIRE(tender_reply.result() == test::http::status::created);
  const auto tender = body_of(tender_reply);
  const std::string t = "/v1/tenders/" + std::to_string(tender.at("id").as_int64());
  const std::string lot = t + "/lots/" + std::to_string(tender.at("lots").at(0).at("id").as_int64());
  REQUIRE(officer.send(verb::post, t + "/publish").result() == test::http::status::ok);
  const auto bid = body_of(
      officer.post(lot + "/bids", json::object{{"supplier_id", supplier.at("id")}, {"unit_price", "1.2"}}));
  // created after the tender, so still editable (the first one is pooled)
  const auto editable = body_of(buyer.post("/v1/needs", good_need));
  const std::string need_path = "/v1/needs/" + std::to_string(editable.at("id").as_int64());
  const std::string pooled_path = "/v1/needs/" + std::to_string(need.at("id").as_int64());
  const std::string bid_path = "/v1/bids/" + std::to_string(bid.at("id").as_int64());
  const std::string member_path = "/v1/members/" + std::to_string(member_id);
  const std::string supplier_path = "/v1/suppliers/" + std::to_string(supplier.at("id").as_int64());
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const std::string huge_title = "{\"title\":\"" + std::string(5000, 'x') + "\"}";

  const auto before = snapshot(*s.database);
  const std::vector<std::pair<const Call*, Case>> cases = {
      // JSON itself
      {&admin, {verb::post, "/v1/members", "{", 400, "body"}},
      {&admin, {verb::post, "/v1/members", "[1,2]", 400, "body"}},
      {&admin, {verb::post, "/v1/members", deep, 400, "body"}},
      {&admin, {verb::post, "/v1/members", "{\"code\":\"X\"}", 415, "", "text/plain"}},
      {&admin,
       {verb::post, "/v1/members",
        "{\"zzz\":1,\"code\":\"X\",\"name\":\"X\",\"siren\":\"270600034\",\"department\":\"60\"}", 400, "zzz"}},
      // members
      {&admin,
       {verb::post, "/v1/members", "{\"code\":\"OISE\",\"name\":\"O\",\"siren\":\"270600035\",\"department\":\"60\"}",
        400, "siren"}},
      {&admin,
       {verb::post, "/v1/members", "{\"code\":\"OISE\",\"name\":\"O\",\"siren\":\"270600034\",\"department\":\"20\"}",
        400, "department"}},
      {&admin,
       {verb::post, "/v1/members", "{\"code\":7,\"name\":\"O\",\"siren\":\"270600034\",\"department\":\"60\"}", 400,
        "code"}},
      {&admin,
       {verb::post, "/v1/members", "{\"code\":\"OPAL\",\"name\":\"dup\",\"siren\":\"270600034\",\"department\":\"60\"}",
        409, ""}},
      {&admin, {verb::patch, member_path, "{\"siren\":\"123\"}", 400, "siren"}},
      {&admin, {verb::patch, member_path, "{\"active\":\"yes\"}", 400, "active"}},
      // users
      {&admin, {verb::post, "/v1/users", "{\"email\":\"a@b.c\",\"name\":\"n\",\"role\":\"king\"}", 400, "role"}},
      {&admin, {verb::post, "/v1/users", "{\"email\":\"no-at\",\"name\":\"n\",\"role\":\"officer\"}", 400, "email"}},
      {&admin,
       {verb::post, "/v1/users", "{\"email\":\"a@b.c\",\"name\":\"n\",\"role\":\"buyer\",\"member_id\":999}", 400,
        "member_id"}},
      {&admin, {verb::post, "/v1/users", "{\"email\":\"a@b.c\",\"name\":\"n\",\"role\":\"buyer\"}", 400, "member_id"}},
      // suppliers
      {&officer,
       {verb::post, "/v1/suppliers", "{\"name\":\"S2\",\"siret\":\"38901234500011\",\"department\":\"02\"}", 400,
        "siret"}},
      {&officer, {verb::patch, supplier_path, "{\"sme\":1}", 400, "sme"}},
      // needs
      {&buyer, {verb::post, "/v1/needs", "{\"cpv\":\"44810000-1\"}", 400, "title"}},
      {&buyer, {verb::post, "/v1/needs", huge_title, 400, "title"}},
      {&buyer, {verb::patch, need_path, "{\"quantity\":\"-1\"}", 400, "quantity"}},
      {&buyer, {verb::patch, need_path, "{\"quantity\":\"1.2345\"}", 400, "quantity"}},
      {&buyer, {verb::patch, need_path, "{\"quantity\":1.2345}", 400, "quantity"}},
      {&buyer, {verb::patch, need_path, "{\"quantity\":true}", 400, "quantity"}},
      {&buyer, {verb::patch, need_path, "{\"quantity\":\"1e3\"}", 400, "quantity"}},
      {&buyer, {verb::patch, need_path, "{\"reference_unit_price\":\"0.00001\"}", 400, "reference_unit_price"}},
      {&buyer, {verb::patch, need_path, "{\"cpv\":\"99999999-9\"}", 400, "cpv"}},
      {&buyer, {verb::patch, need_path, "{\"cpv\":\"' OR 1=1 --\"}", 400, "cpv"}},
      {&buyer, {verb::patch, need_path, "{\"period_start\":\"2027-02-30\"}", 400, "period_start"}},
      {&buyer, {verb::patch, need_path, "{\"period_end\":\"2026-01-01\"}", 400, "period_end"}},
      {&buyer, {verb::patch, need_path, "{\"attributes\":[1]}", 400, "attributes"}},
      {&buyer, {verb::patch, need_path, "{\"attributes\":{\"teinte\":5}}", 400, "attributes.teinte"}},
      {&buyer, {verb::patch, need_path, "{\"recurring\":\"oui\"}", 400, "recurring"}},
      {&buyer, {verb::patch, need_path, "{\"status\":\"awarded\"}", 400, "status"}},
      {&buyer,
       {verb::patch, need_path, "{\"title\":\"x\"}", 412, "", "application/json"}},  // stale If-Match added below
      {&buyer, {verb::post, "/v1/needs/import", "cpv,title\n44810000-1,x\n", 400, "header", "text/csv"}},
      {&buyer, {verb::post, "/v1/needs/import?status=done", "cpv\n", 400, "status", "text/csv"}},
      {&buyer, {verb::post, "/v1/needs/import", "{}", 415, ""}},
      {&buyer_other, {verb::delete_, need_path, "", 404, ""}},
      {&buyer, {verb::delete_, pooled_path, "", 409, ""}},
      {&buyer, {verb::patch, pooled_path, "{\"title\":\"x\"}", 409, ""}},
      // aggregations and tenders
      {&officer,
       {verb::post, "/v1/aggregations", "{\"options\":{\"duration_months\":0}}", 400, "options.duration_months"}},
      {&officer, {verb::post, "/v1/aggregations", "{\"filter\":{\"cpv_prefix\":\"44a\"}}", 400, "filter.cpv_prefix"}},
      {&officer,
       {verb::post, "/v1/aggregations", "{\"options\":{\"launch_date\":\"2020-01-01\"}}", 400, "options.launch_date"}},
      {&officer,
       {verb::post, "/v1/tenders",
        "{\"title\":\"T\",\"coordinator_member_id\":1,\"criteria\":[{\"name\":\"prix\",\"weight\":90,\"price\":true}],\"proposal\":{}}",
        400, "criteria"}},
      {&officer,
       {verb::post, "/v1/tenders",
        "{\"title\":\"T\",\"coordinator_member_id\":999,\"criteria\":[{\"name\":\"prix\",\"weight\":100,\"price\":true}],\"proposal\":{}}",
        400, "coordinator_member_id"}},
      {&officer, {verb::patch, t, "{\"price_formula\":\"cubic\"}", 400, "price_formula"}},
      {&officer, {verb::patch, t, "{\"bid_deadline\":\"tomorrow\"}", 400, "bid_deadline"}},
      {&officer,
       {verb::patch, t, "{\"criteria\":[{\"name\":\"prix\",\"weight\":100,\"price\":true,\"environmental\":true}]}",
        400, "criteria[0].environmental"}},
      {&officer,
       {verb::patch, t, "{\"criteria\":[{\"name\":\"coût\",\"weight\":100,\"life_cycle_cost\":\"oui\"}]}", 400,
        "criteria[0].life_cycle_cost"}},
      {&officer,
       {verb::patch, t, "{\"lots\":[{\"id\":1,\"officer_estimate\":\"0\"}]}", 400, "lots[0].officer_estimate"}},
      {&officer, {verb::patch, t, "{\"lots\":[{\"id\":1,\"officer_estimate\":12}]}", 400, "lots[0].officer_estimate"}},
      {&officer, {verb::patch, t, "{\"environmental_conditions\":42}", 400, "environmental_conditions"}},
      {&officer, {verb::patch, t, "{\"social_considerations\":\"\\u0007\"}", 400, "social_considerations"}},
      {&officer,
       {verb::patch, t, "{\"social_exception\":\"" + std::string(4001, 'x') + "\"}", 400, "social_exception"}},
      // thresholds
      {&admin,
       {verb::post, "/v1/thresholds",
        "{\"threshold\":\"eu_works\",\"from\":\"2028-01-01\",\"value\":\"-1\",\"source\":\"x\"}", 400, "value"}},
      {&admin,
       {verb::post, "/v1/thresholds",
        "{\"threshold\":\"' OR 1=1 --\",\"from\":\"2028-01-01\",\"value\":\"1\",\"source\":\"x\"}", 400, "threshold"}},
      {&admin,
       {verb::post, "/v1/thresholds",
        "{\"threshold\":\"eu_works\",\"from\":\"2028-13-01\",\"value\":\"1\",\"source\":\"x\"}", 400, "from"}},
      {&officer, {verb::post, t + "/close", "{\"now\":true}", 400, "now"}},
      {&officer, {verb::post, t + "/publish", "", 409, ""}},
      // bids
      {&officer, {verb::post, lot + "/bids", "{\"supplier_id\":99999,\"unit_price\":\"1\"}", 400, "supplier_id"}},
      {&officer,
       {verb::post, lot + "/bids", "{\"supplier_id\":1,\"tiers\":[{\"min_quantity\":\"5\",\"unit_price\":\"1\"}]}", 400,
        "tiers[0].min_quantity"}},
      {&officer,
       {verb::post, lot + "/bids", "{\"supplier_id\":1,\"tiers\":[{\"min_quantity\":\"0\",\"unit_price\":\"-1\"}]}",
        400, "tiers[0].unit_price"}},
      {&officer,
       {verb::post, lot + "/bids", "{\"supplier_id\":1,\"unit_price\":\"1\",\"tiers\":[]}", 400, "unit_price"}},
      {&officer, {verb::patch, bid_path, "{\"scores\":{\"environnement\":\"101\"}}", 400, "scores.environnement"}},
      {&officer, {verb::patch, bid_path, "{\"status\":\"maybe\"}", 400, "status"}},
      {&officer, {verb::patch, bid_path, "{\"justification\":\"perhaps\"}", 400, "justification"}},
      {&officer, {verb::patch, bid_path, "{\"status\":\"valid\"}", 400, "status"}},  // decisions have their own route
      // decisions on a bid
      {&officer, {verb::post, bid_path + "/decisions", "{}", 400, "decision"}},
      {&officer, {verb::post, bid_path + "/decisions", "{\"decision\":\"rejected\"}", 400, "decision"}},
      {&officer, {verb::post, bid_path + "/decisions", "{\"decision\":7}", 400, "decision"}},
      {&officer, {verb::post, bid_path + "/decisions", "{\"decision\":\"irregular\",\"reason\":42}", 400, "reason"}},
      {&officer,
       {verb::post, bid_path + "/decisions", "{\"decision\":\"explanations_requested\",\"deadline\":\"2027-02-30\"}",
        400, "deadline"}},
      {&officer,
       {verb::post, bid_path + "/decisions", "{\"decision\":\"explanations_received\",\"received_on\":[1]}", 400,
        "received_on"}},
      {&officer,
       {verb::post, bid_path + "/decisions", "{\"decision\":\"explanations_refused\",\"grounds\":\"1,2\"}", 400,
        "grounds"}},
      {&officer,
       {verb::post, bid_path + "/decisions", "{\"decision\":\"explanations_refused\",\"grounds\":[1,\"2\"]}", 400,
        "grounds[1]"}},
      {&officer,
       {verb::post, bid_path + "/decisions", "{\"decision\":\"explanations_refused\",\"grounds\":[9]}", 400,
        "grounds[0]"}},
      {&officer,
       {verb::post, bid_path + "/decisions", "{\"decision\":\"explanations_refused\",\"grounds\":[1,2,3,4,5,1]}", 400,
        "grounds"}},
      {&officer, {verb::post, bid_path + "/decisions", "{\"decision\":\"valid\",\"status\":\"valid\"}", 400, "status"}},
      {&officer, {verb::post, bid_path + "/decisions", "[\"valid\"]", 400, ""}},
      {&officer, {verb::post, bid_path + "/decisions", "{\"decision\":\"valid\"}", 409, ""}},  // tender not closed
      {&officer, {verb::post, "/v1/bids/999999/decisions", "{\"decision\":\"valid\"}", 404, ""}},
      // award and costs
      {&officer, {verb::post, lot + "/award", "{\"bid_id\":\"one\"}", 400, "bid_id"}},
      {&officer, {verb::post, lot + "/award", "{\"unsuccessful\":true}", 400, "reason"}},
      {&officer, {verb::post, lot + "/award", "{\"bid_id\":1}", 409, ""}},  // tender not closed
      {&officer, {verb::post, t + "/costs", "{\"label\":\"P\",\"amount\":\"-5\"}", 400, "amount"}},
      {&officer, {verb::post, t + "/costs", "{\"label\":\"P\",\"amount\":\"5\",\"key\":\"weight\"}", 400, "key"}},
      {&officer,
       {verb::post, t + "/costs", "{\"label\":\"P\",\"amount\":\"5\",\"key\":\"fixed\",\"shares\":{\"1\":\"60\"}}", 400,
        "shares"}},
      {&officer, {verb::post, t + "/costs", "{\"label\":\"P\",\"amount\":\"5.001\"}", 400, "amount"}},
      // a member id read whole: "1abc" was read as 1 by a prefix parser
      {&officer,
       {verb::post, t + "/costs", "{\"label\":\"P\",\"amount\":\"5\",\"key\":\"fixed\",\"shares\":{\"1abc\":\"100\"}}",
        400, "shares.1abc"}},
      {&officer,
       {verb::post, t + "/costs", "{\"label\":\"P\",\"amount\":\"5\",\"key\":\"fixed\",\"shares\":{\" 1\":\"100\"}}",
        400, "shares. 1"}},
      {&officer, {verb::delete_, t + "/costs/999999", "", 404, ""}},
      {&officer, {verb::delete_, t + "/costs/1", "{}", 400, "body"}},
  };
  for (const auto& [caller, c] : cases) {
    CAPTURE(c.target);
    CAPTURE(c.body.substr(0, 120));
    std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", c.content_type}};
    if (c.status == 412) headers.emplace_back("If-Match", "\"v99\"");
    const auto reply = caller->send(c.method, c.target, c.body, headers);
    CHECK_MESSAGE(reply.result_int() == c.status, reply.body());
    if (reply.result_int() >= 400) {
      CHECK(reply[test::http::field::content_type] == "application/problem+json");
      if (!c.field.empty()) {
        const auto problem = body_of(reply);
        bool named = false;
        bool coded = false;  // the named field error carries its stable code (issue 15, item 6)
        if (problem.as_object().contains("errors")) {
          for (const auto& e : problem.at("errors").as_array()) {
            if (e.at("field").as_string() != c.field) continue;
            named = true;
            coded = coded || (e.as_object().contains("code") && !e.at("code").as_string().empty());
          }
        }
        CHECK_MESSAGE(named, reply.body());
        CHECK_MESSAGE(coded, reply.body());
        CHECK_MESSAGE(problem.as_object().contains("code"), reply.body());
      }
    }
  }
  // Oversized body: refused from its Content-Length, before it is read.
  const auto refused = test::raw_exchange(s.client.port,
                                          "POST /v1/needs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + buyer.token +
                                              "\r\nContent-Type: application/json\r\n"
                                              "Content-Length: 1048600\r\n\r\n{");
  CHECK(refused.rfind("HTTP/1.1 413", 0) == 0);
  // A malformed If-Match
  CHECK(buyer.send(verb::patch, need_path, "{}", {{"If-Match", "version-3"}}).result_int() == 400);

  CHECK(snapshot(*s.database) == before);
}

TEST_CASE("hostile text is stored as text, never executed") {
  test::ApiServer s;
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = body_of(
      admin.post("/v1/members",
                 json::object{{"code", "OPAL"}, {"name", "OPAL"}, {"siren", "270200017"}, {"department", "02"}}));
  const Call buyer{s.client, s.user(Role::buyer, member.at("id").as_int64(), "buyer@x.example")};
  const std::string hostile = "'); DROP TABLE needs; -- <script>alert(1)</script> é\\\"";
  auto created = buyer.post("/v1/needs", json::object{{"cpv", "44810000-1"},
                                                      {"title", hostile},
                                                      {"quantity", 1},
                                                      {"unit", "l"},
                                                      {"reference_unit_price", 2.5},
                                                      {"department", "02"},
                                                      {"period_start", "2027-01-01"},
                                                      {"period_end", "2027-12-31"},
                                                      {"attributes", json::object{{"teinte", hostile}}}});
  REQUIRE(created.result_int() == 201);
  const auto need = body_of(buyer.get("/v1/needs/" + std::to_string(body_of(created).at("id").as_int64())));
  CHECK(need.at("title").as_string() == hostile);
  CHECK(need.at("attributes").at("teinte").as_string() == hostile);
  CHECK(need.at("quantity").as_string() == "1");  // JSON numbers accepted when exact
  CHECK(need.at("reference_unit_price").as_string() == "2.5000");
  CHECK(body_of(buyer.get("/v1/needs")).at("items").as_array().size() == 1);  // the table is still there
}

TEST_CASE("Idempotency-Key: a replay returns the first response; another body is refused") {
  test::ApiServer s;
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const std::string body = "{\"code\":\"OPAL\",\"name\":\"OPAL\",\"siren\":\"270200017\",\"department\":\"02\"}";
  const auto first = admin.send(verb::post, "/v1/members", body, {{"Idempotency-Key", "create-opal-1"}});
  REQUIRE(first.result_int() == 201);
  const auto again = admin.send(verb::post, "/v1/members", body, {{"Idempotency-Key", "create-opal-1"}});
  CHECK(again.result_int() == 201);
  CHECK(again.body() == first.body());
  CHECK(again["Idempotent-Replayed"] == "true");
  const auto different = admin.send(verb::post, "/v1/members",
                                    "{\"code\":\"REIMS\",\"name\":\"R\",\"siren\":\"270510027\",\"department\":\"51\"}",
                                    {{"Idempotency-Key", "create-opal-1"}});
  CHECK(different.result_int() == 422);
  CHECK(body_of(admin.get("/v1/members")).at("items").as_array().size() == 1);
  // a failed request frees its key
  const auto failed = admin.send(verb::post, "/v1/members", "{\"code\":\"X\"}", {{"Idempotency-Key", "k2"}});
  CHECK(failed.result_int() == 400);
  const auto retried = admin.send(verb::post, "/v1/members",
                                  "{\"code\":\"OISE\",\"name\":\"O\",\"siren\":\"270600034\",\"department\":\"60\"}",
                                  {{"Idempotency-Key", "k2"}});
  CHECK(retried.result_int() == 201);
  CHECK(admin.send(verb::post, "/v1/members", body, {{"Idempotency-Key", std::string(300, 'k')}}).result_int() == 400);
}

TEST_CASE("authentication failures: missing, malformed, unknown tokens") {
  test::ApiServer s;
  const auto missing = Call{s.client, ""}.get("/v1/me");
  CHECK(missing.result_int() == 401);
  CHECK(missing[test::http::field::www_authenticate].starts_with("Bearer"));
  CHECK(body_of(missing).at("code") == "auth.missing");
  const auto unknown = Call{s.client, "cnp_" + std::string(64, '0')}.get("/v1/me");
  CHECK(unknown.result_int() == 401);
  CHECK(body_of(unknown).at("code") == "auth.unknown_token");
  CHECK(std::string(body_of(unknown).at("detail").as_string()) == "jeton inconnu");
  const auto basic = Call{s.client, ""}.send(verb::get, "/v1/me", "", {{"Authorization", "Basic YWRtaW46YWRtaW4="}});
  CHECK(basic.result_int() == 401);
  CHECK(body_of(basic).at("code") == "auth.malformed");
  CHECK(Call{s.client, ""}
            .send(verb::get, "/v1/me", "", {{"Authorization", "Bearer " + std::string(400, 'a')}})
            .result_int() == 401);
  const auto ok = Call{s.client, s.user(Role::finance, std::nullopt, "f@x.example")}.get("/v1/me");
  CHECK(ok.result_int() == 200);
  CHECK(ok["X-Content-Type-Options"] == "nosniff");
  CHECK(ok[test::http::field::cache_control] == "no-store");
}
