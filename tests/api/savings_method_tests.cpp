// The savings method through the API (issue 19): a one-off purchase is not annualised,
// a single price says the pooling effect is not measurable, a lot's VAT rate gives the
// TTC columns, and the report states its method. Figures computed by hand.
#include <doctest/doctest.h>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/api_server.hpp"
#include "tests/support/fixtures.hpp"
#include "usecases/award.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;

namespace {

Date day(const char* t) { return *parse_date(t, "d"); }
std::string s(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

// OPAL buys 100 l once at 10.00 (reference 1,000.00); REIMS 50 l a year at 12.00 over
// the 24 months (100 l, reference 1,200.00). One bid at a single price, 9.00:
//   OPAL  contract 900.00, savings 100.00 — one-off
//   REIMS contract 900.00, savings 300.00 — recurring
struct OneOffScenario {
  test::ApiServer server;
  std::int64_t opal = 0, reims = 0, tender = 0, lot = 0, bid = 0;
  std::string officer, finance;

  OneOffScenario() {
    auto& db = *server.database;
    const db::Actor actor{};
    opal = test::add_member(db, "OPAL", "270200017", "02", "27020001700019").id;
    reims = test::add_member(db, "REIMS", "270510027", "51", "27051002700013").id;
    officer = server.user(Role::officer, std::nullopt, "officer@x.example");
    finance = server.user(Role::finance, std::nullopt, "finance@x.example");
    Supplier supplier;
    supplier.name = "Titulaire";
    supplier.siret = "38901234500010";
    supplier.department = *parse_department("02", "d");
    const auto supplier_id = db::create_supplier(db, actor, supplier)->id;
    const auto need = [&](std::int64_t m, const char* q, const char* price, bool recurring) {
      auto d = test::in_year(test::need_draft("44810000-1", q, "l", price), "2027");
      d.recurring = recurring;
      REQUIRE(db::create_need(db, actor, test::make_need(0, m, d)).ok());
    };
    need(opal, "100", "10", false);
    need(reims, "50", "12", true);
    AggregationOptions options;
    options.contract_start = day("2027-01-01");
    options.duration_months = 24;
    auto proposal = *propose_aggregation(*db::select_submitted_needs(db, {}), options);
    Tender t;
    t.title = "Peinture";
    t.coordinator_member_id = opal;
    t.contract_start = *options.contract_start;
    t.duration_months = 24;
    t.criteria = {{"prix", 70, true, false}, {"environnement", 30, false, true}};  // L2152-7 since 2026-08-21
    t.bid_deadline = "2026-11-01T12:00:00Z";
    t.allotment_justification = "un lot";
    t.environmental_conditions = "emballages repris par le titulaire";
    t.lots = lots_from_proposal(proposal, server.services.nomenclature);
    tender = db::create_tender(db, actor, t)->id;
    lot = db::get_tender(db, tender)->lots.at(0).id;
    Bid b;
    b.supplier_id = supplier_id;
    b.received_at = "2026-10-15T10:00:00Z";
    b.tiers = {{Quantity{0}, UnitPrice{90000}}};
    b.scores = {{"environnement", 500000}};
    bid_template = b;
  }

  // Published, the single-price bid received, decided valid and awarded.
  void award() {
    auto& db = *server.database;
    const db::Actor actor{};
    const auto published = usecases::transition_tender(db, actor, tender, TenderStatus::published, std::nullopt,
                                                       day("2026-10-01"));
    if (!published) FAIL(published.error().message << " " << published.error().rule);
    bid = db::create_bid(db, actor, tender, lot, bid_template)->id;
    REQUIRE(usecases::transition_tender(db, actor, tender, TenderStatus::closed, std::nullopt, day("2026-11-02")).ok());
    REQUIRE(
        usecases::record_bid_decision(db, actor, bid, std::nullopt, {BidDecisionKind::valid}, day("2026-11-02")).ok());
    REQUIRE(usecases::award_lot(db, actor, tender, lot, bid, day("2026-11-10")).ok());
  }

  Bid bid_template;
};

const json::object& row_for(const json::value& report, std::int64_t member) {
  for (const auto& r : report.at("rows").as_array()) {
    if (r.at("key").as_string() == std::to_string(member)) return r.as_object();
  }
  FAIL("no row " << member);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a one-off purchase counts once on the 12-month basis; a single price cannot measure pooling; TTC") {
  OneOffScenario sc;
  const Call officer{sc.server.client, sc.officer};
  const auto path = "/v1/tenders/" + std::to_string(sc.tender);
  // Energy-renovation paint works at 5.5 % (CGI 278-0 bis A), set on the draft.
  const auto patched =
      officer.patch(path, json::object{{"lots", json::array{json::object{{"id", sc.lot}, {"vat_rate", "5.5"}}}}});
  REQUIRE(patched.result_int() == 200);
  CHECK(s(body_of(patched).at("lots").at(0), "vat_rate") == "5.5");
  sc.award();

  const Call finance{sc.server.client, sc.finance};
  const auto contract = body_of(finance.get("/v1/reports/savings"));
  const auto& opal = row_for(contract, sc.opal);
  CHECK(s(opal, "reference") == "1000.00");
  CHECK(s(opal, "contract") == "900.00");
  CHECK(s(opal, "contract_one_off") == "900.00");
  // TTC at 5.5 %: 1,000 × 1.055 = 1,055.00; 900 × 1.055 = 949.50; savings 105.50.
  CHECK(s(opal, "reference_ttc") == "1055.00");
  CHECK(s(opal, "contract_ttc") == "949.50");
  CHECK(s(opal, "savings_ttc") == "105.50");
  CHECK(s(opal, "pooling_effect_status") == "not_measurable");
  CHECK(s(contract.at("totals"), "pooling_effect_status") == "not_measurable");
  CHECK(contract.at("totals").at("lines_pooling_not_measurable").as_int64() == 2);
  CHECK(s(contract.at("parameters"), "amounts") == "HT");
  CHECK(s(contract.at("parameters"), "recurrence_rule") == "recurring_annualised_one_off_once");
  CHECK(contract.at("parameters").at("vat_rates").as_array().at(0).as_string() == "5.50");
  bool method_says_one_off = false;
  for (const auto& m : contract.at("method").as_array()) {
    if (m.at("label").as_string() == "Achats ponctuels et récurrents") method_says_one_off = true;
  }
  CHECK(method_says_one_off);
  REQUIRE(contract.at("lines").as_array().size() == 2);
  for (const auto& l : contract.at("lines").as_array()) {
    CHECK(s(l, "recurrence") == (l.at("member_id").as_int64() == sc.opal ? "one_off" : "recurring"));
    CHECK_FALSE(l.at("pooling_measurable").as_bool());
  }

  // 12 months: OPAL's one-off line stays 1,000.00 / 900.00 (the former rule halved it to
  // 500.00 / 450.00); REIMS's recurring line halves: 600.00 / 450.00, savings 150.00.
  const auto yearly = body_of(finance.get("/v1/reports/savings?basis=12m"));
  CHECK(s(row_for(yearly, sc.opal), "reference") == "1000.00");
  CHECK(s(row_for(yearly, sc.opal), "savings") == "100.00");
  CHECK(s(row_for(yearly, sc.reims), "reference") == "600.00");
  CHECK(s(row_for(yearly, sc.reims), "contract") == "450.00");
  CHECK(s(row_for(yearly, sc.reims), "savings") == "150.00");
  CHECK(s(yearly.at("totals"), "savings") == "250.00");

  // The CSV says HT and TTC in its headers.
  const auto csv = finance.send(test::http::verb::get, "/v1/reports/savings", "", {{"Accept", "text/csv"}});
  REQUIRE(csv.result_int() == 200);
  CHECK(csv.body().find("Gains TTC") != std::string::npos);
  CHECK(csv.body().find("Référence HT") != std::string::npos);
  CHECK(csv.body().find("non mesurable (prix unique)") != std::string::npos);
}

TEST_CASE("a lot's VAT rate: only an admitted rate, on a draft; bad input changes nothing") {
  OneOffScenario sc;
  const Call officer{sc.server.client, sc.officer};
  const auto path = "/v1/tenders/" + std::to_string(sc.tender);
  const auto rate_of = [&] { return s(body_of(officer.get(path)).at("lots").at(0), "vat_rate"); };
  CHECK(rate_of() == "20.0");
  struct Case {
    json::value rate;
    const char* code;
  };
  const Case cases[] = {{json::value("7"), "lot.vat_rate.unknown"},
                        {json::value("abc"), "lot.vat_rate.invalid"},
                        {json::value("-5"), "lot.vat_rate.invalid"},
                        {json::value("1000"), "lot.vat_rate.invalid"},
                        {json::value("5.55"), "lot.vat_rate.unknown"},
                        {json::value("20';--"), "lot.vat_rate.invalid"},
                        {json::value("20'; DROP TABLE lots; --"), "input.too_long"},
                        {json::value(20), "input.not_text"},
                        {json::value(true), "input.not_text"}};
  for (const auto& c : cases) {
    CAPTURE(json::serialize(c.rate));
    const auto r = officer.patch(path, json::object{
                                           {"lots", json::array{json::object{{"id", sc.lot}, {"vat_rate", c.rate}}}}});
    CHECK(r.result_int() >= 400);
    CHECK(r.result_int() < 500);
    CHECK(body_of(r).at("errors").at(0).at("code").as_string() == c.code);
    CHECK(rate_of() == "20.0");
  }
  // 10 % is admitted; once the tender has left the draft nothing changes (tender.not_draft).
  CHECK(officer.patch(path, json::object{{"lots", json::array{json::object{{"id", sc.lot}, {"vat_rate", "10"}}}}})
            .result_int() == 200);
  CHECK(rate_of() == "10.0");
  sc.award();
  const auto late = officer.patch(path, json::object{
                                            {"lots", json::array{json::object{{"id", sc.lot}, {"vat_rate", "20"}}}}});
  CHECK(late.result_int() == 409);
  CHECK(rate_of() == "10.0");
}
