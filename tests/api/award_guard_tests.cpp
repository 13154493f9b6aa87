// Issue 16, item 1 over HTTP: an award never passes over a better-ranked bid that
// has no final decision (L2152-6, R2152-1 to R2152-4; CJEU C-599/10). The 409
// names each such bid as "bids[<id>]"; the database is unchanged by a refusal.
// One paint lot of 1,000 l (A 300 l, B 700 l); criteria price 60, technique 30,
// environment 10; bids score 50 on environment and 50 on technique unless said,
// so the cheaper ranks higher; bids equal in everything tie (a draw settles them).
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support/api_server.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::field_messages;
using test::first_error_code;
using test::problem_code;
namespace json = boost::json;
using test::http::verb;

namespace {

struct PaintLot {
  test::ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  Call officer{s.client, s.user(Role::officer, std::nullopt, "officer@x.example")};
  std::string t, lot;
  std::vector<std::int64_t> suppliers;

  PaintLot() {
    const auto member = [&](const char* code, const char* siren) {
      return test::id_of(test::post_member(admin, code, siren));
    };
    const auto a = member("A", "270200017");
    const auto b = member("B", "270510027");
    const auto need = [&](std::int64_t m, const char* email, const char* quantity) {
      const Call buyer{s.client, s.user(Role::buyer, m, email)};
      const auto reply = buyer.post("/v1/needs", test::need_body("44810000-1", quantity, "l", "10"));
      REQUIRE(reply.result_int() == 201);
    };
    need(a, "buyer.a@x.example", "300");
    need(b, "buyer.b@x.example", "700");
    const auto reply = officer.post(
        "/v1/tenders",
        json::object{{"title", "Peintures"},
                     {"coordinator_member_id", a},
                     {"criteria",
                      json::array{json::object{{"name", "prix"}, {"weight", 60}, {"price", true}},
                                  json::object{{"name", "technique"}, {"weight", 30}},
                                  json::object{{"name", "environnement"}, {"weight", 10}, {"environmental", true}}}},
                     {"bid_deadline", "2027-02-01T12:00:00Z"},
                     {"allotment_justification", "fourniture homogène"},
                     {"environmental_conditions", "clause environnementale"},
                     {"social_considerations", "clause sociale"},
                     {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"}}}}}});
    REQUIRE(reply.result_int() == 201);
    const auto tender = body_of(reply);
    REQUIRE(tender.at("lots").as_array().size() == 1);
    t = "/v1/tenders/" + std::to_string(tender.at("id").as_int64());
    lot = t + "/lots/" + std::to_string(tender.at("lots").at(0).at("id").as_int64());
    REQUIRE(officer.send(verb::post, t + "/publish").result_int() == 200);
    for (const char* siret : {"38901234500010", "41234567000019", "73282932000074", "55208131766522"}) {
      const auto supplier = officer.post("/v1/suppliers",
                                         json::object{{"name", siret}, {"siret", siret}, {"department", "02"}});
      REQUIRE(supplier.result_int() == 201);
      suppliers.push_back(body_of(supplier).at("id").as_int64());
    }
  }

  // A bid as received; "valid" ones are declared regular once the tender closes.
  std::int64_t bid(std::size_t supplier, const char* unit_price, const char* regularity, const char* technique = "50") {
    const auto reply = officer.post(lot + "/bids", json::object{{"supplier_id", suppliers.at(supplier)},
                                                                {"unit_price", unit_price},
                                                                {"scores", json::object{{"technique", technique},
                                                                                        {"environnement", "50"}}}});
    REQUIRE(reply.result_int() == 201);
    const auto id = body_of(reply).at("id").as_int64();
    if (std::string_view(regularity) == "valid") regular.push_back(id);
    return id;
  }

  void close() {
    REQUIRE(
        officer.post(t + "/close", json::object{{"reason", "toutes les offres attendues sont reçues"}}).result_int() ==
        200);
    for (auto id : regular) decide(id, json::object{{"decision", "valid"}});
  }

  void decide(std::int64_t bid_id, json::object body) {
    const auto reply = officer.post("/v1/bids/" + std::to_string(bid_id) + "/decisions", body);
    REQUIRE_MESSAGE(reply.result_int() == 200, reply.body());
  }

  std::vector<std::int64_t> regular;

  test::Reply award(std::int64_t bid_id) { return officer.post(lot + "/award", json::object{{"bid_id", bid_id}}); }
};

bool starts(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("award over HTTP: refused while a better-ranked bid has no final decision, each one named") {
  PaintLot w;
  // Totals 10,000 € ×3 and 8,709 €: m1 = m2 = 9,677.25 €; 8,709 < 0.9 × 9,677.25 = 8,709.525: flagged.
  // Technique 50, 45, 40 at the same price: no tie among the 10 € bids.
  const auto first = w.bid(0, "10", "valid");
  const auto received = w.bid(1, "10", "received", "45");
  const auto third = w.bid(2, "10", "valid", "40");
  const auto low = w.bid(3, "8.709", "valid");
  w.close();
  const auto evaluation = body_of(w.officer.get(w.t + "/evaluation"));
  const auto& ranked = evaluation.at("lots").at(0).at("bids").as_array();
  REQUIRE(ranked.size() == 4);
  CHECK(ranked.at(0).at("bid_id").as_int64() == low);
  CHECK(ranked.at(0).at("abnormally_low").as_bool());
  CHECK(ranked.at(1).at("bid_id").as_int64() == first);
  CHECK(ranked.at(2).at("bid_id").as_int64() == received);
  CHECK(ranked.at(3).at("bid_id").as_int64() == third);

  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const auto refused = w.award(third);
  CHECK(refused.result_int() == 409);
  const auto problem = body_of(refused);
  CHECK(problem.at("type").as_string() == "urn:canopee:problem:conflict");
  CHECK(problem.at("code").as_string() == "award.better_bid_undecided");
  CHECK(problem.at("errors").at(0).at("code").as_string() == "award.block.abnormally_low_not_requested");
  CHECK(problem.at("errors").at(1).at("code").as_string() == "award.block.regularity_undecided");
  CHECK(std::string(problem.at("detail").as_string()).find("L2152-6") != std::string::npos);
  const auto errors = field_messages(refused);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].first == "bids[" + std::to_string(low) + "]");
  CHECK(starts(errors[0].second, "classée 1re : offre paraissant anormalement basse, sans demande d’explications"));
  CHECK(errors[0].second.find("C-599/10") != std::string::npos);
  CHECK(errors[1].first == "bids[" + std::to_string(received) + "]");
  CHECK(starts(errors[1].second, "classée 3e : régularité non décidée"));
  CHECK(errors[1].second.find("R2152-1") != std::string::npos);
  CHECK(test::count_rows(db, "awards") == 0);
  CHECK(test::count_rows(db, "contracts") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // Explanations asked, not decided yet: still refused.
  w.decide(low, json::object{{"decision", "explanations_requested"},
                             {"request", "Justifiez votre prix de 8,709 € le litre."},
                             {"deadline", "2099-12-31"}});
  const auto asked = field_messages(w.award(first));
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].first == "bids[" + std::to_string(low) + "]");
  CHECK(starts(asked[0].second, "classée 1re : examen du prix sans décision"));
  CHECK(asked[0].second.find("R2152-4") != std::string::npos);

  SUBCASE("justification refused and the bid rejected: the next bid is awarded") {
    w.decide(low, json::object{{"decision", "explanations_received"}, {"received_on", "2026-11-29"}});
    w.decide(low, json::object{{"decision", "explanations_refused"},
                               {"reason", "Le prix n’est pas justifié."},
                               {"grounds", json::array{1, 2}}});
    CHECK(w.award(third).result_int() == 409);  // the received bid still ranks above it
    const auto awarded = w.award(first);
    REQUIRE(awarded.result_int() == 200);
    CHECK(body_of(awarded).at("lots").at(0).at("status").as_string() == "awarded");
    const auto contracts = body_of(w.officer.get("/v1/contracts"));
    std::vector<std::string> amounts;
    for (const auto& c : contracts.at("items").as_array()) amounts.emplace_back(c.at("amount").as_string());
    std::sort(amounts.begin(), amounts.end());
    CHECK(amounts == std::vector<std::string>{"3000.00", "7000.00"});  // 300 l and 700 l × 10.00 €
  }
  SUBCASE("justification accepted: the bid competes normally and ranks first, so it wins") {
    w.decide(low, json::object{{"decision", "explanations_received"}, {"received_on", "2026-11-29"}});
    w.decide(low,
             json::object{{"decision", "explanations_accepted"}, {"reason", "Un stock acheté à bas prix, justifié."}});
    const auto over = w.award(first);
    CHECK(over.result_int() == 409);
    CHECK(body_of(over).at("code").as_string() == "award.better_bid_awardable");
    REQUIRE(w.award(low).result_int() == 200);
    const auto contracts = body_of(w.officer.get("/v1/contracts"));
    std::vector<std::string> amounts;
    for (const auto& c : contracts.at("items").as_array()) amounts.emplace_back(c.at("amount").as_string());
    std::sort(amounts.begin(), amounts.end());
    CHECK(amounts == std::vector<std::string>{"2612.70", "6096.30"});  // 300 l and 700 l × 8.709 €
  }
}

TEST_CASE("award over HTTP: just above the abnormally-low line, the cheaper bid ranks first and must be awarded") {
  PaintLot w;
  // 8,710 € ≥ 0.9 × 9,677.50 = 8,709.75 €: not flagged.
  const auto first = w.bid(0, "10", "valid");
  w.bid(1, "10", "valid", "45");
  const auto cheaper = w.bid(2, "8.71", "valid");
  w.bid(3, "10", "valid", "40");
  w.close();
  const auto refused = w.award(first);
  CHECK(refused.result_int() == 409);
  CHECK(body_of(refused).at("code").as_string() == "award.better_bid_awardable");
  CHECK(body_of(refused).at("errors").at(0).at("field").as_string() == "bid_id");
  CHECK(w.award(cheaper).result_int() == 200);
}

TEST_CASE("award over HTTP: tied bids are drawn by lot, the draw recorded, never the order of entry") {
  PaintLot w;
  // Two bids equal in everything (10 €, technique 50): the heaviest criterion (price)
  // does not separate them. A third at 10 € with technique 40 ranks 3rd.
  const auto first = w.bid(0, "10", "valid");
  const auto second = w.bid(1, "10", "valid");
  const auto third = w.bid(2, "10", "valid", "40");
  auto& db = *w.s.database;
  CHECK(body_of(w.officer.get(w.t)).at("tie_break").as_string() == "heaviest_criterion");
  // The tie-break was announced: it cannot change once the tender is published.
  const auto changed = w.officer.patch(w.t, json::object{{"tie_break", "lowest_price"}});
  CHECK(changed.result_int() == 409);
  // No draw before the bids are opened.
  CHECK(w.officer
            .post(w.lot + "/draws",
                  json::object{{"method", "manual"}, {"order", json::array{second, first}}, {"minutes", "PV"}})
            .result_int() == 409);
  w.close();

  auto evaluation = body_of(w.officer.get(w.t + "/evaluation")).at("lots").at(0);
  const auto& bids = evaluation.at("bids").as_array();
  CHECK(bids.at(0).at("rank").as_int64() == 1);
  CHECK(bids.at(1).at("rank").as_int64() == 1);
  CHECK(bids.at(2).at("rank").as_int64() == 3);
  CHECK(bids.at(0).at("tie").as_string() == "draw_needed");
  CHECK(bids.at(0).at("reason_code").as_string() == "bid.tie.draw_needed");
  CHECK(bids.at(0).at("tied_with") == json::array{second});
  CHECK(evaluation.at("ties_to_draw") == json::array{json::array{first, second}});

  // Neither tied bid can be awarded, nor the third passed over them.
  const auto tied = w.award(first);
  CHECK(tied.result_int() == 409);
  CHECK(body_of(tied).at("code").as_string() == "award.bid_not_awardable");
  CHECK(body_of(tied).at("errors").at(0).at("code").as_string() == "bid.tie.draw_needed");
  const auto passed_over = w.award(third);
  CHECK(passed_over.result_int() == 409);
  CHECK(body_of(passed_over).at("errors").at(0).at("code").as_string() == "award.block.draw_needed");

  // Bad draws change nothing.
  const auto audit = test::count_rows(db, "audit_log");
  const auto draw = [&](json::value body) { return w.officer.post(w.lot + "/draws", body); };
  CHECK(
      draw(json::object{{"method", "manual"}, {"order", json::array{first, third}}, {"minutes", "PV"}}).result_int() ==
      409);
  CHECK(
      problem_code(draw(json::object{{"method", "manual"}, {"order", json::array{first, third}}, {"minutes", "PV"}})) ==
      "draw.not_a_tie");
  CHECK(problem_code(draw(json::object{{"method", "manual"}, {"order", json::array{first}}, {"minutes", "PV"}})) ==
        "draw.order_too_short");
  CHECK(
      problem_code(draw(json::object{{"method", "manual"}, {"order", json::array{first, first}}, {"minutes", "PV"}})) ==
      "draw.order_duplicate");
  const auto no_minutes = draw(
      json::object{{"method", "manual"}, {"order", json::array{second, first}}, {"minutes", " \u00a0"}});
  CHECK(no_minutes.result_int() == 400);
  CHECK(problem_code(no_minutes) == "draw.minutes_missing");
  CHECK(first_error_code(draw(json::object{{"method", "manual"}, {"minutes", "PV"}})) == "input.required");
  CHECK(first_error_code(
            draw(json::object{{"method", "dice"}, {"order", json::array{second, first}}, {"minutes", "PV"}})) ==
        "input.not_in_list");
  CHECK(first_error_code(draw(json::object{{"method", "manual"}, {"order", "1,2"}, {"minutes", "PV"}})) ==
        "input.not_list");
  CHECK(
      first_error_code(draw(json::object{{"method", "manual"}, {"order", json::array{"1", -2}}, {"minutes", "PV"}})) ==
      "input.not_integer");
  CHECK(first_error_code(
            draw(json::object{{"method", "manual"}, {"order", json::array{second, first}}, {"minutes", 12}})) ==
        "input.not_text");
  CHECK(first_error_code(draw(json::object{
            {"method", "manual"}, {"order", json::array{second, first}}, {"minutes", "PV"}, {"winner", first}})) ==
        "input.unknown_field");
  CHECK(w.officer.send(verb::post, w.lot + "/draws", "{\"method\":").result_int() == 400);
  CHECK(w.officer
            .post(w.t + "/lots/999999/draws",
                  json::object{{"method", "manual"}, {"order", json::array{second, first}}, {"minutes", "PV"}})
            .result_int() == 404);
  CHECK(test::count_rows(db, "lot_draws") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // Dodging the draw by moving a mark a hundredth needs a recorded reason after the opening.
  const auto bid_path = "/v1/bids/" + std::to_string(first);
  const auto nudged = w.officer.patch(bid_path, json::object{{"scores", json::object{{"technique", "50.01"},
                                                                                     {"environnement", "50"}}}});
  CHECK(nudged.result_int() == 400);
  CHECK(body_of(nudged).at("code").as_string() == "bid.scores.reason_required");
  const auto typed = w.officer.patch(bid_path, json::object{{"scores", json::object{{"technique", "50.01"},
                                                                                    {"environnement", "50"}}},
                                                            {"reason", 12}});
  CHECK(typed.result_int() == 400);
  CHECK(body_of(typed).at("errors").at(0).at("code").as_string() == "input.not_text");
  CHECK(test::count_rows(db, "audit_log") == audit);

  // The draw, by hand: the second bid was drawn first.
  const auto recorded = draw(
      json::object{{"method", "manual"},
                   {"order", json::array{second, first}},
                   {"minutes", "Tirage au sort le 30 novembre 2026 en commission, deux billets."}});
  REQUIRE_MESSAGE(recorded.result_int() == 201, recorded.body());
  const auto stored = body_of(recorded);
  CHECK(stored.at("order") == json::array{second, first});
  CHECK(stored.at("method").as_string() == "manual");
  CHECK(stored.at("author_name").as_string() != "");
  CHECK(test::count_rows(db, "audit_log") == audit + 1);
  const auto listed = body_of(w.officer.get(w.lot + "/draws")).at("items").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed.at(0).at("id") == stored.at("id"));

  evaluation = body_of(w.officer.get(w.t + "/evaluation")).at("lots").at(0);
  CHECK(evaluation.at("bids").at(0).at("bid_id").as_int64() == second);
  CHECK(evaluation.at("bids").at(0).at("tie").as_string() == "draw");
  CHECK(evaluation.at("bids").at(0).at("draw_id") == stored.at("id"));
  CHECK(evaluation.at("bids").at(1).at("rank").as_int64() == 2);
  CHECK(evaluation.at("ties_to_draw").as_array().empty());
  // Drawn, the marks of the lot's bids are frozen, even with a reason.
  const auto frozen = w.officer.patch(bid_path, json::object{{"scores", json::object{{"technique", "50.01"},
                                                                                     {"environnement", "50"}}},
                                                             {"reason", "erreur de report"}});
  CHECK(frozen.result_int() == 409);
  CHECK(body_of(frozen).at("code").as_string() == "bid.scores_frozen_by_draw");
  // No second draw of a settled tie.
  CHECK(problem_code(draw(json::object{{"method", "electronic"}, {"minutes", "PV"}})) == "draw.not_a_tie");
  CHECK(problem_code(w.award(first)) == "award.better_bid_awardable");
  REQUIRE(w.award(second).result_int() == 200);
  CHECK(test::count_rows(db, "contracts") == 2);
}

TEST_CASE("award over HTTP: an electronic draw orders the tied bids at random, among exactly those bids") {
  PaintLot w;
  const auto a = w.bid(0, "10", "valid");
  const auto b = w.bid(1, "10", "valid");
  const auto c = w.bid(2, "10", "valid");
  w.bid(3, "12", "valid");
  w.close();
  const auto reply = w.officer.post(w.lot + "/draws", json::object{{"method", "electronic"},
                                                                   {"minutes", "Tirage électronique en séance."}});
  REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
  const auto drawn = body_of(reply).at("order").as_array();
  std::vector<std::int64_t> ids;
  for (const auto& id : drawn) ids.push_back(id.as_int64());
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::int64_t>{a, b, c});
  CHECK(body_of(reply).at("method").as_string() == "electronic");
  const auto evaluation = body_of(w.officer.get(w.t + "/evaluation")).at("lots").at(0).at("bids").as_array();
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(evaluation.at(i).at("bid_id") == drawn.at(i));
    CHECK(evaluation.at(i).at("rank").as_int64() == static_cast<std::int64_t>(i + 1));
  }
  CHECK(w.award(drawn.at(0).as_int64()).result_int() == 200);
}

TEST_CASE("award over HTTP: the tie-break setting accepts only the rules the product knows") {
  PaintLot w;
  CHECK(body_of(w.officer.get(w.t)).at("tie_break").as_string() == "heaviest_criterion");
  const auto bad = w.officer.patch(w.t, json::object{{"tie_break", "receipt_order"}});
  CHECK(bad.result_int() == 400);
  CHECK(body_of(bad).at("errors").at(0).at("field").as_string() == "tie_break");
}

TEST_CASE("award over HTTP: an eliminated bid keeps its flag and marks, and neither blocks nor wins the award") {
  PaintLot w;
  // Totals 10,000, 10,500 and 6,000 €: m1 = m2 = 8,833.33 €; 6,000 < 0.9 × m2 = 7,950: flagged.
  const auto first = w.bid(0, "10", "valid");
  const auto second = w.bid(1, "10.5", "valid");
  const auto low = w.bid(2, "6", "received");
  w.close();
  w.decide(low, json::object{{"decision", "unacceptable"}, {"reason", "prix au-delà des crédits du lot B"}});
  const auto bids = body_of(w.officer.get(w.t + "/evaluation")).at("lots").at(0).at("bids");
  const auto& eliminated = bids.at(2);
  REQUIRE(eliminated.at("bid_id").as_int64() == low);
  CHECK(eliminated.at("eliminated").as_bool());
  CHECK(eliminated.at("rank").is_null());
  CHECK(eliminated.at("abnormally_low").as_bool());
  // Its own marks: price 100 (the lowest), 60 + 30 × 0.5 + 10 × 0.5 = 80.
  CHECK(eliminated.at("price_score").as_string() == "100.0000");
  CHECK(eliminated.at("weighted_total").as_string() == "80.0000");
  // The ranked bids as without it: 80 and 60 × 10,000 / 10,500 + 20 = 77.1429, no flag.
  CHECK(bids.at(0).at("bid_id").as_int64() == first);
  CHECK(bids.at(0).at("weighted_total").as_string() == "80.0000");
  CHECK_FALSE(bids.at(0).at("abnormally_low").as_bool());
  CHECK(bids.at(1).at("bid_id").as_int64() == second);
  CHECK(bids.at(1).at("weighted_total").as_string() == "77.1429");

  auto& db = *w.s.database;
  const auto refused = w.award(low);
  CHECK(refused.result_int() == 409);
  CHECK(problem_code(refused) == "award.bid_not_awardable");
  CHECK(first_error_code(refused) == "bid.excluded.unacceptable");
  CHECK(test::count_rows(db, "awards") == 0);
  // Its flag does not hold back the best ranked bid, whose award goes through.
  CHECK(w.award(second).result_int() == 409);
  CHECK(w.award(first).result_int() == 200);
  CHECK(test::count_rows(db, "awards") == 1);
}
