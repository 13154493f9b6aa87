// Price revision over HTTP, on both backends (R2112-9 to R2112-14): the lot's price form set
// on the draft and refused after publication, BT01 values typed and loaded from an INSEE CSV
// (a provisional value corrected, audited), the revision of the awarded lot at hand-computed
// figures, the price in force that orders read, and every bad body refused with nothing
// written. The test server's day is 2026-11-29.
#include <doctest/doctest.h>

#include <algorithm>
#include <future>
#include <string>
#include <vector>

#include "adapters/db/unit_of_work.hpp"
#include "tests/support/awarded_lot.hpp"
#include "usecases/price_revision.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::code_of;
using test::field_code_of;
namespace json = boost::json;
using test::http::verb;

namespace {

// One paint lot (A 300 l, B 700 l) on a draft tender; bids at 9 € and 10 € the litre once published.
struct DraftLot : test::DraftPaintLot {
  test::Reply put_terms(const std::string& body) const { return officer.send(verb::put, lot + "/price-terms", body); }

  // Published, two bids, closed, both valid, awarded to the cheaper (9 €).
  void award() {
    const auto bids = receive_bids();
    REQUIRE(officer.post(lot + "/award", json::object{{"bid_id", bids[0]}}).result_int() == 200);
  }
};

struct Bad {
  verb method;
  std::string target;
  std::string body;
  unsigned status;
  std::string code;  // the problem's, or its first field's
};

void check_refused(const Call& caller, const std::vector<Bad>& bad) {
  for (const auto& b : bad) {
    CAPTURE(b.target);
    CAPTURE(b.body);
    const auto reply = caller.send(b.method, b.target, b.body);
    CHECK(reply.result_int() == b.status);
    if (!b.code.empty()) {
      const auto code = code_of(reply) == b.code ? code_of(reply) : field_code_of(reply);
      CHECK(code == b.code);
    }
  }
}

constexpr const char* kRevisable =
    R"({"kind":"revisable","fixed_part_bp":1250,"index_code":"BT01","base_month":"2026-01",)"
    R"("first_revision_on":"2026-11-01","periodicity_months":1})";

}  // namespace

TEST_CASE("price terms: set on the draft, refused once published, bad bodies change nothing") {
  DraftLot w;
  auto& db = *w.s.database;
  const auto firm = w.officer.get(w.lot + "/price-terms");
  REQUIRE(firm.result_int() == 200);
  CHECK(body_of(firm).at("kind") == "firm");
  CHECK(body_of(firm).at("index_code").is_null());

  const auto audit = test::count_rows(db, "audit_log");
  const std::string terms = w.lot + "/price-terms";
  check_refused(
      w.officer,
      {
          {verb::put, terms, "{}", 400, "input.required"},
          {verb::put, terms, "[", 400, "input.malformed_json"},
          {verb::put, terms, R"({"kind":"indexé"})", 400, "value.unknown"},
          {verb::put, terms, R"({"kind":"firm","x":1})", 400, "input.unknown_field"},
          {verb::put, terms, R"({"kind":"firm","index_code":"BT01"})", 400, "price_terms.firm_has_formula"},
          {verb::put, terms,
           R"({"kind":"revisable","fixed_part_bp":10001,"index_code":"BT01","base_month":"2026-01",)"
           R"("first_revision_on":"2027-01-15","periodicity_months":12})",
           400, "price_terms.fixed_part"},
          {verb::put, terms,
           R"({"kind":"revisable","fixed_part_bp":"1250","index_code":"BT01","base_month":"2026-01",)"
           R"("first_revision_on":"2027-01-15","periodicity_months":12})",
           400, "input.not_integer"},
          {verb::put, terms,
           R"({"kind":"revisable","index_code":"BT01'; DROP TABLE lots;--","base_month":"2026-01",)"
           R"("first_revision_on":"2027-01-15","periodicity_months":12})",
           400, "price_terms.index_code"},
          {verb::put, terms,
           R"({"kind":"revisable","index_code":"BT01","base_month":"janvier","first_revision_on":"2027-01-15",)"
           R"("periodicity_months":12})",
           400, "price_terms.base_month"},
          {verb::put, terms,
           R"({"kind":"revisable","index_code":"BT01","base_month":"2026-01","first_revision_on":"2026-01-20",)"
           R"("periodicity_months":12})",
           400, "price_terms.first_revision_on"},
          {verb::put, terms,
           R"({"kind":"revisable","index_code":"BT01","base_month":"2026-01","first_revision_on":"2027-01-15",)"
           R"("periodicity_months":121})",
           400, "price_terms.periodicity_months"},
          {verb::put, terms, R"({"kind":"revisable","index_code":"BT01","base_month":"2026-01"})", 400,
           "price_terms.first_revision_on"},
          {verb::put, w.t + "/lots/999999/price-terms", R"({"kind":"firm"})", 404, "lot.not_found"},
      });
  CHECK(test::count_rows(db, "lot_price_terms") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // On the version read: none stored is version 1; a second writer on the same read is refused.
  CHECK(firm[test::http::field::etag] == "\"v1\"");
  const auto set = w.officer.send(verb::put, terms, kRevisable, {{"If-Match", "\"v1\""}});
  REQUIRE(set.result_int() == 200);
  CHECK(set[test::http::field::etag] == "\"v2\"");
  CHECK(body_of(set).at("version") == 2);
  const auto stale = w.officer.send(verb::put, terms, R"({"kind":"firm"})", {{"If-Match", "\"v1\""}});
  CHECK(stale.result_int() == 412);
  CHECK(code_of(stale) == "price_terms.stale");
  const auto read = body_of(w.officer.get(w.lot + "/price-terms"));
  CHECK(read.at("kind") == "revisable");
  CHECK(read.at("kind_label") == "prix révisable");
  CHECK(read.at("fixed_part_bp") == 1250);
  CHECK(read.at("index_code") == "BT01");
  CHECK(read.at("base_month") == "2026-01");
  CHECK(read.at("first_revision_on") == "2026-11-01");
  CHECK(read.at("periodicity_months") == 1);
  CHECK(test::count_rows(db, "audit_log") == audit + 1);
  // The buyer whose member is in the lot reads it too.
  CHECK(w.buyer_a.get(w.lot + "/price-terms").result_int() == 200);

  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  const auto late = w.put_terms(R"({"kind":"firm"})");
  CHECK(late.result_int() == 409);
  CHECK(code_of(late) == "price_terms.tender_launched");
  CHECK(body_of(w.officer.get(w.lot + "/price-terms")).at("kind") == "revisable");
}

TEST_CASE("index values: typed, from the INSEE CSV, corrected with an audit row; all or none") {
  DraftLot w;
  auto& db = *w.s.database;
  const auto typed = w.admin.post("/v1/price-indices",
                                  json::object{{"code", "BT01"}, {"month", "2026-01"}, {"value", "131,2"}});
  REQUIRE(typed.result_int() == 200);
  CHECK(body_of(typed).at("added") == 1);

  const std::string insee =
      "\"Libellé\";\"Index BT01\"\n\"idBank\";\"001710986\"\n\"Dernière mise à jour\";\"15/11/2026 12:00\"\n"
      "\"Période\";\"\"\n\"2026-11\";\"135.0\";\"P\"\n\"2026-10\";\"134.6\";\"A\"\n\"2026-01\";\"131.2\";\"A\"\n";
  const auto loaded = w.admin.post("/v1/price-indices", json::object{{"code", "BT01"}, {"csv", insee}});
  REQUIRE(loaded.result_int() == 200);
  CHECK(body_of(loaded).at("added") == 2);
  CHECK(body_of(loaded).at("unchanged") == 1);

  const auto audit = test::count_rows(db, "audit_log");
  check_refused(
      w.admin,
      {
          {verb::post, "/v1/price-indices", "{}", 400, "input.required"},
          {verb::post, "/v1/price-indices", "[", 400, "input.malformed_json"},
          {verb::post, "/v1/price-indices", R"({"code":"bt01","month":"2026-02","value":"1"})", 400,
           "price_terms.index_code"},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","month":"2026-13","value":"1"})", 400, "month.invalid"},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","month":"2026-02","value":"-1"})", 400,
           "index.value_invalid"},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","month":"2026-02","value":true})", 400,
           "input.not_decimal"},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","month":"2026-02","value":1e400})", 400, ""},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","csv":"2026-02;131,5\n2026-03;abc\n","month":"2026-02"})",
           400, "index_import.both"},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","csv":"2026-02;131,5\n2026-03;abc\n"})", 400,
           "index.value_invalid"},
          {verb::post, "/v1/price-indices", R"({"code":"BT01","csv":"\"Libellé\";\"x\"\n"})", 400,
           "index_import.empty"},
      });
  const auto bad_csv = w.admin.post("/v1/price-indices",
                                    json::object{{"code", "BT01"}, {"csv", "2026-02;131,5\n2026-03;abc\n"}});
  CHECK(test::problem_errors(bad_csv).at(0).at("field") == "csv.line 2.value");
  CHECK(test::count_rows(db, "price_indices") == 3);  // 2026-02 not loaded either
  CHECK(test::count_rows(db, "audit_log") == audit);
  CHECK(w.buyer_a.post("/v1/price-indices", json::object{{"code", "BT01"}, {"month", "2026-02"}, {"value", "1"}})
            .result_int() == 403);

  // INSEE publishes November's definitive value: the provisional one is corrected, audited before/after.
  const auto corrected = w.admin.post("/v1/price-indices",
                                      json::object{{"code", "BT01"}, {"month", "2026-11"}, {"value", 135.4}});
  REQUIRE(corrected.result_int() == 200);
  CHECK(body_of(corrected).at("corrected") == 1);
  CHECK(test::count_rows(db, "audit_log") == audit + 1);
  const auto audit_rows = body_of(w.admin.get("/v1/audit"));
  CHECK(audit_rows.at("items").at(0).at("action") == "correct");

  const auto series = w.buyer_a.get("/v1/price-indices?code=BT01");
  REQUIRE(series.result_int() == 200);
  const auto items = body_of(series).at("items").as_array();
  REQUIRE(items.size() == 3);
  CHECK(items.at(0).at("month") == "2026-01");
  CHECK(items.at(0).at("value") == "131.2");
  CHECK(items.at(2).at("value") == "135.4");
  CHECK(items.at(2).at("source") == "typed");
  CHECK(w.buyer_a.get("/v1/price-indices?code=bt%3B").result_int() == 400);
  CHECK(w.buyer_a.get("/v1/price-indices?what=1").result_int() == 400);
}

TEST_CASE("revision of the awarded lot: hand-computed prices, the price in force on a day") {
  DraftLot w;
  auto& db = *w.s.database;
  REQUIRE(w.put_terms(kRevisable).result_int() == 200);
  const auto early = w.officer.post(w.lot + "/price-revisions", json::object{{"effective_on", "2026-11-01"}});
  CHECK(early.result_int() == 409);
  CHECK(code_of(early) == "lot.not_awarded");
  w.award();

  REQUIRE(w.admin.post("/v1/price-indices", json::object{{"code", "BT01"}, {"month", "2026-01"}, {"value", "131.2"}})
              .result_int() == 200);
  const auto audit = test::count_rows(db, "audit_log");
  const std::string revisions = w.lot + "/price-revisions";
  check_refused(w.officer,
                {
                    {verb::post, revisions, "{}", 400, "input.required"},
                    {verb::post, revisions, "[", 400, "input.malformed_json"},
                    {verb::post, revisions, R"({"effective_on":20261101})", 400, "input.not_text"},
                    {verb::post, revisions, R"({"effective_on":"2026-11-31"})", 400, ""},
                    {verb::post, revisions, R"({"effective_on":"2026-11-01","x":1})", 400, "input.unknown_field"},
                    {verb::post, revisions, R"({"effective_on":"2026-12-01"})", 400, "revision.future"},
                    {verb::post, revisions, R"({"effective_on":"2026-11-02"})", 400, "revision.not_on_schedule"},
                    {verb::post, revisions, R"({"effective_on":"2026-10-01"})", 400, "revision.not_on_schedule"},
                    // November's value is not loaded yet.
                    {verb::post, revisions, R"({"effective_on":"2026-11-01"})", 409, "revision.index_missing"},
                });
  const auto missing = w.officer.post(revisions, json::object{{"effective_on", "2026-11-01"}});
  CHECK(std::string(body_of(missing).at("detail").as_string()).find("BT01 de novembre 2026") != std::string::npos);
  CHECK(test::count_rows(db, "price_revisions") == 0);
  CHECK(test::count_rows(db, "contract_prices") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);

  REQUIRE(w.admin.post("/v1/price-indices", json::object{{"code", "BT01"}, {"month", "2026-11"}, {"value", "135.4"}})
              .result_int() == 200);
  const auto recorded = w.officer.post(revisions, json::object{{"effective_on", "2026-11-01"}});
  REQUIRE(recorded.result_int() == 201);
  const auto r = body_of(recorded);
  // 90 000 × (1250 × 1 312 000 + 8750 × 1 354 000) / (10 000 × 1 312 000)
  //   = 90 000 × 13 487 500 000 / 13 120 000 000 = 92 520.960… → 92 521 = 9,2521 €
  CHECK(r.at("coefficient") == "1,02801");
  CHECK(r.at("coefficient_num") == 13'487'500'000);
  CHECK(r.at("coefficient_den") == 13'120'000'000);
  CHECK(r.at("index_month") == "2026-11");
  CHECK(r.at("explanation") ==
        "P = P0 × (0,125 + 0,875 × I / I0) ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de novembre 2026 = 135,4 ; "
        "coefficient 1,02801");
  REQUIRE(r.at("contracts").as_array().size() == 2);
  for (const auto& c : r.at("contracts").as_array()) {
    CHECK(c.at("base_unit_price") == "9.0000");
    CHECK(c.at("unit_price") == "9.2521");
    CHECK(c.at("explanation") ==
          "P = P0 × (0,125 + 0,875 × I / I0) ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de novembre 2026 = "
          "135,4 ; coefficient 1,02801 ; 9,0000\u00a0€ → 9,2521\u00a0€ HT");
  }
  CHECK(test::count_rows(db, "audit_log") == audit + 2);  // the index value, the revision
  const auto again = w.officer.post(revisions, json::object{{"effective_on", "2026-11-01"}});
  CHECK(again.result_int() == 409);
  CHECK(code_of(again) == "revision.already_recorded");

  // A buyer sees its own member's contract only.
  const auto own = body_of(w.buyer_a.get(revisions));
  REQUIRE(own.at("items").as_array().size() == 1);
  REQUIRE(own.at("items").at(0).at("contracts").as_array().size() == 1);
  CHECK(own.at("items").at(0).at("contracts").at(0).at("member_id") == w.member_a);

  // The price orders read: the contract's before the revision date, the revised one from it.
  const auto contract_id = r.at("contracts").at(0).at("contract_id").as_int64();
  auto connection = db.acquire();
  REQUIRE(connection.ok());
  auto& sql = connection->sql();
  const auto before = usecases::price_in_force(sql, contract_id, *parse_date("2026-10-31", "d"));
  CHECK(before.unit_price.ten_thousandths == 90'000);
  CHECK_FALSE(before.revision_id.has_value());
  CHECK(before.explanation.empty());
  const auto on = usecases::price_in_force(sql, contract_id, *parse_date("2026-11-01", "d"));
  CHECK(on.unit_price.ten_thousandths == 92'521);
  CHECK(on.revision_id == r.at("id").as_int64());
  CHECK(on.explanation.find("coefficient 1,02801") != std::string::npos);
  CHECK_THROWS_AS(usecases::price_in_force(sql, 999'999, *parse_date("2026-11-01", "d")), std::out_of_range);
  // As the orders call it: inside their own unit of work.
  const auto in_order =
      db::in_transaction<usecases::PriceInForce>(db, [&](soci::session& tx) -> Result<usecases::PriceInForce> {
        return usecases::price_in_force(tx, contract_id, *parse_date("2027-03-01", "d"));
      });
  REQUIRE(in_order.ok());
  CHECK(in_order->unit_price.ten_thousandths == 92'521);

  // An order placed today (2026-11-29, after the revision date) is priced at the revised
  // price: 10 l × 9.2521 € = 92.521 € → 92.52 €; the line names the revision.
  const auto bids = body_of(w.officer.get(w.lot + "/bids"));
  for (const auto& bid : bids.at("items").as_array()) {
    const auto id = bid.at("id").as_int64();
    REQUIRE(w.officer.post(w.lot + "/letters/prepare", json::object{{"bid_id", id}, {"means", "electronic"}})
                .result_int() == 201);
    REQUIRE(w.officer
                .post(w.lot + "/letters",
                      json::object{{"bid_id", id},
                                   {"kind", id == bids.at("items").at(0).at("id").as_int64() ? "award" : "rejection"},
                                   {"means", "electronic"},
                                   {"sent_at", "2026-11-29T11:00"}})
                .result_int() == 201);
  }
  const std::string contract = "/v1/contracts/" + std::to_string(contract_id);
  REQUIRE(w.officer.post(contract + "/signature", json::object{{"signed_on", "2026-11-29"}}).result_int() == 200);
  REQUIRE(w.officer.post(contract + "/notification", json::object{{"notified_on", "2026-11-29"}}).result_int() == 200);
  const auto member_of_contract = r.at("contracts").at(0).at("member_id").as_int64();
  const Call buyer{w.s.client, member_of_contract == w.member_a
                                   ? w.buyer_a.token
                                   : w.s.user(Role::buyer, member_of_contract, "b2@x.example")};
  const auto placed = buyer.post("/v1/orders", json::object{{"contract_id", contract_id},
                                                            {"delivery_place", "Laon"},
                                                            {"lines", json::array{json::object{{"quantity", "10"}}}},
                                                            {"send", true}});
  REQUIRE(placed.result_int() == 201);
  CHECK(body_of(placed).at("lines").at(0).at("unit_price") == "9.2521");
  CHECK(body_of(placed).at("lines").at(0).at("revision_id") == r.at("id"));
  CHECK(body_of(placed).at("total") == "92.52");
  const auto ledger = body_of(buyer.get(contract + "/ledger"));
  CHECK(ledger.at("unit_price_in_force") == "9.2521");
  CHECK(std::string(ledger.at("price_explanation").as_string()).find("9,2521") != std::string::npos);
}

TEST_CASE("a firm actualisable price is actualised once at the start, on the index three months before") {
  DraftLot w;
  // Mois zéro January 2026, execution from 10 June 2026: more than three months, so actualised
  // on March's index. P = 90 000 × 133.8 / 131.2 = 91 783.5365… → 91 784 = 9,1784 €.
  REQUIRE(w.put_terms(R"({"kind":"firm_actualisable","index_code":"BT01","base_month":"2026-01",)"
                      R"("first_revision_on":"2026-06-10"})")
              .result_int() == 200);
  w.award();
  for (const auto& [month, value] : {std::pair{"2026-01", "131.2"}, std::pair{"2026-03", "133.8"}}) {
    REQUIRE(w.admin.post("/v1/price-indices", json::object{{"code", "BT01"}, {"month", month}, {"value", value}})
                .result_int() == 200);
  }
  const std::string revisions = w.lot + "/price-revisions";
  const auto off = w.officer.post(revisions, json::object{{"effective_on", "2026-07-10"}});
  CHECK(off.result_int() == 400);
  CHECK(field_code_of(off) == "revision.not_on_schedule");
  const auto done = w.officer.post(revisions, json::object{{"effective_on", "2026-06-10"}});
  REQUIRE(done.result_int() == 201);
  const auto r = body_of(done);
  CHECK(r.at("index_month") == "2026-03");
  CHECK(r.at("contracts").at(0).at("unit_price") == "9.1784");
  CHECK(r.at("contracts").at(0).at("explanation") ==
        "P = P0 × I / I0 ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de mars 2026 = 133,8 ; coefficient 1,01982 ; "
        "9,0000\u00a0€ → 9,1784\u00a0€ HT");
}

TEST_CASE("a lot at firm price is never revised") {
  DraftLot w;
  w.award();
  const auto refused = w.officer.post(w.lot + "/price-revisions", json::object{{"effective_on", "2026-11-01"}});
  CHECK(refused.result_int() == 409);
  CHECK(code_of(refused) == "revision.firm");
  CHECK(body_of(w.officer.get(w.lot + "/price-revisions")).at("items").as_array().empty());
}

TEST_CASE("two officers recording the same revision at once: one revision, one set of prices") {
  DraftLot w;
  REQUIRE(w.put_terms(R"({"kind":"revisable","fixed_part_bp":1250,"index_code":"BT01","base_month":"2026-01",)"
                      R"("first_revision_on":"2026-08-01","periodicity_months":1})")
              .result_int() == 200);
  w.award();
  const std::string csv = "2026-01;131,2\n2026-08;134,1\n2026-09;134,6\n2026-10;135,0\n2026-11;135,4\n";
  REQUIRE(w.admin.post("/v1/price-indices", json::object{{"code", "BT01"}, {"csv", csv}}).result_int() == 200);
  const auto record = [&](const std::string& on) {
    return w.officer.post(w.lot + "/price-revisions", json::object{{"effective_on", on}}).result_int();
  };
  for (const char* on : {"2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"}) {
    CAPTURE(on);
    auto first = std::async(std::launch::async, record, std::string(on));
    auto second = std::async(std::launch::async, record, std::string(on));
    const auto a = first.get(), b = second.get();
    CHECK(std::min(a, b) == 201);
    CHECK(std::max(a, b) == 409);
  }
  CHECK(test::count_rows(*w.s.database, "price_revisions") == 4);
  CHECK(test::count_rows(*w.s.database, "contract_prices") == 8);
  // Each revision starts again from P0: November's price is the one of its own index, whatever came before.
  const auto items = body_of(w.officer.get(w.lot + "/price-revisions")).at("items").as_array();
  REQUIRE(items.size() == 4);
  CHECK(items.at(3).at("effective_on") == "2026-11-01");
  CHECK(items.at(3).at("contracts").at(0).at("unit_price") == "9.2521");
}
