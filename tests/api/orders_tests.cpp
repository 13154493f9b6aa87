// Framework agreements in execution over HTTP, on both backends: the maxima of a draft
// tender (derived from the estimate with renewals and a margin, or set), the 4-year
// limit at publication (L2125-1), orders against a member's maximum (R2162-4) at the
// exact cent, their steps, the ledger, and orders racing for the last of a maximum.
// The test server's day is 2026-11-29. Figures are computed by hand in the comments.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/awarded_lot.hpp"
#include "tests/support/fixtures.hpp"

using namespace canopee;
using test::AwardedLot;
using test::body_of;
using test::Call;
using test::code_of;
using test::field_code_of;
namespace json = boost::json;
namespace http = canopee::test::http;

namespace {

// The paint lot of AwardedLot (A 300 l and B 700 l at a 10 € reference, awarded at 9 €),
// its letters sent, both contracts signed and notified on 2026-11-29: in force.
struct FrameworkInForce : AwardedLot {
  std::map<std::int64_t, std::int64_t> contract_of;  // member id → contract id
  std::int64_t member_a = 0, member_b = 0;
  Call buyer_a{s.client, ""}, buyer_b{s.client, ""};

  explicit FrameworkInForce(bool notify_b = true) {
    award();
    REQUIRE(letter(loser, "rejection", "2026-11-29T11:00").result_int() == 201);
    REQUIRE(letter(winner, "award", "2026-11-29T11:00").result_int() == 201);
    const auto read = chain();
    for (const auto& c : read.at("contracts").as_array())
      contract_of[c.at("member_id").as_int64()] = c.at("id").as_int64();
    REQUIRE(contract_of.size() == 2);
    member_a = contract_of.begin()->first;  // created first
    member_b = std::next(contract_of.begin())->first;
    for (const auto& [member, id] : contract_of) {
      const std::string k = "/v1/contracts/" + std::to_string(id);
      REQUIRE(officer.post(k + "/signature", json::object{{"signed_on", "2026-11-29"}}).result_int() == 200);
      if (member == member_b && !notify_b) continue;
      REQUIRE(officer.post(k + "/notification", json::object{{"notified_on", "2026-11-29"}}).result_int() == 200);
    }
    buyer_a.token = s.user(Role::buyer, member_a, "orders.a@x.example");
    buyer_b.token = s.user(Role::buyer, member_b, "orders.b@x.example");
  }
  std::int64_t contract(std::int64_t member) { return contract_of.at(member); }
  test::Reply order(const Call& buyer, std::int64_t contract_id, const char* quantity, bool send = true) {
    return buyer.post("/v1/orders", json::object{{"contract_id", contract_id},
                                                 {"delivery_place", "Dépôt de Laon, 2 rue des Peintres"},
                                                 {"lines", json::array{json::object{{"description", "Peinture blanche"},
                                                                                    {"quantity", quantity}}}},
                                                 {"send", send}});
  }
  json::value ledger(std::int64_t contract_id) {
    const auto reply = officer.get("/v1/contracts/" + std::to_string(contract_id) + "/ledger");
    REQUIRE(reply.result_int() == 200);
    return body_of(reply);
  }
};

// The draft paint lot (A 300 l, B 700 l at 10 €): 3,000 € and 7,000 €.
struct DraftFramework : test::DraftPaintLot {
  std::int64_t a = member_a, b = member_b;
  json::value framework() {
    const auto reply = officer.get(t + "/framework");
    REQUIRE(reply.result_int() == 200);
    return body_of(reply);
  }
  const json::value& member_of(const json::value& view, std::int64_t member) {
    for (const auto& m : view.at("lots").at(0).at("members").as_array())
      if (m.at("member_id").as_int64() == member) return m;
    FAIL("member not in the lot");
    return view;
  }
  test::Reply put(const json::value& body) {
    return officer.send(http::verb::put, t + "/framework", json::serialize(body));
  }
};

}  // namespace

TEST_CASE("framework terms: maxima derived from the estimate, renewals and margin, bounds set, L2125-1") {
  DraftFramework w;
  auto view = w.framework();
  CHECK(view.at("framework_agreement") == true);
  CHECK(view.at("duration_months") == 12);
  CHECK(view.at("total_months") == 12);
  CHECK(view.at("margin") == "0.00");
  // Without terms: each member's reference value, from the estimate.
  CHECK(w.member_of(view, w.a).at("maximum") == "3000.00");
  CHECK(w.member_of(view, w.a).at("from_estimate") == true);
  CHECK(w.member_of(view, w.b).at("maximum") == "7000.00");
  CHECK(view.at("lots").at(0).at("maximum") == "10000.00");

  // Three renewals of 12 months (48 in all) and a 10 % margin: 3,000 × 48/12 × 1.10 = 13,200 €;
  // 7,000 × 4 × 1.10 = 30,800 €.
  auto reply = w.put(json::object{{"renewals", 3}, {"renewal_months", 12}, {"margin", "10"}});
  REQUIRE(reply.result_int() == 200);
  view = body_of(reply);
  CHECK(view.at("total_months") == 48);
  CHECK(view.at("margin") == "10.00");
  CHECK(w.member_of(view, w.a).at("maximum") == "13200.00");
  CHECK(w.member_of(view, w.b).at("maximum") == "30800.00");
  CHECK(view.at("lots").at(0).at("value") == "44000.00");

  // A quantity basis with A's maximum set to 500 l and a minimum of 100 l; B derived:
  // 700 l × 4 × 1.10 = 3,080 l, valued at its 10 € estimate: 30,800 €; A's 500 l at 10 €: 5,000 €.
  reply = w.put(
      json::object{{"renewals", 3},
                   {"renewal_months", 12},
                   {"margin", "10"},
                   {"lots", json::array{json::object{{"lot_id", w.lot_id},
                                                     {"basis", "quantity"},
                                                     {"members", json::array{json::object{{"member_id", w.a},
                                                                                          {"maximum", "500"},
                                                                                          {"minimum", "100"}}}}}}}});
  REQUIRE(reply.result_int() == 200);
  view = body_of(reply);
  CHECK(view.at("lots").at(0).at("basis") == "quantity");
  CHECK(w.member_of(view, w.a).at("maximum") == "500");
  CHECK(w.member_of(view, w.a).at("minimum") == "100");
  CHECK(w.member_of(view, w.a).at("from_estimate") == false);
  CHECK(w.member_of(view, w.a).at("value") == "5000.00");
  CHECK(w.member_of(view, w.b).at("maximum") == "3080");
  CHECK(w.member_of(view, w.b).at("value") == "30800.00");
  CHECK(view.at("lots").at(0).at("maximum") == "3580");

  // Bad bodies: each refused with its code, nothing changed.
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const std::string lot = std::to_string(w.lot_id);
  struct Bad {
    std::string body;
    std::string code;
  };
  const std::vector<Bad> bad = {
      {R"({"renewals":11})", "input.out_of_range"},
      {R"({"renewals":"3"})", "input.not_integer"},
      {R"({"renewals":2,"renewal_months":0})", "framework.renewal_months.range"},
      {R"({"renewals":0,"renewal_months":12})", "framework.renewal_months.range"},
      {R"({"margin":"-5"})", ""},
      {R"({"margin":"1000.01"})", "framework.margin.range"},
      {R"({"margin":"12.345"})", ""},
      {R"({"lots":[{"lot_id":999999}]})", "framework.lot.unknown"},
      {R"({"lots":[{"lot_id":)" + lot + R"(},{"lot_id":)" + lot + R"(}]})", "framework.lot.duplicate"},
      {R"({"lots":[{"lot_id":)" + lot + R"(,"basis":"kg"}]})", "value.unknown"},
      {R"({"lots":[{"lot_id":)" + lot + R"(,"members":[{"member_id":999999,"maximum":"5"}]}]})",
       "framework.member.unknown"},
      {R"({"lots":[{"lot_id":)" + lot + R"(,"members":[{"member_id":)" + std::to_string(w.a) + R"(,"maximum":"0"}]}]})",
       "framework.maximum.range"},
      {R"({"lots":[{"lot_id":)" + lot + R"(,"members":[{"member_id":)" + std::to_string(w.a) +
           R"(,"maximum":"100","minimum":"100.01"}]}]})",
       "framework.minimum.above_maximum"},
      {R"({"lots":[{"lot_id":)" + lot + R"(,"members":[{"member_id":)" + std::to_string(w.a) +
           R"(,"maximum":"1.5e3"}]}]})",
       ""},
      {R"({"lots":{"lot_id":1}})", "input.not_list"},
      {R"({"duration_justification":"\u0001"})", "framework.justification.invalid"},
      {R"({"unknown":1})", "input.unknown_field"},
      {"[", "input.malformed_json"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.body);
    const auto refused = w.officer.send(http::verb::put, w.t + "/framework", b.body);
    CHECK(refused.result_int() == 400);
    if (!b.code.empty()) CHECK((code_of(refused) == b.code || field_code_of(refused) == b.code));
  }
  CHECK(test::count_rows(db, "audit_log") == audit);
  CHECK(w.member_of(w.framework(), w.a).at("maximum") == "500");
  // On a stale version: 412.
  const auto stale = w.officer.send(http::verb::put, w.t + "/framework", R"({"renewals":1,"renewal_months":12})",
                                    {{"If-Match", "\"v1\""}});
  CHECK(stale.result_int() == 412);

  // Four renewals: 60 months. Saved, but publication is refused without a justification (L2125-1).
  REQUIRE(w.put(json::object{{"renewals", 4}, {"renewal_months", 12}}).result_int() == 200);
  auto published = w.officer.send(http::verb::post, w.t + "/publish");
  CHECK(published.result_int() == 409);
  CHECK((code_of(published) == "framework.duration.too_long" ||
         field_code_of(published) == "framework.duration.too_long"));
  // « ......... » says nothing; a real reason publishes.
  REQUIRE(w.put(json::object{{"renewals", 4}, {"renewal_months", 12}, {"duration_justification", ". . . . ."}})
              .result_int() == 200);
  CHECK(w.officer.send(http::verb::post, w.t + "/publish").result_int() == 409);
  REQUIRE(w.put(json::object{{"renewals", 4},
                             {"renewal_months", 12},
                             {"duration_justification", "Amortissement des équipements installés sur 5 ans"}})
              .result_int() == 200);
  REQUIRE(w.officer.send(http::verb::post, w.t + "/publish").result_int() == 200);
  // Launched: the maxima are part of the notice.
  const auto launched = w.put(json::object{{"renewals", 1}, {"renewal_months", 12}});
  CHECK(launched.result_int() == 409);
  CHECK(code_of(launched) == "framework.tender_launched");
}

TEST_CASE("orders: priced at the contract, refused beyond the maximum at the cent, warned from 80 %") {
  FrameworkInForce w;
  const auto k = w.contract(w.member_a);  // maximum 3,000.00 € (300 l at the 10 € reference)
  auto first = w.order(w.buyer_a, k, "100");
  REQUIRE(first.result_int() == 201);
  auto order = body_of(first);
  CHECK(order.at("status") == "sent");
  CHECK(order.at("sent_on") == "2026-11-29");
  CHECK(order.at("lines").at(0).at("unit_price") == "9.0000");  // the awarded price
  CHECK(order.at("total") == "900.00");
  CHECK(order.at("warnings").as_array().empty());
  CHECK(std::string(order.at("reference").as_string()).rfind("BC-2026-", 0) == 0);
  // 150 l more: 2,250 € = 75 %: no warning. 20 l more: 2,430 € = 81 %: warned.
  REQUIRE(w.order(w.buyer_a, k, "150").result_int() == 201);
  const auto near = w.order(w.buyer_a, k, "20");
  REQUIRE(near.result_int() == 201);
  REQUIRE(body_of(near).at("warnings").as_array().size() == 1);
  CHECK(body_of(near).at("warnings").at(0).at("code") == "order.maximum_near");
  // 570 € remain. 64 l = 576 €: refused with the figures, nothing stored.
  const auto orders = test::count_rows(*w.s.database, "orders");
  const auto over = w.order(w.buyer_a, k, "64");
  CHECK(over.result_int() == 409);
  CHECK(code_of(over) == "order.maximum_exceeded");
  const auto detail = std::string(body_of(over).at("detail").as_string());
  CHECK(detail.find("570,00") != std::string::npos);
  CHECK(detail.find("3\u00a0000,00") != std::string::npos);
  std::map<std::string, std::string> figures;
  const auto problem = body_of(over);
  for (const auto& e : problem.at("errors").as_array())
    figures[std::string(e.at("field").as_string())] = std::string(e.at("message").as_string());
  CHECK(figures["maximum"] == "300000");
  CHECK(figures["ordered"] == "243000");
  CHECK(figures["remaining"] == "57000");
  CHECK(figures["order"] == "57600");
  CHECK(test::count_rows(*w.s.database, "orders") == orders);
  // 63.333 l × 9 € = 569.997 € → 570.00 €: exactly the maximum, accepted.
  const auto last = w.order(w.buyer_a, k, "63.333");
  REQUIRE(last.result_int() == 201);
  CHECK(body_of(last).at("total") == "570.00");
  // 0.001 l at 9 € = 0.009 € → 0.01 €: one cent beyond.
  const auto cent = w.order(w.buyer_a, k, "0.001");
  CHECK(cent.result_int() == 409);
  CHECK(code_of(cent) == "order.maximum_exceeded");
  // A draft does not count and may be kept; sending it is refused the same way.
  const auto draft = w.order(w.buyer_a, k, "1", false);
  REQUIRE(draft.result_int() == 201);
  CHECK(body_of(draft).at("status") == "draft");
  const std::string draft_path = "/v1/orders/" + std::to_string(body_of(draft).at("id").as_int64());
  const auto send = w.buyer_a.post(draft_path + "/send", json::object{});
  CHECK(send.result_int() == 409);
  CHECK(code_of(send) == "order.maximum_exceeded");

  const auto ledger = w.ledger(k);
  CHECK(ledger.at("maximum") == "3000.00");
  CHECK(ledger.at("ordered") == "3000.00");
  CHECK(ledger.at("remaining") == "0.00");
  CHECK(ledger.at("share_ordered_bp") == 10000);
  CHECK(ledger.at("orders") == 4);
  CHECK(ledger.at("ordered_quantity") == "333.333");
  CHECK(ledger.at("start") == "2026-11-29");
  CHECK(ledger.at("end") == "2027-11-28");
  // Ordered all on the first day: at that pace the maximum is reached that very day.
  CHECK(ledger.at("projected_exhaustion") == "2026-11-29");
  CHECK(ledger.at("exhausts_before_end") == true);
  REQUIRE(ledger.at("months").as_array().size() == 1);
  CHECK(ledger.at("months").at(0).at("month") == "2026-11");
  CHECK(ledger.at("months").at(0).at("ordered") == "3000.00");

  // Another member's buyer never sees nor orders on A's contract.
  CHECK(w.order(w.buyer_b, k, "1").result_int() == 404);
  CHECK(w.buyer_b.get(draft_path).result_int() == 404);
  CHECK(w.buyer_b.get("/v1/contracts/" + std::to_string(k) + "/ledger").result_int() == 404);
  const auto listed = body_of(w.buyer_b.get("/v1/orders"));
  CHECK(listed.at("items").as_array().empty());
  CHECK(body_of(w.buyer_a.get("/v1/orders")).at("items").as_array().size() == 5);
  CHECK(body_of(w.officer.get("/v1/orders?status=draft")).at("items").as_array().size() == 1);
}

TEST_CASE("orders: a contract orders only once notified; steps with their dates; a cancel frees the maximum") {
  FrameworkInForce w(false);  // B signed, not notified
  const auto kb = w.contract(w.member_b);
  const auto early = w.order(w.buyer_b, kb, "1");
  CHECK(early.result_int() == 409);
  CHECK(code_of(early) == "order.contract_not_in_force");

  const auto k = w.contract(w.member_a);
  const auto placed = w.buyer_a.post(
      "/v1/orders",
      json::object{{"contract_id", k},
                   {"delivery_place", "Agence de Soissons"},
                   {"delivery_date", "2026-12-15"},
                   {"lines", json::array{json::object{{"description", "Blanc mat"}, {"quantity", "10"}},
                                         json::object{{"description", "Gris perle"}, {"quantity", "5.5"}}}},
                   {"send", true}});
  REQUIRE(placed.result_int() == 201);
  const auto order = body_of(placed);
  CHECK(order.at("total") == "139.50");  // 10 × 9 + 5.5 × 9 = 90 + 49.50
  const std::string path = "/v1/orders/" + std::to_string(order.at("id").as_int64());

  // Steps in the wrong order or with bad dates: refused.
  CHECK(code_of(w.buyer_a.post(path + "/invoice", json::object{{"invoiced_on", "2026-11-29"},
                                                               {"amount", "139.50"},
                                                               {"invoice_reference", "F-1"}})) == "order.transition");
  CHECK(code_of(w.buyer_a.post(path + "/delivery",
                               json::object{{"delivered_on", "2026-11-30"}, {"lines", json::array{"1", "0"}}})) ==
        "order.date.future");
  CHECK(field_code_of(w.buyer_a.post(path + "/delivery", json::object{{"delivered_on", "2026-11-29"},
                                                                      {"lines", json::array{"10.001", "0"}}})) ==
        "order.delivery.beyond_ordered");
  CHECK(code_of(w.buyer_a.post(path + "/delivery",
                               json::object{{"delivered_on", "2026-11-29"}, {"lines", json::array{"1"}}})) ==
        "order.delivery.lines");
  // Part, then the rest.
  auto step = w.buyer_a.post(path + "/delivery",
                             json::object{{"delivered_on", "2026-11-29"}, {"lines", json::array{"10", "0"}}});
  REQUIRE(step.result_int() == 200);
  CHECK(body_of(step).at("status") == "partially_delivered");
  CHECK(code_of(w.buyer_a.post(path + "/cancel", json::object{{"reason", "Plus besoin de cette teinte"}})) ==
        "order.transition");
  step = w.buyer_a.post(path + "/delivery",
                        json::object{{"delivered_on", "2026-11-29"}, {"lines", json::array{"0", "5.5"}}});
  REQUIRE(step.result_int() == 200);
  CHECK(body_of(step).at("status") == "delivered");
  const Call finance{w.s.client, w.s.user(Role::finance, std::nullopt, "finance@x.example")};
  step = finance.post(path + "/invoice", json::object{{"invoiced_on", "2026-11-29"},
                                                      {"amount", "139.50"},
                                                      {"invoice_reference", "F-2026-17"}});
  REQUIRE(step.result_int() == 200);
  CHECK(body_of(step).at("status") == "invoiced");
  const std::string etag(step.base()["ETag"]);
  CHECK(finance.post(path + "/payment", json::object{{"paid_on", "2026-11-29"}}, "\"v1\"").result_int() == 412);
  step = finance.post(path + "/payment", json::object{{"paid_on", "2026-11-29"}}, etag);
  REQUIRE(step.result_int() == 200);
  CHECK(body_of(step).at("status") == "paid");

  // A second order, cancelled with a reason: it no longer counts.
  const auto second = w.order(w.buyer_a, k, "100");
  REQUIRE(second.result_int() == 201);
  const std::string second_path = "/v1/orders/" + std::to_string(body_of(second).at("id").as_int64());
  CHECK(field_code_of(w.buyer_a.post(second_path + "/cancel", json::object{{"reason", "erreur"}})) ==
        "order.cancel.reason_required");
  REQUIRE(w.buyer_a.post(second_path + "/cancel", json::object{{"reason", "Commande saisie en double par erreur"}})
              .result_int() == 200);

  const auto ledger = w.ledger(k);
  CHECK(ledger.at("ordered") == "139.50");
  CHECK(ledger.at("remaining") == "2860.50");
  CHECK(ledger.at("delivered_value") == "139.50");
  CHECK(ledger.at("invoiced_value") == "139.50");
  CHECK(ledger.at("paid_value") == "139.50");
  CHECK(ledger.at("orders") == 1);
  // 139.50 € on day 1 of a 3,000 € maximum: at that pace, 3000 / 139.5 = 21.5 days → the 21st day, 2026-12-19.
  CHECK(ledger.at("projected_exhaustion") == "2026-12-19");

  // The order form: a PDF.
  const auto form = w.buyer_a.get(path + "/form");
  CHECK(form.result_int() == 200);
  CHECK(std::string(form[http::field::content_type]) == "application/pdf");
  CHECK(form.body().rfind("%PDF", 0) == 0);
  // The list as a French CSV for the filters applied.
  const auto csv = w.buyer_a.send(http::verb::get, "/v1/orders?contract_id=" + std::to_string(k), {},
                                  {{"Accept", "text/csv"}});
  CHECK(csv.result_int() == 200);
  CHECK(csv.body().find("139,50") != std::string::npos);
  CHECK(csv.body().find("annulé") != std::string::npos);
}

TEST_CASE("orders: bad bodies are refused with their code and nothing is written") {
  FrameworkInForce w;
  const auto k = std::to_string(w.contract(w.member_a));
  auto& db = *w.s.database;
  const auto orders = test::count_rows(db, "orders");
  const auto audit = test::count_rows(db, "audit_log");
  struct Bad {
    std::string body;
    unsigned status;
    std::string code;
  };
  const std::string line = R"("lines":[{"quantity":"1"}])";
  const std::vector<Bad> bad = {
      {"{}", 400, "input.required"},
      {"[", 400, "input.malformed_json"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon"})", 400, "input.not_list"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[]})", 400, "input.not_list"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":"0"}]})", 400,
       "order.quantity.range"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":"-1"}]})", 400, ""},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":true}]})", 400, "input.not_decimal"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":"1e3"}]})", 400, ""},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":"1","x":2}]})", 400,
       "input.unknown_field"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":"1","description":"a\nb"}]})", 400,
       "order.text.invalid"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"   ",)" + line + "}", 400, "order.delivery_place.invalid"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","delivery_date":"2026-11-28",)" + line + "}", 400,
       "order.delivery_date.before_order"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","delivery_date":"demain",)" + line + "}", 400, ""},
      {R"({"contract_id":"1","delivery_place":"Laon",)" + line + "}", 400, "input.not_integer"},
      {R"({"contract_id":999999,"delivery_place":"Laon",)" + line + "}", 404, "contract.not_found"},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","send":"oui",)" + line + "}", 400, ""},
      {R"({"contract_id":)" + k + R"(,"delivery_place":"Laon","lines":[{"quantity":"9999999999"}]})", 400, ""},
  };
  for (const auto& b : bad) {
    CAPTURE(b.body);
    const auto refused = w.buyer_a.send(http::verb::post, "/v1/orders", b.body);
    CHECK(refused.result_int() == b.status);
    if (!b.code.empty()) CHECK((code_of(refused) == b.code || field_code_of(refused) == b.code));
  }
  CHECK(
      w.buyer_a.send(http::verb::post, "/v1/orders", "contract_id=1", {{"Content-Type", "text/plain"}}).result_int() ==
      415);
  CHECK(w.officer.post("/v1/orders", json::object{}).result_int() == 403);
  CHECK(w.buyer_a.get("/v1/orders?status=lost").result_int() == 400);
  CHECK(w.buyer_a.get("/v1/orders?contract_id=abc").result_int() == 400);
  CHECK(test::count_rows(db, "orders") == orders);
  CHECK(test::count_rows(db, "audit_log") == audit);
}

TEST_CASE("orders: concurrent orders racing for the last of a maximum never go over it") {
  FrameworkInForce w;
  const auto k = w.contract(w.member_b);  // maximum 7,000.00 €; 100 l at 9 € = 900 € each: 7 fit, not 8
  constexpr int kRacers = 10;
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> racers;
  racers.reserve(kRacers);
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&] {
      const auto reply = w.order(w.buyer_b, k, "100");
      if (reply.result_int() == 201) ++created;
      else if (reply.result_int() == 409 && code_of(reply) == "order.maximum_exceeded") ++refused;
      else ++other;
    });
  }
  for (auto& r : racers) r.join();
  CHECK(created == 7);
  CHECK(refused == 3);
  CHECK(other == 0);
  const auto ledger = w.ledger(k);
  CHECK(ledger.at("ordered") == "6300.00");
  CHECK(ledger.at("remaining") == "700.00");
}
