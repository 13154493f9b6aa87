// Derived data computed once (issue 21 item 2, schema/0028): a tender's evaluation and
// the savings report are kept with the version of their inputs, which triggers move in
// the transaction of every change. Each test reads, changes through the API, reads
// again, and compares with figures computed by hand; the cache's counters show that
// the second of two identical reads was served from it, so the checks after a change
// would fail if a change did not move the version. Both backends; on PostgreSQL also two
// servers on one database (a write through one, a read through the other).
#include <doctest/doctest.h>

#include <soci/soci.h>
#include "adapters/db/derived_versions.hpp"
#include "tests/support/awarded_lot.hpp"
#include "tests/support/gunzip.hpp"

using namespace canopee;
using namespace canopee::test;
namespace json = boost::json;
using verb = http::verb;

namespace {

// A bid of `price` € the litre by a new supplier, marked 50 on « environnement ».
std::int64_t post_bid(DraftPaintLot& w, const char* name, const char* siret, const char* price) {
  const auto supplier = body_of(
      w.officer.post("/v1/suppliers", json::object{{"name", name}, {"siret", siret}, {"department", "02"}}));
  const auto bid = w.officer.post(w.lot + "/bids", json::object{{"supplier_id", supplier.at("id")},
                                                                {"unit_price", price},
                                                                {"scores", json::object{{"environnement", "50"}}}});
  REQUIRE(bid.result_int() == 201);
  return body_of(bid).at("id").as_int64();
}

// The lot's evaluated bids, read twice: the second read must be the kept answer.
json::array ranked_twice(DraftPaintLot& w, const Call& officer, api::Services& services) {
  const auto first = officer.get(w.t + "/evaluation");
  REQUIRE(first.result_int() == 200);
  const auto hits = services.evaluations.stats().hits;
  const auto second = officer.get(w.t + "/evaluation");
  CHECK(second.body() == first.body());
  CHECK(services.evaluations.stats().hits == hits + 1);
  const auto body = body_of(first);
  CHECK(body.at("tender_id").as_int64() == std::stoll(w.t.substr(w.t.rfind('/') + 1)));
  return body.at("lots").at(0).at("bids").as_array();
}

// The report read twice: the second read must be the kept answer, sent compressed
// to a client that accepts gzip, and the same JSON once inflated.
json::value savings_twice(const Call& finance, api::Services& services) {
  const auto first = finance.get("/v1/reports/savings?group_by=member");
  REQUIRE(first.result_int() == 200);
  CHECK(first[http::field::content_encoding].empty());
  const auto hits = services.savings_reports.stats().hits;
  const auto second = finance.send(verb::get, "/v1/reports/savings?group_by=member", {},
                                   {{"Accept-Encoding", "br, GZIP;q=0.5"}});
  REQUIRE(second.result_int() == 200);
  CHECK(second[http::field::content_encoding] == "gzip");
  CHECK(second[http::field::vary] == "Accept-Encoding");
  CHECK(second.body().size() * 2 < first.body().size());  // 2,252 bytes for 5,845 here
  CHECK(gunzip(second.body()) == first.body());
  CHECK(services.savings_reports.stats().hits == hits + 1);
  // Refused by weight, whatever "*" says: the JSON as it is.
  const auto third = finance.send(verb::get, "/v1/reports/savings?group_by=member", {},
                                  {{"Accept-Encoding", "gzip;q=0, *;q=1"}});
  CHECK(third[http::field::content_encoding].empty());
  CHECK(third[http::field::vary] == "Accept-Encoding");
  CHECK(third.body() == first.body());
  return body_of(first);
}

std::string s(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

const json::value* row_of(const json::value& report, std::int64_t member) {
  for (const auto& r : report.at("rows").as_array()) {
    if (r.at("member_id").as_int64() == member) return &r;
  }
  return nullptr;
}

std::int64_t tender_counter(db::Database& database, const std::string& t) {
  const auto v = db::tender_derived_version(database, std::stoll(t.substr(t.rfind('/') + 1)));
  REQUIRE(v.ok());
  REQUIRE(v->has_value());
  return **v;
}

std::int64_t finance_counter(db::Database& database) {
  const auto v = db::finance_version(database);
  REQUIRE(v.ok());
  return *v;
}

void exec(db::Database& database, const std::string& statement) {
  auto c = database.acquire();
  REQUIRE(c.ok());
  c->sql() << statement;
}

}  // namespace

TEST_CASE("the evaluation is kept per version: a bid, a mark, a decision, an award show at once") {
  DraftPaintLot w;  // one lot of 1,000 l (A 300, B 700), price 90, environment 10
  auto& services = w.s.services;
  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  const auto ten = post_bid(w, "Couleurs du Nord", "41234567000019", "10");
  auto bids = ranked_twice(w, w.officer, services);
  REQUIRE(bids.size() == 1);
  CHECK(bids.at(0).at("bid_id").as_int64() == ten);
  CHECK(s(bids.at(0), "total_price") == "10000.00");  // 1,000 l × 10.00 €

  // A second bid, cheaper: it ranks first (9,000.00 € against 10,000.00 €).
  const auto misses = services.evaluations.stats().misses;
  const auto nine = post_bid(w, "Peintures Picardes", "38901234500010", "9");
  bids = ranked_twice(w, w.officer, services);
  CHECK(services.evaluations.stats().misses == misses + 1);
  REQUIRE(bids.size() == 2);
  CHECK(bids.at(0).at("bid_id").as_int64() == nine);
  CHECK(s(bids.at(0), "total_price") == "9000.00");
  CHECK(bids.at(0).at("rank").as_int64() == 1);
  CHECK(bids.at(1).at("bid_id").as_int64() == ten);
  CHECK(bids.at(1).at("rank").as_int64() == 2);

  // A mark changed: the 10 € bid gets 100 on the environment, the 9 € one keeps 50.
  // Price 90 × 9/10 = 81 + 10 × 100 % = 91 for it; 90 + 10 × 50 % = 95 for the 9 € one.
  const auto patched = w.officer.patch("/v1/bids/" + std::to_string(ten),
                                       json::object{{"scores", json::object{{"environnement", "100"}}},
                                                    {"reason", "erreur de saisie"}},
                                       "\"v1\"");
  REQUIRE(patched.result_int() == 200);
  bids = ranked_twice(w, w.officer, services);
  REQUIRE(bids.size() == 2);
  CHECK(bids.at(0).at("bid_id").as_int64() == nine);
  CHECK(s(bids.at(0), "weighted_total") == "95.0000");
  CHECK(bids.at(1).at("bid_id").as_int64() == ten);
  CHECK(s(bids.at(1).at("scores"), "environnement") == "100.0000");
  CHECK(s(bids.at(1), "weighted_total") == "91.0000");

  // Closed, then decisions: the 9 € bid irregular, the 10 € bid valid and first.
  REQUIRE(w.officer.post(w.t + "/close", json::object{{"reason", "offres reçues"}}).result_int() == 200);
  REQUIRE(w.officer.post("/v1/bids/" + std::to_string(ten) + "/decisions", json::object{{"decision", "valid"}})
              .result_int() == 200);
  REQUIRE(w.officer
              .post("/v1/bids/" + std::to_string(nine) + "/decisions",
                    json::object{{"decision", "irregular"}, {"reason", "pièce manquante"}})
              .result_int() == 200);
  bids = ranked_twice(w, w.officer, services);
  REQUIRE(bids.size() == 2);
  for (const auto& b : bids) {
    if (b.at("bid_id").as_int64() == nine) {
      CHECK(s(b, "regularity") == "irregular");
      CHECK(b.at("eliminated").as_bool());
    } else {
      CHECK(s(b, "regularity") == "valid");
      CHECK(b.at("rank").as_int64() == 1);
      CHECK(b.at("awardable").as_bool());
    }
  }

  // Awarded: the lot's status in the evaluation moves with it.
  REQUIRE(w.officer.post(w.lot + "/award", json::object{{"bid_id", ten}}).result_int() == 200);
  const auto after = body_of(w.officer.get(w.t + "/evaluation"));
  CHECK(s(after.at("lots").at(0), "status") == "awarded");
}

TEST_CASE("the savings report is kept per finance version: an award, a cost, a notification show at once") {
  AwardedLot w;  // A 300 l, B 700 l at a 10.00 € reference; bids 9.00 € and 10.00 €
  auto& services = w.s.services;
  const Call finance{w.s.client, w.s.user(Role::finance, std::nullopt, "finance@x.example")};
  auto report = savings_twice(finance, services);
  CHECK(s(report.at("totals"), "savings") == "0.00");
  CHECK(report.at("lines").as_array().empty());

  // Awarded at 9.00 €: A saves 300 × 1.00 = 300.00, B 700 × 1.00 = 700.00.
  w.award();
  report = savings_twice(finance, services);
  REQUIRE(report.at("lines").as_array().size() == 2);
  CHECK(s(*row_of(report, w.member_a), "savings") == "300.00");
  CHECK(s(*row_of(report, w.member_b), "savings") == "700.00");
  CHECK(s(report.at("totals"), "contract") == "9000.00");
  CHECK(s(report.at("totals"), "savings") == "1000.00");
  CHECK(s(report.at("totals"), "savings_notified") == "0.00");

  // A shared cost of 100.00 € split on the contract values (2,700 and 6,300: 30 % and 70 %).
  const auto cost = w.officer.post(w.t + "/costs", json::object{{"label", "Publicité"},
                                                                {"amount", "100.00"},
                                                                {"key", "contract_value"},
                                                                {"subsidy_eligible", false}});
  REQUIRE(cost.result_int() == 201);
  report = savings_twice(finance, services);
  CHECK(s(*row_of(report, w.member_a), "shared_costs") == "30.00");
  CHECK(s(*row_of(report, w.member_b), "shared_costs") == "70.00");
  CHECK(s(*row_of(report, w.member_a), "net_savings") == "270.00");
  CHECK(s(report.at("totals"), "net_savings") == "900.00");

  // One contract signed and notified: its member's savings now count from the notification.
  REQUIRE(w.letter(w.loser, "rejection", "2026-11-29T11:00").result_int() == 201);
  REQUIRE(w.letter(w.winner, "award", "2026-11-29T11:00").result_int() == 201);
  const auto contract = w.contract(0);
  const auto member = w.chain().at("contracts").at(0).at("member_id").as_int64();
  const auto signed_reply = w.officer.post(contract + "/signature", json::object{{"signed_on", "2026-11-29"}});
  REQUIRE(signed_reply.result_int() == 200);
  REQUIRE(w.officer
              .post(contract + "/notification", json::object{{"notified_on", "2026-11-29"}},
                    std::string(signed_reply.base()["ETag"]))
              .result_int() == 200);
  report = savings_twice(finance, services);
  const auto expected = member == w.member_a ? "300.00" : "700.00";
  CHECK(s(report.at("totals"), "savings_notified") == expected);
  CHECK(report.at("totals").at("lines_notified").as_int64() == 1);
  CHECK(s(*row_of(report, member), "savings_notified") == expected);

  // A member's buyer sees its own member only: a different key, never the network's answer.
  const auto mine = body_of(w.buyer_a.get("/v1/reports/savings?group_by=member"));
  REQUIRE(mine.at("rows").as_array().size() == 1);
  CHECK(s(mine.at("totals"), "savings") == "300.00");

  // What operators read: four versions each read three times (computed, then kept
  // twice), and the buyer's own key once; two answers held (the network's, the member's).
  const auto metrics = w.s.client.get("/metrics").body();
  CHECK(metrics.find("canopee_kept_answers_total{cache=\"savings_report\",result=\"hit\"} 8\n") != std::string::npos);
  CHECK(metrics.find("canopee_kept_answers_total{cache=\"savings_report\",result=\"miss\"} 5\n") != std::string::npos);
  CHECK(metrics.find("canopee_kept_answers_total{cache=\"savings_report\",result=\"wait\"} 0\n") != std::string::npos);
  CHECK(metrics.find("canopee_kept_answers{cache=\"savings_report\"} 2\n") != std::string::npos);
  CHECK(metrics.find("canopee_kept_answers_bytes{cache=\"evaluation\"} ") != std::string::npos);
}

TEST_CASE("the counters move with every input, in the writing transaction, on both backends") {
  AwardedLot w;
  auto& db = *w.s.database;
  const auto tender_id = w.t.substr(w.t.rfind('/') + 1);
  const auto lot_id = std::to_string(w.lot_id), bid = std::to_string(w.winner);
  // Each statement below changes one input of the evaluation: the tender's version grows.
  for (const auto& statement : std::vector<std::string>{
           "UPDATE tenders SET tie_break = tie_break WHERE id = " + tender_id,
           "UPDATE criteria SET weight = weight WHERE tender_id = " + tender_id,
           "UPDATE lots SET officer_estimate = 1000000 WHERE id = " + lot_id,
           "UPDATE lot_lines SET quantity = quantity WHERE lot_id = " + lot_id,
           "UPDATE bids SET received_at = received_at WHERE id = " + bid,
           "UPDATE bid_tiers SET unit_price = unit_price WHERE bid_id = " + bid,
           "UPDATE bid_scores SET score = score WHERE bid_id = " + bid,
       }) {
    CAPTURE(statement);
    const auto before = tender_counter(db, w.t);
    exec(db, statement);
    CHECK(tender_counter(db, w.t) > before);
  }
  // A need written elsewhere changes neither counter.
  const auto tender_before = tender_counter(db, w.t), finance_before = finance_counter(db);
  REQUIRE(w.buyer_a.post("/v1/needs", test::need_body("44810000-1", "5", "l", "10")).result_int() == 201);
  CHECK(tender_counter(db, w.t) == tender_before);
  CHECK(finance_counter(db) == finance_before);

  w.award();  // savings lines, contracts, the award: both move
  CHECK(tender_counter(db, w.t) > tender_before);
  CHECK(finance_counter(db) > finance_before);
  for (const auto& statement : std::vector<std::string>{
           "UPDATE savings_lines SET duration_months = duration_months WHERE lot_id = " + lot_id,
           "UPDATE contracts SET amount = amount WHERE lot_id = " + lot_id,
           "UPDATE lots SET vat_rate_bp = 550 WHERE id = " + lot_id,
           "UPDATE tenders SET reference = reference WHERE id = " + tender_id,
           "UPDATE members SET code = code WHERE id = " + std::to_string(w.member_a),
           "INSERT INTO settings (key, value, updated_at) VALUES ('test.derived', '1', '2026-11-29')",
           "UPDATE settings SET value = '2' WHERE key = 'test.derived'",
       }) {
    CAPTURE(statement);
    const auto before = finance_counter(db);
    exec(db, statement);
    CHECK(finance_counter(db) > before);
  }
  // A lot locked by a writer (no field of the report changed) leaves the report's counter.
  const auto before = finance_counter(db);
  exec(db, "UPDATE lots SET status = status WHERE id = " + lot_id);
  CHECK(finance_counter(db) == before);
  // A change rolled back moves nothing.
  {
    auto c = db.acquire();
    REQUIRE(c.ok());
    const auto tender_now = tender_counter(db, w.t);
    c->sql() << "BEGIN";
    c->sql() << "UPDATE savings_lines SET duration_months = duration_months WHERE lot_id = " + lot_id;
    c->sql() << "UPDATE bid_scores SET score = score WHERE bid_id = " + bid;
    c->sql() << "ROLLBACK";
    CHECK(finance_counter(db) == before);
    CHECK(tender_counter(db, w.t) == tender_now);
  }
}

TEST_CASE("two servers on one database: a write through one is read at once through the other") {
  AwardedLot w;
  Replica b(w.s.fixture);
  const Call officer_b{b.client, w.officer.token};
  const Call finance_b{b.client, w.s.user(Role::finance, std::nullopt, "finance@x.example")};
  // Both answers kept on B.
  auto bids = ranked_twice(w, officer_b, b.services);
  REQUIRE(bids.size() == 2);
  CHECK(s(bids.at(0), "regularity") == "valid");
  auto report = savings_twice(finance_b, b.services);
  CHECK(s(report.at("totals"), "savings") == "0.00");

  // The award through A changes both answers read through B.
  w.award();
  const auto evaluation = body_of(officer_b.get(w.t + "/evaluation"));
  CHECK(s(evaluation.at("lots").at(0), "status") == "awarded");
  report = savings_twice(finance_b, b.services);
  CHECK(s(report.at("totals"), "savings") == "1000.00");  // 1,000 l × (10.00 − 9.00)

  // A cost through A, read through B: 100.00 € equally between A and B, 50.00 each.
  REQUIRE(w.officer
              .post(w.t + "/costs",
                    json::object{{"label", "AMO"}, {"amount", "100.00"}, {"key", "equal"}, {"subsidy_eligible", false}})
              .result_int() == 201);
  report = body_of(finance_b.get("/v1/reports/savings?group_by=member"));
  CHECK(s(*row_of(report, w.member_a), "shared_costs") == "50.00");
  CHECK(s(report.at("totals"), "net_savings") == "900.00");
}
