// Issue 16 item 13 over HTTP, on both backends: the groupement de commandes convention
// (L2113-6 to L2113-8) — recorded, read, changed and signed; a tender belongs to one,
// leaves out the needs of members who had not signed, and publishes only when every
// member with a lot line signed by the launch date. The server's "today" is 2026-11-29.
#include <doctest/doctest.h>

#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::tender_path;
namespace json = boost::json;
using test::http::verb;

namespace {

std::string text(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }
std::string code_of(const test::Reply& r) { return text(body_of(r), "code"); }
std::string etag_of(const test::Reply& r) { return std::string(r.base()["ETag"]); }

struct World : test::TwoMembers {
  std::int64_t c = member("C", "270800014");

  json::object convention(json::array members, const char* reference = "GC-1") {
    return json::object{{"name", "Groupement test"},
                        {"reference", reference},
                        {"coordinator_member_id", a},
                        {"mission", "notification"},
                        {"scope", json::object{{"cpv_prefixes", json::array{"4481", "0931"}},
                                               {"start", "2026-01-01"},
                                               {"end", "2027-12-31"}}},
                        {"cost_key", "contract_value"},
                        {"members", std::move(members)}};
  }
  json::object signature(std::int64_t member_id, const char* on) {
    return {{"member_id", member_id}, {"signed_on", on}};
  }

  std::int64_t groupement(json::array members) {
    const auto reply = officer.post("/v1/groupements", convention(std::move(members)));
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return body_of(reply).at("id").as_int64();
  }

  // Paint of A, B and C (300, 700 and 500 l at 10 €).
  void paint() {
    need(a, "44810000-1", "300", "l", "10");
    need(b, "44810000-1", "700", "l", "10");
    need(c, "44810000-1", "500", "l", "10");
  }

  test::Reply create(json::object extra = {}) {
    json::object body{{"title", "Peintures"},
                      {"coordinator_member_id", a},
                      {"criteria",
                       json::array{json::object{{"name", "prix"}, {"weight", 60}, {"price", true}},
                                   json::object{{"name", "environnement"}, {"weight", 40}, {"environmental", true}}}},
                      {"bid_deadline", "2027-02-01T12:00:00Z"},
                      {"allotment_justification", "fourniture homogène"},
                      {"environmental_conditions", "Pots repris par le titulaire"},
                      {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"}}}}}};
    for (auto& [k, v] : extra) body[k] = v;
    return officer.post("/v1/tenders", body);
  }

  void today(const char* date) {
    const Date d = parse_date(date, "today").value();
    s.services.today = [d] { return d; };
  }
};

}  // namespace

TEST_CASE("groupements over HTTP: recorded, read by every role, changed with If-Match, signed; every write audited") {
  World w;
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const auto created = w.officer.post("/v1/groupements", w.convention({w.signature(w.a, "2026-01-05")}));
  REQUIRE_MESSAGE(created.result_int() == 201, created.body());
  CHECK(etag_of(created) == "\"v1\"");
  const auto g = body_of(created);
  const std::string path = "/v1/groupements/" + std::to_string(g.at("id").as_int64());
  CHECK(text(g, "mission") == "notification");
  CHECK(text(g, "cost_key") == "contract_value");
  CHECK(json::serialize(g.at("scope").at("cpv_prefixes")) == R"(["0931","4481"])");
  CHECK(text(g.at("scope"), "start") == "2026-01-01");
  REQUIRE(g.at("members").as_array().size() == 1);
  CHECK(text(g.at("members").at(0), "code") == "A");
  CHECK(g.at("members").at(0).at("coordinator").as_bool());
  CHECK(test::count_rows(db, "audit_log") == audit + 1);

  // Every role reads it.
  const Call buyer{w.s.client, w.s.user(Role::buyer, w.b, "buyer.g@x.example")};  // audited too
  CHECK(buyer.get(path).result_int() == 200);
  CHECK(body_of(buyer.get("/v1/groupements")).at("items").as_array().size() == 1);
  CHECK(buyer.post("/v1/groupements", w.convention({}, "GC-2")).result_int() == 403);

  // B signs today: allowed; C tomorrow: refused (a signature is a fact).
  const auto tomorrow = w.officer.post(path + "/members", w.signature(w.c, "2026-11-30"));
  CHECK(tomorrow.result_int() == 400);
  CHECK(code_of(tomorrow) == "groupement.signed_in_future");
  const auto signed_b = w.officer.post(path + "/members", w.signature(w.b, "2026-11-29"), "\"v1\"");
  REQUIRE_MESSAGE(signed_b.result_int() == 201, signed_b.body());
  CHECK(etag_of(signed_b) == "\"v2\"");
  CHECK(body_of(signed_b).at("members").as_array().size() == 2);
  const auto again = w.officer.post(path + "/members", w.signature(w.b, "2026-11-01"));
  CHECK(again.result_int() == 409);
  CHECK(code_of(again) == "groupement.member_duplicate");
  const auto stale_sign = w.officer.post(path + "/members", w.signature(w.c, "2026-11-01"), "\"v1\"");
  CHECK(stale_sign.result_int() == 412);
  const auto unknown = w.officer.post(path + "/members", w.signature(999999, "2026-11-01"));
  CHECK(unknown.result_int() == 400);
  CHECK(code_of(unknown) == "groupement.member_unknown");
  CHECK(test::count_rows(db, "audit_log") == audit + 3);

  // PATCH: If-Match, mission and scope; the coordinator must be a member.
  CHECK(w.officer.patch(path, json::object{{"mission", "execution"}}, "\"v1\"").result_int() == 412);
  const auto patched = w.admin.patch(path,
                                     json::object{{"mission", "execution"},
                                                  {"scope", json::object{{"cpv_prefixes", json::array{"44"}}}}},
                                     "\"v2\"");
  REQUIRE_MESSAGE(patched.result_int() == 200, patched.body());
  CHECK(text(body_of(patched), "mission") == "execution");
  CHECK(json::serialize(body_of(patched).at("scope").at("cpv_prefixes")) == R"(["44"])");
  CHECK(text(body_of(patched).at("scope"), "end") == "2027-12-31");  // untouched
  const auto outsider = w.officer.patch(path, json::object{{"coordinator_member_id", w.c}});
  CHECK(outsider.result_int() == 400);
  CHECK(code_of(outsider) == "groupement.coordinator_not_member");
  CHECK(w.officer.patch(path, json::object{{"coordinator_member_id", w.b}}).result_int() == 200);
  CHECK(test::count_rows(db, "audit_log") == audit + 5);

  // A second convention cannot take the same reference.
  const auto taken = w.officer.post("/v1/groupements", w.convention({w.signature(w.a, "2026-01-05")}));
  CHECK(taken.result_int() == 409);
  CHECK(code_of(taken) == "groupement.reference_taken");
  CHECK(w.officer.get("/v1/groupements/999999").result_int() == 404);
  CHECK(w.officer.get("/v1/groupements/abc").result_int() == 404);
}

TEST_CASE("groupements over HTTP: bad and hostile input is a 400 in French with codes, the database unchanged") {
  World w;
  auto& db = *w.s.database;
  const auto g = w.groupement({w.signature(w.a, "2026-01-05")});
  const std::string path = "/v1/groupements/" + std::to_string(g);
  const auto with = [&](const char* key, json::value v) {
    auto body = w.convention({w.signature(w.a, "2026-01-05")}, "GC-X");
    body[key] = std::move(v);
    return json::serialize(body);
  };
  const auto scope = [&](json::value prefixes, json::value start, json::value end) {
    return with("scope", json::object{{"cpv_prefixes", std::move(prefixes)},
                                      {"start", std::move(start)},
                                      {"end", std::move(end)}});
  };
  struct Case {
    verb method;
    std::string target;
    std::string body;
    std::string field;
    std::string code;
  };
  const std::vector<Case> cases = {
      {verb::post, "/v1/groupements", "{", "body", "input.malformed_json"},
      {verb::post, "/v1/groupements", "[]", "body", "input.not_object"},
      {verb::post, "/v1/groupements", "{}", "name", "input.required"},
      {verb::post, "/v1/groupements", with("name", ""), "name", "groupement.text.invalid"},
      {verb::post, "/v1/groupements", with("name", 12), "name", "input.not_text"},
      {verb::post, "/v1/groupements",
       with("name",
            "a\x01"
            "b"),
       "name", "groupement.text.invalid"},
      {verb::post, "/v1/groupements", with("reference", json::string(std::string(51, 'r'))), "reference",
       "groupement.text.invalid"},
      {verb::post, "/v1/groupements", with("reference", json::string(std::string(100000, 'r'))), "reference",
       "input.too_long"},
      {verb::post, "/v1/groupements", with("mission", "tout"), "mission", "groupement.mission.unknown"},
      {verb::post, "/v1/groupements", with("cost_key", "surface"), "cost_key", "groupement.cost_key.unknown"},
      {verb::post, "/v1/groupements", with("coordinator_member_id", "1"), "coordinator_member_id", ""},
      {verb::post, "/v1/groupements", with("coordinator_member_id", 0), "coordinator_member_id", ""},
      {verb::post, "/v1/groupements", with("coordinator_member_id", 1e300), "coordinator_member_id", ""},
      {verb::post, "/v1/groupements", with("coordinator_member_id", w.b), "coordinator_member_id",
       "groupement.coordinator_not_member"},
      {verb::post, "/v1/groupements", with("scope", "0931"), "scope", "input.not_object"},
      {verb::post, "/v1/groupements",
       with("scope",
            json::object{
                {"cpv_prefixes", json::array{"0931"}}, {"start", "2026-01-01"}, {"end", "2027-12-31"}, {"x", 1}}),
       "scope.x", "input.unknown_field"},
      {verb::post, "/v1/groupements", scope(json::array{}, "2026-01-01", "2027-12-31"), "scope.cpv_prefixes",
       "groupement.scope.empty"},
      {verb::post, "/v1/groupements", scope("0931", "2026-01-01", "2027-12-31"), "scope.cpv_prefixes",
       "input.not_list"},
      {verb::post, "/v1/groupements", scope(json::array{931}, "2026-01-01", "2027-12-31"), "scope.cpv_prefixes[0]",
       "input.not_text"},
      {verb::post, "/v1/groupements", scope(json::array{"09a1"}, "2026-01-01", "2027-12-31"), "scope.cpv_prefixes[0]",
       "groupement.scope.invalid"},
      {verb::post, "/v1/groupements", scope(json::array{"0931'; DROP TABLE members;--"}, "2026-01-01", "2027-12-31"),
       "scope.cpv_prefixes[0]", "groupement.scope.invalid"},
      {verb::post, "/v1/groupements", scope(json::array{"0931", "0931"}, "2026-01-01", "2027-12-31"),
       "scope.cpv_prefixes[1]", "groupement.scope.duplicate"},
      {verb::post, "/v1/groupements", scope(json::array{"0931"}, "2026-02-30", "2027-12-31"), "scope.start",
       "input.not_date"},
      {verb::post, "/v1/groupements", scope(json::array{"0931"}, "2027-01-01", "2026-12-31"), "scope.end",
       "groupement.period.invalid"},
      {verb::post, "/v1/groupements", scope(json::array{"0931"}, nullptr, "2026-12-31"), "scope.start",
       "input.required"},
      {verb::post, "/v1/groupements", with("members", json::object{}), "members", "input.not_list"},
      {verb::post, "/v1/groupements", with("members", json::array{1}), "members[0]", "input.not_object"},
      {verb::post, "/v1/groupements", with("members", json::array{json::object{{"member_id", w.a}}}),
       "members[0].signed_on", "input.required"},
      {verb::post, "/v1/groupements",
       with("members", json::array{w.signature(w.a, "2026-01-05"), w.signature(w.a, "2026-01-06")}),
       "members[1].member_id", "groupement.member_duplicate"},
      {verb::post, "/v1/groupements", with("members", json::array{w.signature(w.a, "2027-01-05")}),
       "members[0].signed_on", "groupement.signed_in_future"},
      {verb::post, "/v1/groupements", with("extra", true), "extra", "input.unknown_field"},
      {verb::patch, path, R"({"members":[]})", "members", "input.unknown_field"},
      {verb::patch, path, R"({"mission":null})", "mission", "input.null"},
      {verb::patch, path, R"({"scope":null})", "scope", "input.null"},
      {verb::patch, path, R"({"scope":{"end":"2025-12-31"}})", "scope.end", "groupement.period.invalid"},
      {verb::post, path + "/members", R"({"member_id":"2","signed_on":"2026-01-01"})", "member_id", ""},
      {verb::post, path + "/members", R"({"member_id":2,"signed_on":"01/01/2026"})", "signed_on", "input.not_date"},
      {verb::post, path + "/members", R"({"member_id":2})", "signed_on", "input.required"},
  };
  const auto groupements = test::count_rows(db, "groupements");
  const auto members = test::count_rows(db, "groupement_members");
  const auto audit = test::count_rows(db, "audit_log");
  const auto before = w.officer.get(path).body();
  for (const auto& c : cases) {
    CAPTURE(c.target);
    CAPTURE(c.body.substr(0, 200));
    const auto reply = w.officer.send(c.method, c.target, c.body, {{"Content-Type", "application/json"}});
    CHECK(reply.result_int() == 400);
    CHECK(std::string(reply.base()["Content-Type"]) == "application/problem+json");
    const auto problem = body_of(reply);
    bool named = false, coded = c.code.empty();
    for (const auto& e : problem.at("errors").as_array()) {
      if (text(e, "field") == c.field) {
        named = true;
        if (!c.code.empty() && e.as_object().contains("code") && text(e, "code") == c.code) coded = true;
      }
    }
    CHECK_MESSAGE(named, reply.body());
    CHECK_MESSAGE(coded, reply.body());
  }
  CHECK(test::count_rows(db, "groupements") == groupements);
  CHECK(test::count_rows(db, "groupement_members") == members);
  CHECK(test::count_rows(db, "audit_log") == audit);
  CHECK(w.officer.get(path).body() == before);
}

TEST_CASE(
    "groupement tenders over HTTP: needs of members who did not sign are left out; the launch at the exact dates") {
  World w;
  w.paint();
  // A signed early, B today (2026-11-29); C never.
  const auto g = w.groupement({w.signature(w.a, "2026-01-05"), w.signature(w.b, "2026-11-29")});
  auto& db = *w.s.database;

  // Once a convention is recorded, a groupement tender names one.
  const auto missing = w.create();
  CHECK(missing.result_int() == 400);
  CHECK(code_of(missing) == "groupement.required");
  const auto centrale = w.create({{"vehicle", "centrale"}, {"groupement_id", g}});
  CHECK(centrale.result_int() == 400);
  CHECK(code_of(centrale) == "groupement.not_for_centrale");
  const auto mismatch = w.create({{"groupement_id", g}, {"coordinator_member_id", w.b}});
  CHECK(mismatch.result_int() == 400);
  CHECK(code_of(mismatch) == "groupement.coordinator_mismatch");
  CHECK(text(body_of(mismatch).at("errors").at(0), "message").find("L2113-7") != std::string::npos);
  const auto unknown = w.create({{"groupement_id", 999999}});
  CHECK(unknown.result_int() == 400);
  CHECK(code_of(unknown) == "groupement.unknown");
  CHECK(w.create({{"groupement_id", "1"}}).result_int() == 400);
  CHECK(test::count_rows(db, "tenders") == 0);

  // Created on 2026-11-29: B signed that day and is in; C's need is left out, with its reason.
  const auto created = w.create({{"groupement_id", g}});
  REQUIRE_MESSAGE(created.result_int() == 201, created.body());
  const auto tender = body_of(created);
  CHECK(tender.at("groupement_id").as_int64() == g);
  CHECK(text(tender.at("groupement"), "name") == "Groupement test");
  CHECK(tender.at("groupement").at("members").as_array().size() == 2);
  REQUIRE(tender.at("lots").as_array().size() == 1);
  CHECK(text(tender.at("lots").at(0), "quantity") == "1000");  // 300 + 700 l, without C's 500
  CHECK(text(tender.at("lots").at(0), "estimated_value") == "10000.00");
  const auto& excluded = tender.at("excluded_needs").as_array();
  REQUIRE(excluded.size() == 1);
  CHECK(excluded.at(0).at("member_id").as_int64() == w.c);
  CHECK(text(excluded.at(0), "reason") == "groupement.not_member");
  const auto t = tender_path(created);
  CHECK(text(body_of(w.officer.get(t)).at("groupement").at("members").at(1), "signed_on") == "2026-11-29");

  // The coordinator no longer changes while the tender runs.
  const std::string gpath = "/v1/groupements/" + std::to_string(g);
  const auto locked = w.officer.patch(gpath, json::object{{"coordinator_member_id", w.b}});
  CHECK(locked.result_int() == 409);
  CHECK(code_of(locked) == "groupement.coordinator_locked");

  // A tender of the groupement does not become a centrale's.
  const auto to_centrale = w.officer.patch(t, json::object{{"vehicle", "centrale"}});
  CHECK(to_centrale.result_int() == 400);
  CHECK(code_of(to_centrale) == "groupement.not_for_centrale");
  CHECK(text(body_of(w.officer.get(t)), "vehicle") == "groupement");

  // The notice would be sent on 2026-11-28, the day before B signed: refused.
  w.today("2026-11-28");
  const auto early = w.officer.send(verb::post, t + "/publish");
  CHECK(early.result_int() == 409);
  CHECK(code_of(early) == "groupement.member_not_joined");
  CHECK(text(body_of(early), "detail").find("L2113-6") != std::string::npos);
  CHECK(text(body_of(w.officer.get(t)), "status") == "draft");
  // Sent on 2026-11-29, the day B signed: allowed.
  w.today("2026-11-29");
  const auto published = w.officer.send(verb::post, t + "/publish");
  REQUIRE_MESSAGE(published.result_int() == 200, published.body());
  CHECK(text(body_of(published), "launch_date") == "2026-11-29");

  // The notice lists every member as a buyer, the coordinator as procuring entity.
  const auto ocds = body_of(w.officer.get(t + "/ocds"));
  const auto& release = ocds.at("releases").at(0);
  int buyers = 0;
  for (const auto& p : release.at("parties").as_array()) {
    for (const auto& r : p.at("roles").as_array()) buyers += r.is_string() && r.as_string() == "buyer" ? 1 : 0;
  }
  CHECK(buyers == 2);
  CHECK(text(release.at("tender").at("procuringEntity"), "name") == "A");
}

TEST_CASE("groupement tenders over HTTP: a tender outside the scope or the period is refused") {
  World w;
  w.paint();
  w.need(w.a, "09310000-5", "100", "MWh", "150");
  w.need(w.b, "09310000-5", "100", "MWh", "150");
  auto body = w.convention({w.signature(w.a, "2026-01-05"), w.signature(w.b, "2026-01-05")});
  body["scope"] = json::object{{"cpv_prefixes", json::array{"0931"}}, {"start", "2026-01-01"}, {"end", "2026-12-31"}};
  const auto created = w.officer.post("/v1/groupements", body);
  REQUIRE(created.result_int() == 201);
  const auto g = body_of(created).at("id").as_int64();
  const auto paint = w.create(
      {{"groupement_id", g},
       {"proposal", json::object{{"filter", json::object{{"cpv_prefix", "4481"}}},
                                 {"options", json::object{{"contract_start", "2027-01-01"}}}}}});
  CHECK(paint.result_int() == 409);
  CHECK(code_of(paint) == "groupement.out_of_scope");
  // Planned on 2027-01-04, after the period's end.
  const auto late = w.create({{"groupement_id", g},
                              {"launch_date", "2027-01-04"},
                              {"proposal", json::object{{"filter", json::object{{"cpv_prefix", "0931"}}},
                                                        {"options", json::object{{"contract_start", "2027-01-01"}}}}}});
  CHECK(late.result_int() == 409);
  CHECK(code_of(late) == "groupement.out_of_period");
  CHECK(test::count_rows(*w.s.database, "tenders") == 0);
  const auto electricity = w.create(
      {{"groupement_id", g},
       {"proposal", json::object{{"filter", json::object{{"cpv_prefix", "0931"}}},
                                 {"options", json::object{{"contract_start", "2027-01-01"}}}}}});
  CHECK_MESSAGE(electricity.result_int() == 201, electricity.body());
}

TEST_CASE("groupement tenders over HTTP: a network without conventions creates its tenders as before") {
  World w;
  w.paint();
  const auto created = w.create();
  REQUIRE_MESSAGE(created.result_int() == 201, created.body());
  CHECK(body_of(created).at("groupement_id").is_null());
  CHECK(body_of(created).at("groupement").is_null());
  CHECK(body_of(created).at("excluded_needs").as_array().empty());
  CHECK(w.officer.send(verb::post, tender_path(created) + "/publish").result_int() == 200);
}
