// Issue 16 items 4, 5, 7 and 8 over HTTP, on both backends: award criteria and the
// law of 21 August 2026 (L2152-7, R2152-7, R2152-9), sincere estimates (R2121-1),
// works, supplies and services from the CPV, thresholds as dated settings (R2122-8,
// R2123-1, R2124-1). Refusals name the rule's code; the database is unchanged by them.
// The server's "today" is 2026-11-29 (tests/support/api_server.hpp).
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::field_codes;
using test::tender_path;
namespace json = boost::json;
using test::http::verb;

namespace {

struct World : test::TwoMembers {
  test::Reply create(json::array criteria, json::object extra = {}, json::object options = {}) {
    options["contract_start"] = "2027-01-01";
    json::object body{{"title", "Consultation"},
                      {"coordinator_member_id", a},
                      {"criteria", std::move(criteria)},
                      {"bid_deadline", "2027-02-01T12:00:00Z"},
                      {"allotment_justification", "fourniture homogène"},
                      {"environmental_conditions", "clause environnementale"},
                      {"social_considerations", "clause sociale"},
                      {"proposal", json::object{{"options", std::move(options)}}}};
    for (auto& [k, v] : extra) body[k] = v;
    return officer.post("/v1/tenders", body);
  }
};

json::object criterion(const char* name, int weight, json::object flags = {}) {
  json::object c{{"name", name}, {"weight", weight}};
  for (auto& [k, v] : flags) c[k] = v;
  return c;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("criteria over HTTP: price and environmental on one criterion is refused, nothing written") {
  World w;
  w.need(w.a, "44810000-1", "500", "l", "10");
  w.need(w.b, "44810000-1", "500", "l", "10");
  auto& db = *w.s.database;
  const auto tenders = test::count_rows(db, "tenders");
  const auto audit = test::count_rows(db, "audit_log");
  const auto refused = w.create(json::array{criterion("prix", 100, {{"price", true}, {"environmental", true}})});
  CHECK(refused.result_int() == 400);
  CHECK(has(field_codes(refused), "criteria.price_environmental"));
  CHECK(test::count_rows(db, "tenders") == tenders);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // The same on a draft's PATCH: 400 and the criteria unchanged.
  const auto created = w.create(
      json::array{criterion("prix", 70, {{"price", true}}), criterion("environnement", 30, {{"environmental", true}})});
  REQUIRE(created.result_int() == 201);
  const auto t = tender_path(created);
  const auto patched = w.officer.patch(
      t, json::object{{"criteria", json::array{criterion("prix", 100, {{"price", true}, {"environmental", true}})}}});
  CHECK(patched.result_int() == 400);
  CHECK(has(field_codes(patched), "criteria.price_environmental"));
  const auto after = body_of(w.officer.get(t));
  CHECK(after.at("criteria").as_array().size() == 2);
  CHECK(after.at("version").as_int64() == body_of(created).at("version").as_int64());
}

TEST_CASE("criteria over HTTP: a single criterion from 21/08/2026 only if it is the life-cycle cost") {
  World w;
  // Each tender pools the needs submitted at its creation: two fresh ones before each.
  const auto fresh = [&] {
    w.need(w.a, "44810000-1", "300", "l", "10");
    w.need(w.b, "44810000-1", "700", "l", "10");
  };
  fresh();

  // The old rules (a single price criterion until 2026-08-20) cannot be reached by
  // back-dating the launch: a planned launch before the creation is refused, and
  // publication sets the launch to the day the notice is sent (engine tests cover
  // both sides of the date).
  const auto back_dated = w.create(json::array{criterion("prix", 100, {{"price", true}})},
                                   {{"launch_date", "2026-08-20"}});
  CHECK(back_dated.result_int() == 400);
  CHECK(body_of(back_dated).at("errors").at(0).at("code").as_string() == "tender.launch_date.before_creation");

  // Launched now (after 2026-08-21): refused at publication with the rule's code; still a draft.
  const auto single_price = w.create(json::array{criterion("prix", 100, {{"price", true}})}, {});
  REQUIRE(single_price.result_int() == 201);
  const auto refused = w.officer.send(verb::post, tender_path(single_price) + "/publish");
  CHECK(refused.result_int() == 409);
  CHECK(body_of(refused).at("code").as_string() == "criteria.single_not_life_cycle_cost");
  CHECK(std::string(body_of(refused).at("errors").at(0).at("message").as_string()).find("R2152-7") !=
        std::string::npos);
  CHECK(body_of(w.officer.get(tender_path(single_price))).at("status").as_string() == "draft");

  fresh();
  // A single life-cycle cost criterion publishes, and reads back as such.
  const auto lcc = w.create(json::array{criterion("coût du cycle de vie", 100, {{"life_cycle_cost", true}})});
  REQUIRE(lcc.result_int() == 201);
  CHECK(body_of(lcc).at("criteria").at(0).at("life_cycle_cost").as_bool());
  CHECK_FALSE(body_of(lcc).at("criteria").at(0).at("price").as_bool());
  CHECK(w.officer.send(verb::post, tender_path(lcc) + "/publish").result_int() == 200);

  fresh();
  // Several criteria without an environmental one: refused from 21/08/2026.
  const auto no_environment = w.create(
      json::array{criterion("prix", 60, {{"price", true}}), criterion("technique", 40)});
  REQUIRE(no_environment.result_int() == 201);
  const auto refused2 = w.officer.send(verb::post, tender_path(no_environment) + "/publish");
  CHECK(refused2.result_int() == 409);
  CHECK(body_of(refused2).at("code").as_string() == "criteria.environmental_missing");
}

TEST_CASE("criteria over HTTP: a life-cycle cost criterion is scored from the bid's price") {
  World w;
  w.need(w.a, "44810000-1", "500", "l", "10");
  w.need(w.b, "44810000-1", "500", "l", "10");
  const auto created = w.create(
      json::array{criterion("coût", 70, {{"life_cycle_cost", true}}), criterion("technique", 30)});
  REQUIRE(created.result_int() == 201);
  const auto t = tender_path(created);
  const auto lot = t + "/lots/" + std::to_string(body_of(created).at("lots").at(0).at("id").as_int64());
  REQUIRE(w.officer.send(verb::post, t + "/publish").result_int() == 200);
  std::vector<std::int64_t> bids;
  for (auto [siret, price, technique] :
       {std::tuple{"38901234500010", "10", "50"}, std::tuple{"41234567000019", "12.5", "100"}}) {
    const auto supplier = body_of(
        w.officer.post("/v1/suppliers", json::object{{"name", siret}, {"siret", siret}, {"department", "02"}}));
    // The cost criterion takes no score: only "technique" is a scored criterion.
    const auto reply = w.officer.post(lot + "/bids", json::object{{"supplier_id", supplier.at("id").as_int64()},
                                                                  {"unit_price", price},
                                                                  {"scores", json::object{{"technique", technique}}}});
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    bids.push_back(body_of(reply).at("id").as_int64());
  }
  REQUIRE(
      w.officer.post(t + "/close", json::object{{"reason", "les deux offres attendues sont reçues"}}).result_int() ==
      200);
  for (auto id : bids) {
    REQUIRE(w.officer.post("/v1/bids/" + std::to_string(id) + "/decisions", json::object{{"decision", "valid"}})
                .result_int() == 200);
  }
  const auto evaluation = body_of(w.officer.get(t + "/evaluation"));
  const auto& ranked = evaluation.at("lots").at(0).at("bids").as_array();
  REQUIRE(ranked.size() == 2);
  // 12,500 €: cost 100 × 10,000 / 12,500 = 80 → 56 + 30 = 86; 10,000 €: 70 + 15 = 85.
  CHECK(ranked.at(0).at("bid_id").as_int64() == bids[1]);
  CHECK(ranked.at(0).at("weighted_total").as_string() == "86.0000");
  CHECK(ranked.at(1).at("weighted_total").as_string() == "85.0000");
}

TEST_CASE("criteria over HTTP: bad input on the criterion type, nothing written") {
  World w;
  w.need(w.a, "44810000-1", "500", "l", "10");
  w.need(w.b, "44810000-1", "500", "l", "10");
  auto& db = *w.s.database;
  const auto tenders = test::count_rows(db, "tenders");
  const std::vector<json::array> bad = {
      json::array{criterion("coût", 100, {{"life_cycle_cost", "yes"}})},                  // wrong type
      json::array{criterion("coût", 100, {{"life_cycle_cost", 1}})},                      // wrong type
      json::array{criterion("coût", 100, {{"life_cycle_cost", true}, {"price", true}})},  // both
      json::array{criterion("coût", 50, {{"life_cycle_cost", true}}),
                  criterion("prix", 50, {{"price", true}})},                                  // two costs
      json::array{criterion("coût", 100, {{"life_cycle_cost", "true"}})},                     // a string
      json::array{criterion("<script>", 100, {{"life_cycle_cost", true}, {"cycle", true}})},  // unknown field
  };
  for (const auto& criteria : bad) {
    CAPTURE(json::serialize(criteria));
    const auto reply = w.create(criteria);
    CHECK(reply.result_int() == 400);
    CHECK(body_of(reply).at("type").as_string() == "urn:canopee:problem:validation");
  }
  CHECK(test::count_rows(db, "tenders") == tenders);
}

TEST_CASE("estimate over HTTP: no reference is no estimate; the officer's estimate decides (R2121-1)") {
  World w;
  w.need(w.a, "44810000-1", "300", "l", "0");
  w.need(w.b, "44810000-1", "700", "l", "0");
  const auto created = w.create(
      json::array{criterion("prix", 60, {{"price", true}}), criterion("environnement", 40, {{"environmental", true}})});
  REQUIRE(created.result_int() == 201);
  const auto t = tender_path(created);
  const auto lot_id = body_of(created).at("lots").at(0).at("id").as_int64();
  CHECK(body_of(created).at("lots").at(0).at("estimated_value").as_string() == "0.00");
  CHECK(body_of(created).at("lots").at(0).at("officer_estimate").is_null());
  CHECK(body_of(created).at("procedure").as_string() == "no_competition");

  // The advice warns; publication is refused with the rule's code, the tender stays a draft.
  const auto advice = body_of(w.officer.get(t + "/procedure"));
  const auto& warnings = advice.at("warnings").as_array();
  CHECK(std::any_of(warnings.begin(), warnings.end(), [](const json::value& v) {
    return v.at("code").as_string() == "estimate_missing" && v.at("article").as_string() == "R2121-1";
  }));
  const auto refused = w.officer.send(verb::post, t + "/publish");
  CHECK(refused.result_int() == 409);
  CHECK(body_of(refused).at("code").as_string() == "estimate.missing");
  CHECK(test::first_error_field(refused) == "lots[0].officer_estimate");
  CHECK(body_of(w.officer.get(t)).at("status").as_string() == "draft");

  // Bad input on the estimate: 400, nothing changed.
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const auto version = body_of(w.officer.get(t)).at("version").as_int64();
  for (const json::value& bad : std::vector<json::value>{json::value("0"), json::value("0.00"), json::value("-5"),
                                                         json::value(250000), json::value("abc"), json::value("1e5"),
                                                         json::value("1.001"), json::value("99999999999999999999"),
                                                         json::value(true), json::value("<script>alert(1)</script>")}) {
    CAPTURE(json::serialize(bad));
    const auto reply = w.officer.patch(t, json::object{{"lots", json::array{json::object{{"id", lot_id},
                                                                                         {"officer_estimate", bad}}}}});
    CHECK(reply.result_int() == 400);
    CHECK(test::first_error_field(reply) == "lots[0].officer_estimate");
  }
  CHECK(w.officer.patch(t, json::object{{"lots", json::array{json::object{{"id", lot_id}, {"estimate", "1.00"}}}}})
            .result_int() == 400);
  CHECK(w.officer.patch(t, json::object{{"lots", json::array{json::value("x")}}}).result_int() == 400);
  CHECK(w.officer
            .patch(t, json::object{{"lots",
                                    json::array{json::object{{"id", lot_id + 1000}, {"officer_estimate", "1.00"}}}}})
            .result_int() == 400);
  CHECK(test::count_rows(db, "audit_log") == audit);
  CHECK(body_of(w.officer.get(t)).at("version").as_int64() == version);

  // 216,000 € is the EU threshold for supplies in 2026: the procedure becomes formal.
  const auto set = w.officer.patch(
      t, json::object{{"lots", json::array{json::object{{"id", lot_id}, {"officer_estimate", "216000.00"}}}}});
  REQUIRE_MESSAGE(set.result_int() == 200, set.body());
  CHECK(body_of(set).at("lots").at(0).at("officer_estimate").as_string() == "216000.00");
  CHECK(body_of(set).at("lots").at(0).at("estimated_value").as_string() == "0.00");  // the references, unchanged
  CHECK(body_of(set).at("procedure").as_string() == "formal");
  const auto after = body_of(w.officer.get(t + "/procedure"));
  CHECK(after.at("procedure").as_string() == "formal");
  CHECK(std::none_of(after.at("warnings").as_array().begin(), after.at("warnings").as_array().end(),
                     [](const json::value& v) { return v.at("code").as_string() == "estimate_missing"; }));
  // One cent less: adapted; null clears it and the lot is unestimated again.
  const auto below = w.officer.patch(
      t, json::object{{"lots", json::array{json::object{{"id", lot_id}, {"officer_estimate", "215999.99"}}}}});
  REQUIRE(below.result_int() == 200);
  CHECK(body_of(below).at("procedure").as_string() == "adapted");
  const auto cleared = w.officer.patch(
      t, json::object{{"lots", json::array{json::object{{"id", lot_id}, {"officer_estimate", nullptr}}}}});
  REQUIRE(cleared.result_int() == 200);
  CHECK(body_of(cleared).at("lots").at(0).at("officer_estimate").is_null());
  CHECK(w.officer.send(verb::post, t + "/publish").result_int() == 409);
  REQUIRE(w.officer
              .patch(t, json::object{{"lots",
                                      json::array{json::object{{"id", lot_id}, {"officer_estimate", "216000.00"}}}}})
              .result_int() == 200);
  CHECK(w.officer.send(verb::post, t + "/publish").result_int() == 200);
}

TEST_CASE("kind over HTTP: derived from the CPV, the main object decides, a mix and a mismatch are warned") {
  World w;
  // Painting works (45442100, works): 2 × 600 m2 at 50 € = 60,000 €; paint (44810000,
  // supplies): 2 × 500 l at 10 € = 10,000 €. Declared "supplies".
  w.need(w.a, "45442100-8", "600", "m2", "50");
  w.need(w.b, "45442100-8", "600", "m2", "50");
  w.need(w.a, "44810000-1", "500", "l", "10");
  w.need(w.b, "44810000-1", "500", "l", "10");
  const auto proposal = w.officer.post("/v1/aggregations",
                                       json::object{{"options", json::object{{"kind", "supplies"},
                                                                             {"contract_start", "2027-01-01"}}}});
  REQUIRE_MESSAGE(proposal.result_int() == 200, proposal.body());
  const auto advice = body_of(proposal).at("procedure");
  CHECK(body_of(proposal).at("estimated_total").as_string() == "70000.00");
  CHECK(advice.at("kind").as_string() == "works");
  // 70,000 € is under the works dispense (100,000 €, R2122-8) — over the supplies one (60,000 €).
  CHECK(advice.at("procedure").as_string() == "no_competition");
  CHECK(advice.at("no_competition_threshold").as_string() == "100000.00");
  std::vector<std::string> codes;
  for (const auto& v : advice.at("warnings").as_array()) codes.emplace_back(v.at("code").as_string());
  CHECK(has(codes, "kind_mixed"));
  CHECK(has(codes, "kind_mismatch"));

  // The tender takes the main object's kind; its own advice no longer disagrees.
  const auto created = w.create(json::array{criterion("prix", 60, {{"price", true}}),
                                            criterion("environnement", 40, {{"environmental", true}})},
                                {}, {{"kind", "supplies"}});
  REQUIRE_MESSAGE(created.result_int() == 201, created.body());
  CHECK(body_of(created).at("kind").as_string() == "works");
  CHECK(body_of(created).at("procedure").as_string() == "no_competition");
  const auto stored = body_of(w.officer.get(tender_path(created) + "/procedure"));
  std::vector<std::string> stored_codes;
  for (const auto& v : stored.at("warnings").as_array()) stored_codes.emplace_back(v.at("code").as_string());
  CHECK(has(stored_codes, "kind_mixed"));
  CHECK_FALSE(has(stored_codes, "kind_mismatch"));
}

TEST_CASE("thresholds over HTTP: the 2028 values added as settings make the advice work again, audited") {
  World w;
  w.need(w.a, "44810000-1", "1000", "l", "109");
  w.need(w.b, "44810000-1", "1000", "l", "109");
  auto& db = *w.s.database;
  const json::object in_2028{
      {"options", json::object{{"contract_start", "2027-01-01"}, {"launch_date", "2028-01-01"}}}};
  // No EU threshold is known for 2028: the advice is refused, naming the launch date.
  const auto before = w.officer.post("/v1/aggregations", in_2028);
  CHECK(before.result_int() == 400);
  CHECK(test::first_error_field(before) == "options.launch_date");

  // The built-in table, listed with its origin.
  const auto listed = body_of(w.officer.get("/v1/thresholds"));
  const auto& items = listed.at("items").as_array();
  CHECK(std::any_of(items.begin(), items.end(), [](const json::value& v) {
    return v.at("threshold").as_string() == "no_competition_works" && v.at("from").as_string() == "2024-01-01" &&
           v.at("until").as_string() == "2025-12-31" && v.at("value").as_string() == "100000.00" &&
           v.at("origin").as_string() == "built_in";
  }));

  const auto audit = test::count_rows(db, "audit_log");
  const json::object row{{"threshold", "eu_supplies_services"},
                         {"from", "2028-01-01"},
                         {"until", "2029-12-31"},
                         {"value", "221000.00"},
                         {"source", "Règlement délégué (UE) 2027/xxx (hypothétique)"}};
  const auto added = w.admin.post("/v1/thresholds", row);
  REQUIRE_MESSAGE(added.result_int() == 201, added.body());
  CHECK(body_of(added).at("origin").as_string() == "setting");
  CHECK(body_of(added).at("value").as_string() == "221000.00");
  CHECK(test::count_rows(db, "threshold_settings") == 1);
  CHECK(test::count_rows(db, "audit_log") == audit + 1);

  // 2 × 1,000 l at 109 € = 218,000 €: below 221,000 € in 2028, adapted.
  const auto after = w.officer.post("/v1/aggregations", in_2028);
  REQUIRE_MESSAGE(after.result_int() == 200, after.body());
  CHECK(body_of(after).at("procedure").at("eu_threshold").as_string() == "221000.00");
  CHECK(body_of(after).at("procedure").at("procedure").as_string() == "adapted");
  // 2027-12-31 is still the built-in 216,000 €: 218,000 € is formal.
  const auto in_2027 = w.officer.post("/v1/aggregations",
                                      json::object{{"options", json::object{{"contract_start", "2027-01-01"},
                                                                            {"launch_date", "2027-12-31"}}}});
  REQUIRE(in_2027.result_int() == 200);
  CHECK(body_of(in_2027).at("procedure").at("procedure").as_string() == "formal");

  // The same threshold and day again: 409 with its code, nothing written.
  const auto again = w.admin.post("/v1/thresholds", row);
  CHECK(again.result_int() == 409);
  CHECK(body_of(again).at("code").as_string() == "thresholds.duplicate");
  CHECK(test::count_rows(db, "threshold_settings") == 1);
  CHECK(test::count_rows(db, "audit_log") == audit + 1);
}

TEST_CASE("thresholds over HTTP: bad input is refused (400) and nothing is written") {
  World w;
  auto& db = *w.s.database;
  const auto rows = test::count_rows(db, "threshold_settings");
  const auto audit = test::count_rows(db, "audit_log");
  const json::object good{{"threshold", "eu_works"},
                          {"from", "2028-01-01"},
                          {"value", "5600000.00"},
                          {"source", "règlement"}};
  const auto with = [&](const char* key, json::value value) {
    json::object o = good;
    o[key] = std::move(value);
    return o;
  };
  const auto without = [&](const char* key) {
    json::object o = good;
    o.erase(key);
    return o;
  };
  const std::vector<std::pair<json::object, std::string>> bad = {
      {with("threshold", "eu_everything"), "threshold"},
      {with("threshold", 3), "threshold"},
      {with("from", "2028-02-30"), "from"},
      {with("from", "01/01/2028"), "from"},
      {with("from", "2023-12-31"), "from"},    // before the table's first day
      {with("until", "2027-12-31"), "until"},  // before from
      {with("value", "0"), "value"},
      {with("value", "0.00"), "value"},
      {with("value", "-1"), "value"},
      {with("value", "abc"), "value"},
      {with("value", "1.001"), "value"},
      {with("value", 5600000), "value"},
      {with("value", "9999999999999999999999"), "value"},
      {with("source", ""), "source"},
      {with("source", json::value(std::string(301, 'x'))), "source"},
      {with("source", nullptr), "source"},
      {with("extra", "<script>"), "extra"},
      {without("threshold"), "threshold"},
      {without("from"), "from"},
      {without("value"), "value"},
      {json::object{
           {"threshold", "small_lots_share_percent"}, {"from", "2028-01-01"}, {"value", "101"}, {"source", "x"}},
       "value"},
      {json::object{
           {"threshold", "small_lots_share_percent"}, {"from", "2028-01-01"}, {"value", "20.5"}, {"source", "x"}},
       "value"},
  };
  for (const auto& [body, field] : bad) {
    CAPTURE(json::serialize(body));
    const auto reply = w.admin.post("/v1/thresholds", body);
    CHECK(reply.result_int() == 400);
    CHECK(test::first_error_field(reply) == field);
  }
  CHECK(w.admin.send(verb::post, "/v1/thresholds", "{not json").result_int() == 400);
  CHECK(w.admin.send(verb::post, "/v1/thresholds", "[]").result_int() == 400);
  CHECK(w.officer.post("/v1/thresholds", good).result_int() == 403);
  CHECK(test::count_rows(db, "threshold_settings") == rows);
  CHECK(test::count_rows(db, "audit_log") == audit);
  // The percentage is an integer; a valid one is accepted.
  const auto share = w.admin.post("/v1/thresholds", json::object{{"threshold", "small_lots_share_percent"},
                                                                 {"from", "2028-01-01"},
                                                                 {"value", "20"},
                                                                 {"source", "CCP R2123-1 2°"}});
  CHECK(share.result_int() == 201);
  CHECK(body_of(share).at("value").as_string() == "20");
}
