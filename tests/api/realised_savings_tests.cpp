// GET /v1/reports/savings/realised over HTTP, on both backends, with figures computed
// by hand. The lot of notified_lot.hpp: Peintures Picardes at 9 € the litre, both
// members' reference price 10 € the litre; savings projected at award: A 300 l × (10 − 9)
// = 300,00 €, B 700 l × (10 − 9) = 700,00 €.
//
// A orders 100 l and 20 l, gets 40 l and 12,345 l delivered:
//   40 l:      at the order's price 360,00 €, at reference 400,00 €, realised 40,00 €
//   12,345 l:  9 × 12,345 = 111,105 → 111,11 €; 10 × 12,345 = 123,45 €; realised 12,34 €
//   A:         471,11 €, 523,45 €, realised 52,34 €, nothing paid
// B orders 200 l, all delivered, invoiced and paid: 1 800,00 €, 2 000,00 €, realised
// 200,00 €, paid 200,00 €. Totals: 2 271,11 €, 2 523,45 €, realised 252,34 €, paid
// 200,00 €, projected 1 000,00 €. Every delivery on 2026-11-29: month 2026-11, CPV
// division 44.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/notified_lot.hpp"

using namespace canopee;
using test::body_of;
using test::code_of;
using test::NotifiedLot;
namespace json = boost::json;
using test::http::verb;

namespace {

std::int64_t place(const test::Call& buyer, std::int64_t contract, std::initializer_list<const char*> quantities) {
  json::array lines;
  for (const char* q : quantities) lines.push_back(json::object{{"description", "Peinture"}, {"quantity", q}});
  const auto reply = buyer.post("/v1/orders", json::object{{"contract_id", contract},
                                                           {"delivery_place", "Agence"},
                                                           {"lines", std::move(lines)},
                                                           {"send", true}});
  REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
  return body_of(reply).at("id").as_int64();
}

test::Reply deliver(const test::Call& buyer, std::int64_t order, std::initializer_list<const char*> quantities) {
  json::array lines;
  for (const char* q : quantities) lines.push_back(json::string(q));
  return buyer.post("/v1/orders/" + std::to_string(order) + "/delivery",
                    json::object{{"delivered_on", "2026-11-29"}, {"lines", std::move(lines)}});
}

void check_figures(const json::value& v, const char* delivered, const char* reference, const char* realised,
                   const char* paid) {
  CHECK(v.at("delivered_value") == delivered);
  CHECK(v.at("at_reference") == reference);
  CHECK(v.at("realised") == realised);
  CHECK(v.at("paid") == paid);
}

struct Delivered : NotifiedLot {
  Delivered() {
    const auto a = place(buyer_a, contract_a, {"100", "20"});
    REQUIRE(deliver(buyer_a, a, {"40", "12.345"}).result_int() == 200);
    place(buyer_a, contract_a, {"5"});  // sent, never delivered: counts nowhere
    const auto b = place(buyer_b, contract_b, {"200"});
    REQUIRE(deliver(buyer_b, b, {"200"}).result_int() == 200);
    const auto path = "/v1/orders/" + std::to_string(b);
    REQUIRE(buyer_b
                .post(path + "/invoice", json::object{{"invoiced_on", "2026-11-29"},
                                                      {"amount", "1800.00"},
                                                      {"invoice_reference", "F-2026-118"}})
                .result_int() == 200);
    REQUIRE(buyer_b.post(path + "/payment", json::object{{"paid_on", "2026-11-29"}}).result_int() == 200);
  }
};

}  // namespace

TEST_CASE("realised savings over HTTP: by member, category and month, to the cent, beside the projection") {
  Delivered w;
  const auto reply = w.officer.get("/v1/reports/savings/realised");
  REQUIRE_MESSAGE(reply.result_int() == 200, reply.body());
  const auto r = body_of(reply);
  CHECK(std::string(r.at("method").as_string()).find("sans annualisation") != std::string::npos);
  CHECK(r.at("basis") == "actual");

  const auto& lines = r.at("lines").as_array();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("member_id") == w.member_a);
  CHECK(lines[0].at("member_name") == "A");
  CHECK(lines[0].at("month") == "2026-11");
  CHECK(lines[0].at("cpv_division") == "44");
  CHECK(std::string(lines[0].at("category").as_string()).rfind("Matériaux et structures de construction", 0) == 0);
  check_figures(lines[0], "471.11", "523.45", "52.34", "0.00");
  CHECK(lines[0].at("lines") == 2);
  CHECK(lines[1].at("member_id") == w.member_b);
  check_figures(lines[1], "1800.00", "2000.00", "200.00", "200.00");

  const auto& members = r.at("by_member").as_array();
  REQUIRE(members.size() == 2);
  CHECK(members[0].at("member_name") == "A");
  CHECK(members[0].at("projected") == "300.00");
  CHECK(members[0].at("realised") == "52.34");
  CHECK(members[0].at("paid") == "0.00");
  CHECK(members[1].at("projected") == "700.00");
  CHECK(members[1].at("realised") == "200.00");
  CHECK(members[1].at("paid") == "200.00");

  REQUIRE(r.at("by_category").as_array().size() == 1);
  check_figures(r.at("by_category").at(0), "2271.11", "2523.45", "252.34", "200.00");
  REQUIRE(r.at("by_month").as_array().size() == 1);
  CHECK(r.at("by_month").at(0).at("month") == "2026-11");
  check_figures(r.at("by_month").at(0), "2271.11", "2523.45", "252.34", "200.00");
  check_figures(r.at("totals"), "2271.11", "2523.45", "252.34", "200.00");
  CHECK(r.at("totals").at("projected") == "1000.00");
  CHECK(r.at("totals").at("lines") == 3);

  // The projection is the savings report's, for the same lots.
  const auto savings = body_of(w.officer.get("/v1/reports/savings"));
  CHECK(savings.at("totals").at("savings") == "1000.00");

  // Filters: a member, a period without deliveries.
  const auto only_b = body_of(w.officer.get("/v1/reports/savings/realised?member_id=" + std::to_string(w.member_b)));
  REQUIRE(only_b.at("by_member").as_array().size() == 1);
  check_figures(only_b.at("totals"), "1800.00", "2000.00", "200.00", "200.00");
  CHECK(only_b.at("totals").at("projected") == "700.00");
  const auto december = body_of(w.officer.get("/v1/reports/savings/realised?from=2026-12-01&to=2026-12-31"));
  CHECK(december.at("lines").as_array().empty());
  check_figures(december.at("totals"), "0.00", "0.00", "0.00", "0.00");
  CHECK(december.at("totals").at("projected") == "0.00");
  const auto november = body_of(w.officer.get("/v1/reports/savings/realised?from=2026-11-29&to=2026-11-29"));
  check_figures(november.at("totals"), "2271.11", "2523.45", "252.34", "200.00");
}

TEST_CASE("realised savings over HTTP: a buyer sees its own member only; finance sees all; files; bad queries") {
  Delivered w;
  const auto own = w.buyer_a.get("/v1/reports/savings/realised");
  REQUIRE(own.result_int() == 200);
  const auto mine = body_of(own);
  REQUIRE(mine.at("by_member").as_array().size() == 1);
  CHECK(mine.at("by_member").at(0).at("member_id") == w.member_a);
  check_figures(mine.at("totals"), "471.11", "523.45", "52.34", "0.00");
  const auto other = w.buyer_a.get("/v1/reports/savings/realised?member_id=" + std::to_string(w.member_b));
  CHECK(other.result_int() == 404);
  CHECK(code_of(other) == "member.not_found");

  const test::Call finance{w.s.client, w.s.user(Role::finance, std::nullopt, "finance@x.example")};
  const auto all = body_of(finance.get("/v1/reports/savings/realised"));
  CHECK(all.at("totals").at("realised") == "252.34");
  const test::Call admin = w.admin;
  CHECK(admin.get("/v1/reports/savings/realised").result_int() == 403);

  // CSV (French: ';' and decimal commas) and XLSX from the same filters.
  const auto csv = finance.send(verb::get, "/v1/reports/savings/realised", "", {{"Accept", "text/csv"}});
  REQUIRE(csv.result_int() == 200);
  CHECK(csv.body().find("Économie réalisée HT") != std::string::npos);
  CHECK(csv.body().find("A;2026-11;44;") != std::string::npos);
  CHECK(csv.body().find("471,11;523,45;52,34;0,00;2") != std::string::npos);
  CHECK(csv.body().find("Total;;;;2271,11;2523,45;252,34;200,00;3") != std::string::npos);
  const auto rfc = finance.send(verb::get,
                                "/v1/reports/savings/realised?csv=rfc4180&member_id=" + std::to_string(w.member_b), "",
                                {{"Accept", "text/csv"}});
  REQUIRE(rfc.result_int() == 200);
  CHECK(rfc.body().find("Total,,,,1800.00,2000.00,200.00,200.00,1") != std::string::npos);
  const auto xlsx = finance.send(verb::get, "/v1/reports/savings/realised", "",
                                 {{"Accept", std::string(formats::kXlsxType)}});
  CHECK(xlsx.result_int() == 200);
  CHECK(xlsx.body().rfind("PK", 0) == 0);

  for (const char* bad : {"?from=2026-13-01", "?to=demain", "?member_id=x", "?member_id=0", "?group_by=member",
                          "?from=2026-12-01&to=2026-11-01", "?csv=excel"}) {
    CAPTURE(bad);
    CHECK(w.officer.get(std::string("/v1/reports/savings/realised") + bad).result_int() == 400);
  }
  CHECK(w.officer.send(verb::get, "/v1/reports/savings/realised", "", {{"Accept", "image/png"}}).result_int() == 406);
}
