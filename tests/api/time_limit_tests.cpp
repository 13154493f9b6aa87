// Issue 16, items 6, 9 and 3 over HTTP, on both backends. The server's clock reads
// 2026-11-29 (today) and 2026-11-29T10:00:00Z (now, 11:00 in Paris) until a test
// moves it. Two members A and B need paint (44810000-1) for 2027: 300 l and 700 l,
// so one lot of 1,000 l; the reference price decides the procedure:
//   250 € → 250,000 € ≥ 216,000 € (EU threshold 2026-27): formal (open call, 30 days);
//   100 € → 100,000 €: adapted (MAPA, 15 days by default).
#include <doctest/doctest.h>

#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::problem_code;
using test::text_of;
namespace json = boost::json;
using test::http::verb;

namespace {

struct World : test::TwoMembers {
  std::vector<std::int64_t> suppliers;

  World() {
    for (const char* siret : {"38901234500010", "41234567000019", "73282932000074"}) {
      const auto supplier = officer.post("/v1/suppliers",
                                         json::object{{"name", siret}, {"siret", siret}, {"department", "02"}});
      REQUIRE(supplier.result_int() == 201);
      suppliers.push_back(body_of(supplier).at("id").as_int64());
    }
  }

  void needs(const char* price, const char* qa = "300", const char* qb = "700", bool recurring = false) {
    need(a, "44810000-1", qa, "l", price, recurring);
    need(b, "44810000-1", qb, "l", price, recurring);
  }

  json::object tender_body(const char* deadline, json::object options = {{"contract_start", "2027-01-01"}}) {
    return json::object{{"title", "Peintures"},
                        {"coordinator_member_id", a},
                        {"criteria",
                         json::array{json::object{{"name", "prix"}, {"weight", 60}, {"price", true}},
                                     json::object{{"name", "technique"}, {"weight", 30}},
                                     json::object{{"name", "environnement"}, {"weight", 10}, {"environmental", true}}}},
                        {"bid_deadline", deadline},
                        {"allotment_justification", "fourniture homogène"},
                        {"environmental_conditions", "clause environnementale"},
                        {"social_considerations", "clause sociale"},
                        {"proposal", json::object{{"options", std::move(options)}}}};
  }

  // A created tender's path and body.
  std::pair<std::string, json::value> create(json::object body) {
    const auto reply = officer.post("/v1/tenders", body);
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    auto tender = body_of(reply);
    return {"/v1/tenders/" + std::to_string(tender.at("id").as_int64()), tender};
  }

  std::string lot_of(const std::string& t, const json::value& tender) {
    return t + "/lots/" + std::to_string(tender.at("lots").at(0).at("id").as_int64());
  }

  void at(const char* instant) { s.now_micros = parse_date_time(instant, "now")->micros; }

  test::Reply bid(const std::string& lot, std::size_t supplier, json::object extra = {}) {
    json::object body{{"supplier_id", suppliers.at(supplier)},
                      {"unit_price", "240"},
                      {"scores", json::object{{"technique", "50"}, {"environnement", "50"}}}};
    for (auto& [k, v] : extra) body[k] = v;
    return officer.post(lot + "/bids", body);
  }
};

}  // namespace

TEST_CASE("open call: publication refused a minute short of 30 days, accepted at 30 days; times in Paris") {
  World w;
  w.needs("250");
  // 2026-12-29 10:59 in Paris is 09:59 UTC: 29 days 23 h 59 min after 2026-11-29 10:00 UTC.
  auto [t, created] = w.create(w.tender_body("2026-12-29T10:59"));
  CHECK(text_of(created, "procedure") == "formal");
  CHECK(text_of(created, "bid_deadline") == "2026-12-29T09:59:00Z");
  CHECK(text_of(created, "bid_deadline_paris") == "2026-12-29T10:59:00+01:00");
  CHECK(created.at("minimum_time_limit").at("days").as_int64() == 30);
  CHECK(text_of(created.at("minimum_time_limit"), "article") == "R2161-3");
  CHECK(text_of(created, "launch_date") == "null");
  const int audit = test::count_rows(*w.s.database, "audit_log");
  const auto refused = w.officer.send(verb::post, t + "/publish");
  REQUIRE(refused.result_int() == 409);
  CHECK(problem_code(refused) == "tender.deadline.too_short");
  CHECK(test::first_error_field(refused) == "bid_deadline");
  CHECK(refused.body().find("au plus tôt le 29/12/2026 à 11:00 (heure de Paris)") !=
        std::string::npos);  // the earliest deadline, Paris time
  CHECK(test::count_rows(*w.s.database, "audit_log") == audit);
  CHECK(text_of(body_of(w.officer.get(t)), "status") == "draft");

  // Exactly 30 days: 11:00 in Paris.
  REQUIRE(w.officer.patch(t, json::object{{"bid_deadline", "2026-12-29T11:00:00+01:00"}}).result_int() == 200);
  const auto published = w.officer.send(verb::post, t + "/publish");
  REQUIRE_MESSAGE(published.result_int() == 200, published.body());
  const auto p = body_of(published);
  CHECK(text_of(p, "bid_deadline") == "2026-12-29T10:00:00Z");
  CHECK(text_of(p, "launch_date") == "2026-11-29");
  CHECK(text_of(p, "published_at") == "2026-11-29T10:00:00Z");
}

TEST_CASE("a prior information notice or urgency allows 15 days; a MAPA its own reasonable days") {
  World w;
  w.needs("250");
  auto [t, created] = w.create(w.tender_body("2026-12-14T10:00:00Z"));  // 15 days
  CHECK(w.officer.send(verb::post, t + "/publish").result_int() == 409);
  const auto urgent = w.officer.patch(t, json::object{{"time_limit_reduction", "urgency"}});
  REQUIRE(urgent.result_int() == 200);
  CHECK(body_of(urgent).at("minimum_time_limit").at("days").as_int64() == 15);
  CHECK(w.officer.send(verb::post, t + "/publish").result_int() == 200);

  World m;
  m.needs("100");
  // 19 days with a 20-day reasonable time: refused; 20 days: accepted.
  auto [mt, mapa] = m.create([&] {
    auto body = m.tender_body("2026-12-18T10:00:00Z");
    body["mapa_minimum_days"] = 20;
    return body;
  }());
  CHECK(text_of(mapa, "procedure") == "adapted");
  CHECK(mapa.at("mapa_minimum_days").as_int64() == 20);
  CHECK(text_of(mapa.at("minimum_time_limit"), "article") == "R2123-4");
  const auto short_mapa = m.officer.send(verb::post, mt + "/publish");
  REQUIRE(short_mapa.result_int() == 409);
  CHECK(problem_code(short_mapa) == "tender.deadline.too_short");
  REQUIRE(m.officer.patch(mt, json::object{{"bid_deadline", "2026-12-19T11:00"}}).result_int() ==
          200);  // Paris: 10:00 UTC
  CHECK(m.officer.send(verb::post, mt + "/publish").result_int() == 200);
}

TEST_CASE("the launch date is the day of publication; the stored procedure and GET …/procedure agree") {
  World w;
  w.needs("250");
  // A planned launch earlier than today (the creation) is refused, and nothing is created.
  const int tenders = test::count_rows(*w.s.database, "tenders");
  auto body = w.tender_body("2027-02-01T12:00:00Z");
  body["launch_date"] = "2026-11-28";
  const auto back_dated = w.officer.post("/v1/tenders", body);
  REQUIRE(back_dated.result_int() == 400);
  CHECK(problem_code(back_dated) == "tender.launch_date.before_creation");
  CHECK(test::count_rows(*w.s.database, "tenders") == tenders);
  // A planned launch (January) is kept on the draft, then replaced by the day the notice is sent.
  body["launch_date"] = "2027-01-04";
  auto [t, created] = w.create(body);
  CHECK(text_of(created, "launch_date") == "2027-01-04");
  CHECK(w.officer.patch(t, json::object{{"launch_date", "2026-01-01"}}).result_int() == 400);
  REQUIRE(w.officer.send(verb::post, t + "/publish").result_int() == 200);
  const auto tender = body_of(w.officer.get(t));
  CHECK(text_of(tender, "launch_date") == "2026-11-29");
  const auto advice = body_of(w.officer.get(t + "/procedure"));
  CHECK(text_of(advice, "procedure") == text_of(tender, "procedure"));
  CHECK(text_of(advice, "procedure") == "formal");
  // Published: no edit moves the launch date any more.
  CHECK(w.officer.patch(t, json::object{{"launch_date", "2027-06-01"}}).result_int() == 409);
  CHECK(text_of(body_of(w.officer.get(t)), "launch_date") == "2026-11-29");
}

TEST_CASE("bids: received when received, refused after the deadline (bid.late), never after closing") {
  World w;
  w.needs("250");
  auto [t, created] = w.create(w.tender_body("2027-01-15T12:00"));  // Paris: 11:00 UTC
  const auto lot = w.lot_of(t, created);
  REQUIRE(w.officer.send(verb::post, t + "/publish").result_int() == 200);
  // Default: now. Given in Paris time: kept as that instant.
  const auto first = w.bid(lot, 0);
  REQUIRE(first.result_int() == 201);
  CHECK(text_of(body_of(first), "received_at") == "2026-11-29T10:00:00Z");
  // Typed on 2027-01-16 but received at the deadline exactly: on time.
  w.at("2027-01-16T09:00:00Z");
  const auto on_time = w.bid(lot, 1, {{"received_at", "2027-01-15T12:00"}});
  REQUIRE_MESSAGE(on_time.result_int() == 201, on_time.body());
  CHECK(text_of(body_of(on_time), "received_at") == "2027-01-15T11:00:00Z");
  // One second after: late, refused, nothing stored.
  const int bids = test::count_rows(*w.s.database, "bids");
  const int audit = test::count_rows(*w.s.database, "audit_log");
  const auto late = w.bid(lot, 2, {{"received_at", "2027-01-15T12:00:01+01:00"}});
  REQUIRE(late.result_int() == 409);
  CHECK(problem_code(late) == "bid.late");
  CHECK(late.body().find("R2151-5") != std::string::npos);
  // The default receipt (now, after the deadline) is late too.
  CHECK(problem_code(w.bid(lot, 2)) == "bid.late");
  // Not in the future, not before the notice.
  const auto future = w.bid(lot, 2, {{"received_at", "2027-01-16T09:00:01Z"}});
  CHECK(future.result_int() == 400);
  CHECK(problem_code(future) == "bid.received_at.future");
  const auto early = w.bid(lot, 2, {{"received_at", "2026-11-29T09:59:59Z"}});
  CHECK(early.result_int() == 400);
  CHECK(problem_code(early) == "bid.received_at.before_publication");
  CHECK(test::count_rows(*w.s.database, "bids") == bids);
  CHECK(test::count_rows(*w.s.database, "audit_log") == audit);
  // After the deadline the close needs no reason; after closing no bid is taken.
  const auto closed = w.officer.send(verb::post, t + "/close");
  REQUIRE(closed.result_int() == 200);
  CHECK(text_of(body_of(closed), "close_reason") == "null");
  CHECK(text_of(body_of(closed), "closed_at") == "2027-01-16T09:00:00Z");
  const auto after = w.bid(lot, 2, {{"received_at", "2027-01-10T10:00:00Z"}});
  CHECK(after.result_int() == 409);
  CHECK(problem_code(after) == "bid.tender_not_open");
  CHECK(test::count_rows(*w.s.database, "bids") == bids);
}

TEST_CASE("closing before the deadline asks for a reason, recorded on the tender and in the audit") {
  World w;
  w.needs("250");
  auto [t, created] = w.create(w.tender_body("2027-02-01T12:00:00Z"));
  REQUIRE(w.officer.send(verb::post, t + "/publish").result_int() == 200);
  const int audit = test::count_rows(*w.s.database, "audit_log");
  for (const char* body : {"", "{}", "{\"reason\":\"\"}"}) {
    CAPTURE(body);
    const auto refused = w.officer.send(verb::post, t + "/close", body);
    REQUIRE(refused.result_int() == 400);
    CHECK(problem_code(refused) == "tender.close.reason_required");
    CHECK(test::first_error_field(refused) == "reason");
    // The deadline as a French reader is told it: Paris day and time, no ISO text.
    CHECK(test::field_messages(refused).at(0).second ==
          "la date limite de remise des offres, le 01/02/2027 à 13:00 (heure de Paris), n'est pas atteinte : "
          "indiquez pourquoi la consultation est close avant");
  }
  CHECK(test::count_rows(*w.s.database, "audit_log") == audit);
  CHECK(text_of(body_of(w.officer.get(t)), "status") == "published");
  const auto closed = w.officer.post(t + "/close",
                                     json::object{{"reason", "les trois fournisseurs consultés ont répondu"}});
  REQUIRE(closed.result_int() == 200);
  CHECK(text_of(body_of(closed), "close_reason") == "les trois fournisseurs consultés ont répondu");
  CHECK(text_of(body_of(closed), "closed_at") == "2026-11-29T10:00:00Z");
  auto c = w.s.database->acquire();
  REQUIRE(c.ok());
  std::string after;
  c->sql() << "SELECT CAST(after_json AS TEXT) FROM audit_log WHERE entity = 'tender' AND action = 'closed'",
      soci::into(after);
  CHECK(after.find("les trois fournisseurs consult") != std::string::npos);
}

TEST_CASE("the period is fixed once the lots exist: 12 → 48 months on a 200,000 € a year framework is refused") {
  World w;
  // 6,000 l + 14,000 l a year (recurring) at 10 €: 200,000 € over 12 months, adapted (< 216,000 €).
  w.needs("10", "6000", "14000", true);
  auto [t, created] = w.create(w.tender_body("2027-02-01T12:00:00Z"));
  CHECK(created.at("duration_months").as_int64() == 12);
  CHECK(text_of(created.at("lots").at(0), "estimated_value") == "200000.00");
  CHECK(text_of(created, "procedure") == "adapted");
  const int audit = test::count_rows(*w.s.database, "audit_log");
  const auto longer = w.officer.patch(t, json::object{{"duration_months", 48}});
  REQUIRE(longer.result_int() == 409);
  CHECK(problem_code(longer) == "tender.period.locked");
  CHECK(test::first_error_field(longer) == "duration_months");
  const auto later = w.officer.patch(t, json::object{{"contract_start", "2027-02-01"}});
  REQUIRE(later.result_int() == 409);
  CHECK(test::first_error_field(later) == "contract_start");
  CHECK(test::count_rows(*w.s.database, "audit_log") == audit);
  const auto same = body_of(w.officer.get(t));
  CHECK(same.at("duration_months").as_int64() == 12);
  CHECK(text_of(same.at("lots").at(0), "estimated_value") == "200000.00");
  CHECK(text_of(same, "procedure") == "adapted");
  // The same values are no change.
  CHECK(w.officer.patch(t, json::object{{"duration_months", 12}, {"contract_start", "2027-01-01"}}).result_int() ==
        200);
  // The way to 48 months: cancel, and tender the needs again over 48 months —
  // 20,000 l × 4 years × 10 € = 800,000 €, formal (≥ 216,000 €).
  REQUIRE(w.officer.send(verb::post, t + "/cancel").result_int() == 200);
  auto [t48, again] = w.create(
      w.tender_body("2027-02-01T12:00:00Z", {{"contract_start", "2027-01-01"}, {"duration_months", 48}}));
  CHECK(again.at("duration_months").as_int64() == 48);
  CHECK(text_of(again.at("lots").at(0), "estimated_value") == "800000.00");
  CHECK(text_of(again, "procedure") == "formal");
}

TEST_CASE("bad input on the changed routes: 400, the field named, nothing changed") {
  World w;
  w.needs("250");
  auto [t, created] = w.create(w.tender_body("2027-02-01T12:00:00Z"));
  const auto lot = w.lot_of(t, created);
  const auto tables = {"tenders", "bids", "audit_log", "criteria", "lots"};
  const auto counts = [&] {
    std::vector<int> n;
    for (const char* table : tables) n.push_back(test::count_rows(*w.s.database, table));
    return n;
  };
  struct Case {
    verb method;
    std::string target;
    std::string body;
    std::string field;
  };
  auto create = w.tender_body("2027-02-01T12:00:00Z");
  const auto with = [&](const char* key, json::value v) {
    auto body = create;
    body[key] = std::move(v);
    return json::serialize(body);
  };
  const std::vector<Case> draft_cases = {
      {verb::post, "/v1/tenders", with("bid_deadline", "2027-02-30T12:00"), "bid_deadline"},
      {verb::post, "/v1/tenders", with("bid_deadline", 20270201), "bid_deadline"},
      {verb::post, "/v1/tenders", with("time_limit_reduction", "fast"), "time_limit_reduction"},
      {verb::post, "/v1/tenders", with("mapa_minimum_days", 0), "mapa_minimum_days"},
      {verb::post, "/v1/tenders", with("mapa_minimum_days", 366), "mapa_minimum_days"},
      {verb::post, "/v1/tenders", with("mapa_minimum_days", "15"), "mapa_minimum_days"},
      {verb::post, "/v1/tenders", with("launch_date", "2027-13-01"), "launch_date"},
      {verb::patch, t, R"({"bid_deadline":"2027-03-28T02:30"})", "bid_deadline"},  // skipped by summer time
      {verb::patch, t, R"({"bid_deadline":"2027-02-01T12:00:00+1"})", "bid_deadline"},
      {verb::patch, t, R"({"time_limit_reduction":3})", "time_limit_reduction"},
      {verb::patch, t, R"({"mapa_minimum_days":-1})", "mapa_minimum_days"},
      {verb::patch, t, R"({"mapa_minimum_days":1.5})", "mapa_minimum_days"},
      {verb::patch, t, R"({"duration_months":"48"})", "duration_months"},
      {verb::patch, t, R"({"contract_start":"2027-02-31"})", "contract_start"},
  };
  const auto before = counts();
  const auto tender_before = w.officer.get(t).body();
  for (const auto& c : draft_cases) {
    CAPTURE(c.target);
    CAPTURE(c.body);
    const auto reply = w.officer.send(c.method, c.target, c.body);
    CHECK(reply.result_int() == 400);
    CHECK(test::first_error_field(reply) == c.field);
  }
  CHECK(counts() == before);
  CHECK(w.officer.get(t).body() == tender_before);

  REQUIRE(w.officer.send(verb::post, t + "/publish").result_int() == 200);
  const std::string bid = R"({"supplier_id":)" + std::to_string(w.suppliers.at(0)) +
                          R"(,"unit_price":"240","scores":{"technique":"50","environnement":"50"},"received_at":)";
  const std::vector<Case> published_cases = {
      {verb::post, t + "/close", R"({"reason":42})", "reason"},
      {verb::post, t + "/close", R"({"reason":")" + std::string(2001, 'x') + "\"}", "reason"},
      {verb::post, t + "/close", R"({"reason":"x","now":true})", "now"},
      {verb::post, t + "/close", "[1]", ""},
      {verb::post, t + "/publish", R"({"launch_date":"2026-11-01"})", "body"},
      {verb::post, lot + "/bids", bid + R"("yesterday"})", "received_at"},
      {verb::post, lot + "/bids", bid + R"(1764410400})", "received_at"},
      {verb::post, lot + "/bids", bid + R"("2026-11-29T25:00:00Z"})", "received_at"},
      {verb::post, lot + "/bids", bid + R"("2026-11-29T10:00:01Z"})", "received_at"},  // in the future
  };
  const auto published = counts();
  for (const auto& c : published_cases) {
    CAPTURE(c.target);
    CAPTURE(c.body);
    const auto reply = w.officer.send(c.method, c.target, c.body);
    CHECK(reply.result_int() == 400);
    if (!c.field.empty()) CHECK(test::first_error_field(reply) == c.field);
  }
  CHECK(counts() == published);
  CHECK(text_of(body_of(w.officer.get(t)), "status") == "published");
}
