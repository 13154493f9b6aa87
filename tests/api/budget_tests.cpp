// Budget and accounting codes (issue 19 item 9) and the responsible-purchasing figures
// (item 10) over HTTP, on both backends, with figures computed by hand.
//
// The lot of notified_lot.hpp: Peintures Picardes at 9 € the litre; contracts notified on
// 2026-11-29: A 300 l × 9 € = 2 700,00 € HT, B 700 l × 9 € = 6 300,00 € HT.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/fixtures.hpp"
#include "tests/support/notified_lot.hpp"

using namespace canopee;
using test::body_of;
using test::code_of;
using test::NotifiedLot;
namespace json = boost::json;
using test::http::verb;

namespace {

test::Reply put(const test::Call& call, const std::string& target, const json::value& body,
                const std::string& etag = {}) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!etag.empty()) headers.emplace_back("If-Match", etag);
  return call.send(verb::put, target, json::serialize(body), headers);
}

std::string field_code(const test::Reply& reply) {
  const auto b = body_of(reply);
  if (!b.as_object().contains("errors") || b.at("errors").as_array().empty()) return "";
  return std::string(b.at("errors").at(0).at("code").as_string());
}

struct Coded : NotifiedLot {
  test::Call finance_a{s.client, ""}, finance_b{s.client, ""};
  std::int64_t need_a = 0, inactive = 0;

  Coded() {
    finance_a.token = s.user(Role::finance, member_a, "finance.a@x.example");
    finance_b.token = s.user(Role::finance, member_b, "finance.b@x.example");
    for (const auto& [kind, code, label] :
         {std::tuple{"nature", "6152", "Entretien et réparations"}, std::tuple{"analytic", "PROG1", "Programme 1"},
          std::tuple{"analytic", "PROG2", "Programme 2"}, std::tuple{"nature", "6061", "Fournitures"}}) {
      const auto r = finance_a.post("/v1/budget-codes", json::object{{"kind", kind}, {"code", code}, {"label", label}});
      REQUIRE_MESSAGE(r.result_int() == 201, r.body());
      CHECK(body_of(r).at("member_id") == member_a);
      if (std::string(code) == "6061") inactive = body_of(r).at("id").as_int64();
    }
    const auto off = finance_a.patch("/v1/budget-codes/" + std::to_string(inactive), json::object{{"active", false}},
                                     "\"v1\"");
    REQUIRE_MESSAGE(off.result_int() == 200, off.body());
    const auto needs = body_of(buyer_a.get("/v1/needs"));
    REQUIRE(needs.at("items").as_array().size() == 1);
    need_a = needs.at("items").at(0).at("id").as_int64();
    const auto coded = put(buyer_a, "/v1/needs/" + std::to_string(need_a) + "/budget-codes",
                           json::object{{"budget_nature", "6152"}, {"budget_analytic", "PROG1"}});
    REQUIRE_MESSAGE(coded.result_int() == 200, coded.body());
  }

  json::value order(const test::Call& buyer, std::int64_t contract, const char* quantity, json::object extra = {},
                    bool send = true) {
    json::object line{{"description", "Peinture"}, {"quantity", quantity}};
    for (auto& [k, v] : extra) line[k] = v;
    const auto reply = buyer.post("/v1/orders", json::object{{"contract_id", contract},
                                                             {"delivery_place", "Agence"},
                                                             {"lines", json::array{line}},
                                                             {"send", send}});
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return body_of(reply);
  }
};

}  // namespace

TEST_CASE("budget codes over HTTP: the member's finance users manage them, needs and order lines carry them") {
  Coded w;
  auto& db = *w.s.database;
  const auto list = body_of(w.finance_a.get("/v1/budget-codes"));
  REQUIRE(list.at("items").as_array().size() == 4);
  // By kind (nature first), then code: 6061, 6152, PROG1, PROG2.
  CHECK(list.at("items").at(0).at("code") == "6061");
  CHECK(list.at("items").at(0).at("active") == false);
  CHECK(list.at("items").at(0).at("version") == 2);
  CHECK(list.at("items").at(1).at("label") == "Entretien et réparations");
  CHECK(list.at("items").at(3).at("kind") == "analytic");
  CHECK(body_of(w.finance_b.get("/v1/budget-codes")).at("items").as_array().empty());
  CHECK(body_of(w.buyer_a.get("/v1/budget-codes")).at("items").as_array().size() == 4);
  CHECK(w.buyer_b.get("/v1/budget-codes?member_id=" + std::to_string(w.member_a)).result_int() == 404);
  CHECK(
      body_of(w.admin.get("/v1/budget-codes?member_id=" + std::to_string(w.member_a))).at("items").as_array().size() ==
      4);

  // Refused, nothing written.
  const int codes = test::count_rows(db, "budget_codes");
  const auto audit = test::count_rows(db, "audit_log");
  const auto refused = [&](const test::Call& who, const json::value& body, unsigned status, const char* code) {
    const auto r = who.post("/v1/budget-codes", body);
    CAPTURE(json::serialize(body));
    CHECK_MESSAGE(r.result_int() == status, r.body());
    CHECK(code_of(r) == code);
  };
  refused(w.finance_a, json::object{{"kind", "nature"}, {"code", "6152"}, {"label", "Doublon"}}, 409,
          "budget_code.duplicate");
  refused(w.finance_a, json::object{{"kind", "Nature"}, {"code", "6153"}, {"label", "x"}}, 400, "input.invalid");
  refused(w.finance_a, json::object{{"kind", "nature"}, {"code", "=1+1"}, {"label", "x"}}, 400,
          "budget_code.code.invalid");
  refused(w.finance_a, json::object{{"kind", "nature"}, {"code", "6153"}, {"label", "   "}}, 400,
          "budget_code.label.invalid");
  refused(w.finance_a, json::object{{"kind", "nature"}, {"code", 6153}, {"label", "x"}}, 400, "input.invalid");
  refused(w.finance_a, json::object{{"code", "6153"}, {"label", "x"}}, 400, "input.invalid");
  refused(w.finance_a, json::object{{"kind", "nature"}, {"code", "6153"}, {"label", "x"}, {"owner", 1}}, 400,
          "input.invalid");
  refused(w.finance_a, json::object{{"kind", "nature"}, {"code", "6153"}, {"label", "x"}, {"member_id", w.member_b}},
          404, "member.not_found");
  refused(w.admin, json::object{{"kind", "nature"}, {"code", "6153"}, {"label", "x"}}, 400, "input.invalid");
  refused(w.admin, json::object{{"member_id", 999999}, {"kind", "nature"}, {"code", "6153"}, {"label", "x"}}, 404,
          "member.not_found");
  refused(w.admin, json::object{{"member_id", -1}, {"kind", "nature"}, {"code", "6153"}, {"label", "x"}}, 400,
          "input.invalid");
  {
    const auto r = w.finance_a.post("/v1/budget-codes",
                                    json::object{{"kind", "nature"}, {"code", "=1+1"}, {"label", "x"}});
    CHECK(field_code(r) == "budget_code.code.invalid");
    const auto k = w.finance_a.post("/v1/budget-codes",
                                    json::object{{"kind", "Nature"}, {"code", "6153"}, {"label", "x"}});
    CHECK(field_code(k) == "budget_code.kind.unknown");
  }
  const auto not_json = w.finance_a.send(verb::post, "/v1/budget-codes", "{\"kind\":", {});
  CHECK(not_json.result_int() == 400);
  CHECK(test::count_rows(db, "budget_codes") == codes);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // The label changes on the version read; another member's finance user does not see it.
  const std::string path = "/v1/budget-codes/" + std::to_string(w.inactive);
  const auto stale = w.finance_a.patch(path, json::object{{"label", "Fournitures diverses"}}, "\"v1\"");
  CHECK(stale.result_int() == 412);
  CHECK(code_of(stale) == "budget_code.stale");
  CHECK(w.finance_b.patch(path, json::object{{"label", "x"}}).result_int() == 404);
  CHECK(w.finance_a.patch(path, json::object{{"label", ""}}).result_int() == 400);
  CHECK(w.finance_a.patch(path, json::object{{"active", "non"}}).result_int() == 400);
  CHECK(w.finance_a.patch("/v1/budget-codes/abc", json::object{{"active", true}}).result_int() == 404);
  const auto renamed = w.finance_a.patch(path, json::object{{"label", "Fournitures diverses"}}, "\"v2\"");
  REQUIRE(renamed.result_int() == 200);
  CHECK(body_of(renamed).at("version") == 3);
  CHECK(body_of(renamed).at("active") == false);

  // A need's codes: the member's, of their kind, active.
  const std::string need = "/v1/needs/" + std::to_string(w.need_a) + "/budget-codes";
  const auto read = body_of(w.finance_a.get(need));
  CHECK(read.at("budget_nature") == "6152");
  CHECK(read.at("budget_analytic") == "PROG1");
  const auto need_audit = test::count_rows(db, "audit_log");
  const auto refused_need = [&](const json::value& body, unsigned status, const char* code) {
    const auto r = put(w.buyer_a, need, body);
    CAPTURE(json::serialize(body));
    CHECK_MESSAGE(r.result_int() == status, r.body());
    if (status == 400 && code[0] != '\0') CHECK(field_code(r) == code);
  };
  refused_need(json::object{{"budget_nature", "6061"}}, 400, "budget_code.inactive");
  refused_need(json::object{{"budget_nature", "PROG1"}}, 400, "budget_code.unknown");
  refused_need(json::object{{"budget_analytic", "9999"}}, 400, "budget_code.unknown");
  refused_need(json::object{{"budget_nature", 6152}}, 400, "input.not_text");
  refused_need(json::object{{"budget_nature", std::string(41, '6')}}, 400, "input.too_long");
  refused_need(json::object{{"nature", "6152"}}, 400, "");
  CHECK(put(w.buyer_b, need, json::object{{"budget_nature", "6152"}}).result_int() == 404);
  CHECK(put(w.finance_b, need, json::object{{"budget_nature", "6152"}}).result_int() == 404);
  CHECK(put(w.buyer_a, "/v1/needs/999999/budget-codes", json::object{}).result_int() == 404);
  CHECK(test::count_rows(db, "audit_log") == need_audit);
  CHECK(body_of(w.finance_a.get(need)).at("budget_nature") == "6152");

  // Order lines: by default the codes the member's needs in the lot agree on; a code
  // given must be the member's, active.
  const auto placed = w.order(w.buyer_a, w.contract_a, "10");
  CHECK(placed.at("lines").at(0).at("budget_nature") == "6152");
  CHECK(placed.at("lines").at(0).at("budget_analytic") == "PROG1");
  const auto chosen = w.order(w.buyer_a, w.contract_a, "1", json::object{{"budget_analytic", "PROG2"}});
  CHECK(chosen.at("lines").at(0).at("budget_nature") == "6152");
  CHECK(chosen.at("lines").at(0).at("budget_analytic") == "PROG2");
  const auto b = w.order(w.buyer_b, w.contract_b, "1");  // B codes nothing
  CHECK(b.at("lines").at(0).at("budget_nature").is_null());
  const auto orders = test::count_rows(db, "orders");
  for (const auto& [line, code] : {std::pair{json::object{{"budget_nature", "6061"}}, "budget_code.inactive"},
                                   std::pair{json::object{{"budget_nature", "PROG2"}}, "budget_code.unknown"}}) {
    json::object l{{"description", "Peinture"}, {"quantity", "1"}};
    for (const auto& [k, v] : line) l[k] = v;
    const auto r = w.buyer_a.post("/v1/orders", json::object{{"contract_id", w.contract_a},
                                                             {"delivery_place", "Agence"},
                                                             {"lines", json::array{l}}});
    CHECK_MESSAGE(r.result_int() == 400, r.body());
    CHECK(field_code(r) == code);
    CHECK(body_of(r).at("errors").at(0).at("field") == "lines[0].budget_nature");
  }
  CHECK(test::count_rows(db, "orders") == orders);
}

TEST_CASE("budget exports over HTTP: commitments and realised spend by code, HT, in JSON, CSV and XLSX") {
  Coded w;
  // A: 100 l sent (needs' codes 6152/PROG1): 100 × 9 = 900,00 €;
  //    20 l sent on PROG2, delivered, invoiced and paid: 20 × 9 = 180,00 €;
  //    5 l drafted, never sent: counted nowhere.
  // B: 200 l sent, no code: 1 800,00 €.
  w.order(w.buyer_a, w.contract_a, "100");
  const auto paid = w.order(w.buyer_a, w.contract_a, "20", json::object{{"budget_analytic", "PROG2"}});
  w.order(w.buyer_a, w.contract_a, "5", {}, false);
  w.order(w.buyer_b, w.contract_b, "200");
  const auto path = "/v1/orders/" + std::to_string(paid.at("id").as_int64());
  REQUIRE(w.buyer_a.post(path + "/delivery", json::object{{"delivered_on", "2026-11-29"}, {"lines", json::array{"20"}}})
              .result_int() == 200);
  REQUIRE(w.buyer_a
              .post(path + "/invoice",
                    json::object{{"invoiced_on", "2026-11-29"}, {"amount", "180.00"}, {"invoice_reference", "F-1"}})
              .result_int() == 200);
  REQUIRE(w.buyer_a.post(path + "/payment", json::object{{"paid_on", "2026-11-29"}}).result_int() == 200);

  // Commitments: (A, 6152, PROG1) 900,00 €; (A, 6152, PROG2) 180,00 € of which paid 180,00 €;
  // (B, none) 1 800,00 €. Totals 2 880,00 €, paid 180,00 €, 3 lines.
  // Not yet ordered: A 2 700,00 − (900 + 180) = 1 620,00 €; B 6 300,00 − 1 800,00 = 4 500,00 €; 6 120,00 €.
  const auto reply = w.officer.get("/v1/reports/budget/commitments");
  REQUIRE_MESSAGE(reply.result_int() == 200, reply.body());
  const auto c = body_of(reply);
  CHECK(c.at("amounts") == "HT");
  const auto& rows = c.at("rows").as_array();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].at("member_name") == "A");
  CHECK(rows[0].at("budget_nature") == "6152");
  CHECK(rows[0].at("nature_label") == "Entretien et réparations");
  CHECK(rows[0].at("budget_analytic") == "PROG1");
  CHECK(rows[0].at("amount_ht") == "900.00");
  CHECK(rows[0].at("paid_ht") == "0.00");
  // TTC at the lot's rate, 20 % by default (schema/0021): 900,00 × 1,2 = 1 080,00 €.
  CHECK(rows[0].at("amount_ttc") == "1080.00");
  CHECK(rows[1].at("budget_analytic") == "PROG2");
  CHECK(rows[1].at("amount_ht") == "180.00");
  CHECK(rows[1].at("paid_ht") == "180.00");
  CHECK(rows[1].at("paid_ttc") == "216.00");  // 180,00 × 1,2
  CHECK(rows[2].at("member_name") == "B");
  CHECK(rows[2].at("budget_nature").is_null());
  CHECK(rows[2].at("amount_ht") == "1800.00");
  CHECK(c.at("totals").at("amount_ht") == "2880.00");
  CHECK(c.at("totals").at("paid_ht") == "180.00");
  CHECK(c.at("totals").at("lines") == 3);
  // 1 080,00 + 216,00 + 2 160,00 = 3 456,00 € TTC.
  CHECK(c.at("totals").at("amount_ttc") == "3456.00");
  const auto& unordered = c.at("not_yet_ordered").as_array();
  REQUIRE(unordered.size() == 2);
  CHECK(unordered[0].at("contract_amount_ht") == "2700.00");
  CHECK(unordered[0].at("ordered_ht") == "1080.00");
  CHECK(unordered[0].at("not_yet_ordered_ht") == "1620.00");
  CHECK(unordered[1].at("not_yet_ordered_ht") == "4500.00");
  CHECK(c.at("not_yet_ordered_total_ht") == "6120.00");
  CHECK(unordered[0].at("not_yet_ordered_ttc") == "1944.00");  // 1 620,00 × 1,2
  CHECK(c.at("not_yet_ordered_total_ttc") == "7344.00");       // 6 120,00 × 1,2

  // Realised spend: only the invoiced order, (A, 6152, PROG2) 180,00 €, paid 180,00 €.
  const auto s = body_of(w.finance_a.get("/v1/reports/budget/spend"));
  REQUIRE(s.at("rows").as_array().size() == 1);
  CHECK(s.at("rows").at(0).at("budget_analytic") == "PROG2");
  CHECK(s.at("rows").at(0).at("amount_ht") == "180.00");
  CHECK(s.at("rows").at(0).at("paid_ht") == "180.00");
  CHECK(s.at("totals").at("amount_ht") == "180.00");
  CHECK_FALSE(s.as_object().contains("not_yet_ordered"));

  // The period: every order was sent on 2026-11-29.
  CHECK(body_of(w.officer.get("/v1/reports/budget/commitments?from=2026-11-30")).at("rows").as_array().empty());
  CHECK(body_of(w.officer.get("/v1/reports/budget/commitments?from=2026-11-29&to=2026-11-29"))
            .at("rows")
            .as_array()
            .size() == 3);
  // A member's users see their member only.
  const auto own = body_of(w.finance_b.get("/v1/reports/budget/commitments"));
  REQUIRE(own.at("rows").as_array().size() == 1);
  CHECK(own.at("rows").at(0).at("amount_ht") == "1800.00");
  CHECK(w.buyer_b.get("/v1/reports/budget/commitments?member_id=" + std::to_string(w.member_a)).result_int() == 404);

  // CSV for the accounting system: BOM, ';', decimal comma.
  const auto csv = w.finance_a.send(verb::get, "/v1/reports/budget/commitments", "", {{"Accept", "text/csv"}});
  REQUIRE(csv.result_int() == 200);
  CHECK(csv.body().rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.body().find("Engagé HT") != std::string::npos);
  CHECK(csv.body().find("A;6152;Entretien et réparations;PROG1;Programme 1;900,00;1080,00;0,00;0,00;1") !=
        std::string::npos);
  CHECK(csv.body().find("Total;;;;;1080,00;1296,00;180,00;216,00;2") != std::string::npos);
  const auto rest = w.finance_a.send(verb::get, "/v1/reports/budget/unordered?csv=rfc4180", "",
                                     {{"Accept", "text/csv"}});
  REQUIRE(rest.result_int() == 200);
  CHECK(rest.body().find("2700.00,1080.00,1620.00,20.00,1944.00") != std::string::npos);
  const auto spend_csv = w.finance_a.send(verb::get, "/v1/reports/budget/spend", "", {{"Accept", "text/csv"}});
  CHECK(spend_csv.body().find("A;6152;Entretien et réparations;PROG2;Programme 2;180,00;216,00;180,00;216,00;1") !=
        std::string::npos);
  const auto xlsx = w.finance_a.send(verb::get, "/v1/reports/budget/spend", "",
                                     {{"Accept", std::string(formats::kXlsxType)}});
  REQUIRE(xlsx.result_int() == 200);
  CHECK(xlsx.body().rfind("PK", 0) == 0);

  // Bad parameters.
  for (const char* bad : {"?from=2026-13-01", "?to=hier", "?from=2026-12-01&to=2026-11-01", "?member_id=abc",
                          "?member_id=0", "?csv=excel", "?periode=2026", "?from=1&from=2"}) {
    CAPTURE(bad);
    CHECK(w.officer.get(std::string("/v1/reports/budget/commitments") + bad).result_int() == 400);
  }
  CHECK(code_of(w.officer.get("/v1/reports/budget/spend?from=2026-12-01&to=2026-11-01")) == "report.period.reversed");
  CHECK(w.officer.send(verb::get, "/v1/reports/budget/spend", "", {{"Accept", "text/html"}}).result_int() == 406);
}

namespace {

// The paint lot reserved to SIAE while a draft, then awarded (not notified) to
// Peintures Picardes, an SME.
struct Reserved : test::DraftPaintLot {
  test::Call finance_b{s.client, ""};
  Reserved() {
    const auto r = put(officer, t + "/reservation", json::object{{"reserved", "siae"}});
    REQUIRE_MESSAGE(r.result_int() == 200, r.body());
    const auto bids = receive_bids();
    const auto suppliers = body_of(officer.get("/v1/suppliers"));
    std::int64_t picardes = 0;
    for (const auto& sup : suppliers.at("items").as_array()) {
      if (sup.at("name") == "Peintures Picardes") picardes = sup.at("id").as_int64();
    }
    REQUIRE(picardes != 0);
    REQUIRE(officer.patch("/v1/suppliers/" + std::to_string(picardes), json::object{{"sme", true}}).result_int() ==
            200);
    REQUIRE(officer.post(lot + "/award", json::object{{"bid_id", bids[0]}}).result_int() == 200);
    finance_b.token = s.user(Role::finance, member_b, "finance.b@x.example");
  }
};

}  // namespace

TEST_CASE("SPASER figures over HTTP: per member and year, shares, reservation and the threshold strictly above") {
  Reserved w;
  auto& db = *w.s.database;
  {
    auto conn = db.acquire();
    REQUIRE(conn.ok());
    // A threshold of 2 700,00 € HT: A's 2 700,00 € is not above it, B's 6 300,00 € is.
    conn->sql() << "INSERT INTO settings (key, value, updated_at) VALUES ('spaser_threshold', '2700.00', "
                   "'2026-11-29 00:00:00')";
  }
  // Not notified: counted on the award decision's day (the test server's, 2026-11-29): year 2026.
  // A: 1 contract, 2 700,00 €; environmental conditions, no social consideration, an SME,
  // reserved (SIAE): shares 100 %, 0 %, 100 %, 100 % in count and amount. B likewise, 6 300,00 €.
  const auto reply = w.officer.get("/v1/reports/spaser?year=2026");
  REQUIRE_MESSAGE(reply.result_int() == 200, reply.body());
  const auto r = body_of(reply);
  CHECK(r.at("parameters").at("threshold_ht") == "2700.00");
  CHECK(r.at("parameters").at("date_rule") == "notification_else_award");
  const auto& rows = r.at("rows").as_array();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("member_name") == "A");
  CHECK(rows[0].at("year") == 2026);
  CHECK(rows[0].at("contracts") == 1);
  CHECK(rows[0].at("amount_ht") == "2700.00");
  CHECK(rows[0].at("environmental").at("count_bp") == 10000);
  CHECK(rows[0].at("environmental").at("amount_ht") == "2700.00");
  CHECK(rows[0].at("social").at("count") == 0);
  CHECK(rows[0].at("social").at("amount_bp") == 0);
  CHECK(rows[0].at("sme").at("amount_bp") == 10000);
  CHECK(rows[0].at("reserved").at("count") == 1);
  CHECK(rows[0].at("reserved").at("amount_percent") == "100.00");
  CHECK(rows[0].at("spaser_mandatory") == false);
  CHECK(rows[1].at("amount_ht") == "6300.00");
  CHECK(rows[1].at("spaser_mandatory") == true);
  CHECK(body_of(w.officer.get("/v1/reports/spaser?year=2027")).at("rows").as_array().empty());
  const auto own = body_of(w.finance_b.get("/v1/reports/spaser"));
  REQUIRE(own.at("rows").as_array().size() == 1);
  CHECK(own.at("rows").at(0).at("member_name") == "B");
  CHECK(w.finance_b.get("/v1/reports/spaser?member_id=" + std::to_string(w.member_a)).result_int() == 404);

  const auto csv = w.officer.send(verb::get, "/v1/reports/spaser?year=2026", "", {{"Accept", "text/csv"}});
  REQUIRE(csv.result_int() == 200);
  CHECK(csv.body().rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.body().find("A;2026;1;2700,00;1;100,00;2700,00;100,00;0;0,00;0,00;0,00;1;100,00;2700,00;100,00;1;100,00;"
                        "2700,00;100,00;non") != std::string::npos);
  CHECK(csv.body().find(";6300,00;") != std::string::npos);
  CHECK(csv.body().find(";oui") != std::string::npos);
  const auto xlsx = w.officer.send(verb::get, "/v1/reports/spaser", "", {{"Accept", std::string(formats::kXlsxType)}});
  REQUIRE(xlsx.result_int() == 200);
  CHECK(xlsx.body().rfind("PK", 0) == 0);
  for (const char* bad : {"?year=26", "?year=abc", "?year=3000", "?member_id=-1", "?annee=2026", "?csv=x"}) {
    CAPTURE(bad);
    CHECK(w.officer.get(std::string("/v1/reports/spaser") + bad).result_int() == 400);
  }
}

TEST_CASE("tender reservation over HTTP: set on a draft with its article, refused afterwards") {
  test::DraftPaintLot w;
  auto& db = *w.s.database;
  const auto read = w.officer.get(w.t + "/reservation");
  REQUIRE(read.result_int() == 200);
  CHECK(body_of(read).at("reserved") == "none");
  const std::string etag(read[test::http::field::etag]);
  const auto set = put(w.officer, w.t + "/reservation", json::object{{"reserved", "esat_ea"}}, etag);
  REQUIRE_MESSAGE(set.result_int() == 200, set.body());
  CHECK(body_of(set).at("legal_basis") == "L2113-12");
  const auto audit = test::count_rows(db, "audit_log");
  CHECK(put(w.officer, w.t + "/reservation", json::object{{"reserved", "siae"}}, etag).result_int() == 412);
  for (const auto& bad : {json::value(json::object{{"reserved", "ESAT"}}), json::value(json::object{}),
                          json::value(json::object{{"reserved", 1}}),
                          json::value(json::object{{"reserved", "siae"}, {"basis", "L2113-13"}})}) {
    CAPTURE(json::serialize(bad));
    CHECK(put(w.officer, w.t + "/reservation", bad).result_int() == 400);
  }
  CHECK(put(w.officer, "/v1/tenders/999999/reservation", json::object{{"reserved", "siae"}}).result_int() == 404);
  CHECK(test::count_rows(db, "audit_log") == audit);
  CHECK(body_of(w.officer.get(w.t + "/reservation")).at("reserved") == "esat_ea");
  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  const auto late = put(w.officer, w.t + "/reservation", json::object{{"reserved", "none"}});
  CHECK(late.result_int() == 409);
  CHECK(code_of(late) == "tender.not_draft");
}

TEST_CASE("orders import over HTTP: the optional code columns, checked against the member's codes") {
  Coded w;
  auto& db = *w.s.database;
  const test::Headers csv{{"Content-Type", "text/csv; charset=utf-8"}};
  const std::string header =
      "Référence interne;Marché;Date commande;Désignation;Quantité;Lieu de livraison;Code nature;Code analytique\n";
  const std::string contract = std::to_string(w.contract_a);
  // Line 2 on 6152/PROG2; line 3 without codes takes the needs' (6152/PROG1).
  const auto good = w.buyer_a.send(verb::post, "/v1/orders/import",
                                   header + "ERP-1;" + contract + ";29/11/2026;Peinture;1;Agence;6152;PROG2\n" +
                                       "ERP-1;" + contract + ";29/11/2026;Rouleaux;1;Agence;;\n",
                                   csv);
  REQUIRE_MESSAGE(good.result_int() == 201, good.body());
  const auto order = body_of(
      w.buyer_a.get("/v1/orders/" + std::to_string(body_of(good).at("orders").at(0).at("id").as_int64())));
  CHECK(order.at("lines").at(0).at("budget_analytic") == "PROG2");
  CHECK(order.at("lines").at(1).at("budget_analytic") == "PROG1");
  CHECK(order.at("lines").at(1).at("budget_nature") == "6152");

  // The deactivated 6061 on line 3: nothing stored, the cell named.
  const auto orders = test::count_rows(db, "orders");
  const auto bad = w.buyer_a.send(verb::post, "/v1/orders/import",
                                  header + "ERP-2;" + contract + ";29/11/2026;Peinture;1;Agence;6152;PROG1\n" +
                                      "ERP-2;" + contract + ";29/11/2026;Rouleaux;1;Agence;6061;\n",
                                  csv);
  CHECK(bad.result_int() == 400);
  const auto problem = body_of(bad);
  CHECK(problem.at("errors").at(0).at("field") == "ligne 3, colonne code_nature");
  CHECK(problem.at("errors").at(0).at("code") == "budget_code.inactive");
  CHECK(test::count_rows(db, "orders") == orders);
}
