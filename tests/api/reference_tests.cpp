// The reference of the savings over HTTP (issue 19 item 2), on both backends: a need's source,
// date and index; the award actualising it (or taking the offers' average); what it was computed
// from, per member; hostile input refused with a code and nothing changed.
//
// Figures by hand. The paint lot: A 300 l, B 700 l, both typed at 10.00 €/l HT; bids 9.00 € and
// 10.00 € (both declared valid), awarded to the 9.00 € bid on the server's day, 2026-11-29.
//  A: historical price dated 15/03/2025, BT01. BT01 loaded: 2025-03 = 1,100.0, 2026-09 = 1,155.0
//     (nothing later: September is the latest published on or before November 2026).
//     raw 300 × 10.00 = 3,000.00 €; actualised 3,000.00 × 1,155 / 1,100 = 3,000 × 1.05 = 3,150.00 €;
//     contract 300 × 9.00 = 2,700.00 €; savings 3,150.00 − 2,700.00 = 450.00 €.
//  B: average of the offers: (9.00 + 10.00) / 2 = 9.50 €/l; reference 700 × 9.50 = 6,650.00 €;
//     contract 700 × 9.00 = 6,300.00 €; savings 350.00 €. Its typed 10.00 € (7,000.00 €) was the
//     estimate that sized the procedure.
#include <doctest/doctest.h>

#include "tests/support/awarded_lot.hpp"

using namespace canopee;
using namespace canopee::test;
namespace json = boost::json;

namespace {

const json::object kIndexedA{{"reference_source", "historical_price"},
                             {"reference_date", "2025-03-15"},
                             {"reference_index", "BT01"}};
const json::object kAverageB{{"reference_source", "average_of_offers"}};

void load_bt01(const Call& admin, std::initializer_list<std::pair<const char*, const char*>> values) {
  for (const auto& [month, value] : values) {
    const auto r = admin.post("/v1/price-indices", json::object{{"code", "BT01"}, {"month", month}, {"value", value}});
    INFO(r.body());
    REQUIRE(r.result_int() / 100 == 2);
  }
}

json::value member_of(const json::value& answer, std::int64_t member_id) {
  for (const auto& m : answer.at("members").as_array()) {
    if (m.at("member_id").as_int64() == member_id) return m;
  }
  FAIL("member " << member_id << " missing");
  return {};
}

struct ReferenceLot : DraftPaintLot {
  std::vector<std::int64_t> bids;
  explicit ReferenceLot(const json::object& a = kIndexedA, const json::object& b = kAverageB)
      : DraftPaintLot("44810000-1", "l", a, b) {
    bids = receive_bids();
  }
  Reply award() { return officer.post(lot + "/award", json::object{{"bid_id", bids[0]}}); }
};

}  // namespace

TEST_CASE("API: a need carries its reference source, date and index, returned as given") {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = body_of(post_member(admin, "A", "270200017")).at("id").as_int64();
  Call buyer{s.client, s.user(Role::buyer, member, "buyer@x.example")};
  json::object body{{"cpv", "44810000-1"},
                    {"title", "Peinture"},
                    {"quantity", "100"},
                    {"unit", "l"},
                    {"reference_unit_price", "5"},
                    {"department", "02"},
                    {"period_start", "2027-01-01"},
                    {"period_end", "2027-12-31"}};
  // Without them: a historical price dated the day it is recorded (the server's 2026-11-29), no index.
  const auto plain = body_of(buyer.post("/v1/needs", body));
  CHECK(plain.at("reference_source").as_string() == "historical_price");
  CHECK(plain.at("reference_date").as_string() == "2026-11-29");
  CHECK(plain.at("reference_index").is_null());
  CHECK(plain.at("reference_missing").as_bool() == false);

  body["reference_source"] = "supplier_quotes";
  body["reference_date"] = "2026-06-30";
  body["reference_index"] = "BT01";
  const auto created = buyer.post("/v1/needs", body);
  REQUIRE(created.result_int() == 201);
  const auto need = body_of(created);
  const std::string path = "/v1/needs/" + std::to_string(need.at("id").as_int64());
  const auto read = body_of(buyer.get(path));
  CHECK(read.at("reference_source").as_string() == "supplier_quotes");
  CHECK(read.at("reference_date").as_string() == "2026-06-30");
  CHECK(read.at("reference_index").as_string() == "BT01");

  // PATCH: null clears the index; the rest stays.
  const auto etag = std::string(buyer.get(path)[http::field::etag]);
  const auto patched = buyer.send(http::verb::patch, path, R"({"reference_index":null})", {{"If-Match", etag}});
  INFO(patched.body());
  REQUIRE(patched.result_int() == 200);
  CHECK(body_of(patched).at("reference_index").is_null());
  CHECK(body_of(patched).at("reference_source").as_string() == "supplier_quotes");

  // A zero reference is accepted, flagged.
  body["reference_unit_price"] = "0";
  body.erase("reference_index");
  CHECK(body_of(buyer.post("/v1/needs", body)).at("reference_missing").as_bool() == true);
}

TEST_CASE("API: hostile reference fields are refused with a code and nothing is stored") {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = body_of(post_member(admin, "A", "270200017")).at("id").as_int64();
  Call buyer{s.client, s.user(Role::buyer, member, "buyer@x.example")};
  const auto count = [&] { return body_of(buyer.get("/v1/needs")).at("items").as_array().size(); };
  const auto before = count();
  const std::string base =
      R"({"cpv":"44810000-1","title":"Peinture","quantity":"1","unit":"l","reference_unit_price":"5",)"
      R"("department":"02","period_start":"2027-01-01","period_end":"2027-12-31",)";
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {R"("reference_source":"devis"})", "reference_source", "need.reference.source_unknown"},
      {R"("reference_source":"HISTORICAL_PRICE"})", "reference_source", "need.reference.source_unknown"},
      {R"("reference_source":42})", "reference_source", "input.not_text"},
      {R"("reference_source":["historical_price"]})", "reference_source", "input.not_text"},
      {R"("reference_date":"2025-02-30"})", "reference_date", "need.reference.date_invalid"},
      {R"("reference_date":"15/03/2025"})", "reference_date", "need.reference.date_invalid"},
      {R"("reference_date":20250315})", "reference_date", "input.not_text"},
      {R"("reference_index":"bt01"})", "reference_index", "need.reference.index_invalid"},
      {R"("reference_index":"BT01'; DROP TABLE needs;--"})", "reference_index", "need.reference.index_invalid"},
      {R"("reference_index":"<script>"})", "reference_index", "need.reference.index_invalid"},
      {R"("reference_index":"ABCDEFGHIJKLMNOPQRSTU"})", "reference_index", "need.reference.index_invalid"},
      {R"("reference_index":true})", "reference_index", "input.not_text"},
      {R"("reference_source":"average_of_offers","reference_index":"BT01"})", "reference_index",
       "need.reference.index_not_applicable"},
  };
  for (const auto& [tail, field, code] : cases) {
    CAPTURE(tail);
    const auto r = buyer.send(http::verb::post, "/v1/needs", base + tail);
    CHECK(r.result_int() == 400);
    const auto problem = body_of(r);
    REQUIRE(problem.at("errors").as_array().size() >= 1);
    CHECK(problem.at("errors").at(0).at("field").as_string() == field);
    CHECK(problem.at("errors").at(0).at("code").as_string() == code);
  }
  CHECK(count() == before);
}

TEST_CASE("API: the needs CSV import takes the reference columns, all or none") {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = body_of(post_member(admin, "A", "270200017")).at("id").as_int64();
  Call buyer{s.client, s.user(Role::buyer, member, "buyer@x.example")};
  const std::string header =
      "cpv;title;quantity;unit;reference_unit_price;department;period_start;period_end;reference_source;"
      "reference_date;reference_index\n";
  const auto bad = buyer.send(http::verb::post, "/v1/needs/import",
                              header +
                                  "44810000-1;Peinture;10;l;5,5;02;2027-01-01;2027-12-31;devis;;\n"
                                  "44810000-1;Vernis;10;l;5,5;02;2027-01-01;2027-12-31;;2025-13-01;BT01\n",
                              {{"Content-Type", "text/csv"}});
  CHECK(bad.result_int() == 400);
  const auto errors = body_of(bad).at("errors");
  REQUIRE(errors.as_array().size() == 2);
  CHECK(errors.at(0).at("field").as_string() == "line 2.reference_source");
  CHECK(errors.at(0).at("code").as_string() == "need.reference.source_unknown");
  CHECK(errors.at(1).at("field").as_string() == "line 3.reference_date");
  CHECK(errors.at(1).at("code").as_string() == "need.reference.date_invalid");
  CHECK(body_of(buyer.get("/v1/needs")).at("items").as_array().empty());

  const auto ok = buyer.send(http::verb::post, "/v1/needs/import",
                             header +
                                 "44810000-1;Peinture;10;l;5,5;02;2027-01-01;2027-12-31;budget_estimate;"
                                 "2026-02-01;TP01\n"
                                 "44810000-1;Vernis;10;l;5,5;02;2027-01-01;2027-12-31;;;\n",
                             {{"Content-Type", "text/csv"}});
  INFO(ok.body());
  REQUIRE(ok.result_int() / 100 == 2);
  const auto items = body_of(buyer.get("/v1/needs")).at("items");
  REQUIRE(items.as_array().size() == 2);
  // Newest first: Vernis (defaults), then Peinture.
  CHECK(items.at(0).at("reference_source").as_string() == "historical_price");
  CHECK(items.at(0).at("reference_date").as_string() == "2026-11-29");
  CHECK(items.at(0).at("reference_index").is_null());
  CHECK(items.at(1).at("reference_source").as_string() == "budget_estimate");
  CHECK(items.at(1).at("reference_date").as_string() == "2026-02-01");
  CHECK(items.at(1).at("reference_index").as_string() == "TP01");
}

TEST_CASE("API: the award actualises the reference by its index and takes the offers' average") {
  ReferenceLot f;
  load_bt01(f.admin, {{"2025-03", "1100.0"}, {"2026-09", "1155.0"}});
  // Before the award: nothing frozen yet.
  const auto before = f.officer.get(f.lot + "/savings-references");
  REQUIRE(before.result_int() == 200);
  CHECK(body_of(before).at("members").as_array().empty());

  const auto awarded = f.award();
  INFO(awarded.body());
  REQUIRE(awarded.result_int() == 200);

  const auto answer = body_of(f.officer.get(f.lot + "/savings-references"));
  CHECK(std::string(answer.at("rule").as_string()).find("actualisé") != std::string::npos);
  const auto a = member_of(answer, f.member_a);
  CHECK(a.at("raw").as_string() == "3000.00");
  CHECK(a.at("actualised").as_string() == "3150.00");
  const auto part = a.at("parts").at(0);
  CHECK(part.at("source").as_string() == "historical_price");
  CHECK(part.at("reference_date").as_string() == "2025-03-15");
  CHECK(part.at("index_code").as_string() == "BT01");
  CHECK(part.at("base").at("month").as_string() == "2025-03");
  CHECK(part.at("current").at("month").as_string() == "2026-09");
  CHECK(part.at("base").at("value").as_string() == "1100.0");
  CHECK(part.at("current").at("value").as_string() == "1155.0");
  CHECK(part.at("explanation").as_string() ==
        "Prix historique du 15/03/2025 actualisé par l’indice BT01 : 1\u00a0100,0 → 1\u00a0155,0 "
        "(mars 2025 → septembre 2026)");
  const auto b = member_of(answer, f.member_b);
  CHECK(b.at("raw").as_string() == "7000.00");
  CHECK(b.at("actualised").as_string() == "6650.00");
  CHECK(b.at("parts").at(0).at("average").at("unit_price").as_string() == "9.5000");
  CHECK(b.at("parts").at(0).at("average").at("bids").as_int64() == 2);

  // The savings are computed against the actualised references.
  const auto allocation = body_of(f.officer.get(f.t + "/allocation"));
  for (const auto& m : allocation.at("members").as_array()) {
    if (m.at("member_id").as_int64() == f.member_a) {
      CHECK(m.at("reference").as_string() == "3150.00");
      CHECK(m.at("savings").as_string() == "450.00");
    } else {
      CHECK(m.at("reference").as_string() == "6650.00");
      CHECK(m.at("savings").as_string() == "350.00");
    }
  }

  // A's buyer sees its own line only; B's finance neither of A's.
  const auto mine = body_of(f.buyer_a.get(f.lot + "/savings-references"));
  REQUIRE(mine.at("members").as_array().size() == 1);
  CHECK(mine.at("members").at(0).at("member_id").as_int64() == f.member_a);
  // The savings report says the rule.
  const Call finance{f.s.client, f.s.user(Role::finance, std::nullopt, "finance@x.example")};
  const auto report = finance.get("/v1/reports/savings?from=2026-01-01&to=2027-12-31");
  REQUIRE(report.result_int() == 200);
  CHECK(body_of(report).at("parameters").at("reference_rule").as_string() == kReferenceRule);
}

TEST_CASE("API: a missing index month refuses the award with a code and changes nothing") {
  // BT01 has September 2026 but not March 2025: never a coefficient of 1.
  ReferenceLot f;
  load_bt01(f.admin, {{"2026-09", "1155.0"}});
  const auto refused = f.award();
  CHECK(refused.result_int() == 409);
  CHECK(code_of(refused) == "reference.index_missing");
  CHECK(std::string(body_of(refused).at("detail").as_string()).find("mars 2025") != std::string::npos);
  CHECK(body_of(f.officer.get(f.t)).at("lots").at(0).at("status").as_string() == "open");
  CHECK(body_of(f.officer.get(f.lot + "/savings-references")).at("members").as_array().empty());
  // Once the value is loaded, the same award goes through.
  load_bt01(f.admin, {{"2025-03", "1100.0"}});
  CHECK(f.award().result_int() == 200);
}

TEST_CASE("API: savings references are read only on a visible lot") {
  ReferenceLot f(json::object{}, json::object{});
  REQUIRE(f.award().result_int() == 200);
  // Historical prices without an index: actualised = raw.
  const auto answer = body_of(f.officer.get(f.lot + "/savings-references"));
  CHECK(member_of(answer, f.member_a).at("actualised").as_string() == "3000.00");
  CHECK(member_of(answer, f.member_b).at("actualised").as_string() == "7000.00");
  CHECK(f.officer.get(f.t + "/lots/999999/savings-references").result_int() == 404);
  CHECK(f.officer.get("/v1/tenders/999999/lots/1/savings-references").result_int() == 404);
  CHECK(f.officer.get(f.lot + "/savings-references?x=1").result_int() == 400);
}
