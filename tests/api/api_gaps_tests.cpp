// The API gaps the web worked around (issue 20, items 4 to 6 and 13): a tender gives back
// why it was declared without follow-up; an eliminated bid keeps its flag and its marks
// out of the ranking; contracts carry their unit and period and export as French CSV and
// XLSX; a revocation keeps its reason; a bid recorded by mistake is removed before any
// decision. Every refusal has its code and changes nothing. The test server's day is
// 2026-11-29. The paint lot is 1,000 l (A 300 l, B 700 l); criteria prix 90,
// environnement 10.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "tests/support/awarded_lot.hpp"
#include "tests/support/notified_lot.hpp"
#include "tests/support/temp_dir.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::problem_code;
namespace json = boost::json;
using test::http::verb;

namespace {

std::string s(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

// The newest audit row of `entity` `id` with `action`, as an officer or an administrator reads it.
json::object audit_row(const Call& reader, const std::string& entity, std::int64_t id, const std::string& action) {
  const auto page = body_of(reader.get("/v1/audit?entity=" + entity + "&id=" + std::to_string(id)));
  for (const auto& row : page.at("items").as_array()) {
    if (row.at("action").as_string() == action) return row.as_object();
  }
  FAIL("no audit row " << entity << " " << id << " " << action);
  return {};
}

std::string read_member(const std::string& bytes, const char* member) {
  test::TempDir dir;
  const auto path = (dir.path() / "k.xlsx").string();
  std::ofstream(path, std::ios::binary) << bytes;
  std::string out;
  FILE* pipe = popen(("unzip -p '" + path + "' " + member).c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (auto n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// The value written in cell `ref` ("L2") of sheet1, and whether it is a shared string.
std::pair<std::string, bool> cell(const std::string& sheet, const std::string& ref) {
  const auto at = sheet.find("<c r=\"" + ref + "\"");
  if (at == std::string::npos) return {"", false};
  const auto end = sheet.find("</c>", at);
  const auto v = sheet.find("<v>", at);
  if (v == std::string::npos || v > end) return {"", false};
  const bool shared = sheet.substr(at, sheet.find('>', at) - at).find("t=\"s\"") != std::string::npos;
  return {sheet.substr(v + 3, sheet.find("</v>", v) - v - 3), shared};
}

}  // namespace

TEST_CASE("a tender declared without follow-up gives back its reason, kept in the audit row") {
  test::DraftPaintLot w;
  const auto draft = body_of(w.officer.get(w.t));
  CHECK(draft.at("cancel_reason").is_null());
  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  const auto published = body_of(w.officer.get(w.t));
  const auto audit = test::count_rows(*w.s.database, "audit_log");
  // A reason that is not a text: refused with its code, the tender as it was.
  const auto refused = w.officer.post(w.t + "/cancel", json::object{{"reason", 12}});
  CHECK(refused.result_int() == 400);
  CHECK(test::first_error_code(refused) == "input.not_text");
  CHECK(s(body_of(w.officer.get(w.t)), "status") == "published");
  CHECK(test::count_rows(*w.s.database, "audit_log") == audit);

  const auto cancelled = w.officer.post(w.t + "/cancel", json::object{{"reason", "Besoin redéfini par les membres"}});
  REQUIRE(cancelled.result_int() == 200);
  CHECK(s(body_of(cancelled), "cancel_reason") == "Besoin redéfini par les membres");
  const auto read = body_of(w.officer.get(w.t));
  CHECK(s(read, "status") == "cancelled");
  CHECK(s(read, "cancel_reason") == "Besoin redéfini par les membres");
  CHECK(read.at("close_reason").is_null());
  // The buyers of the members read it too.
  CHECK(s(body_of(w.buyer_a.get(w.t)), "cancel_reason") == "Besoin redéfini par les membres");
  const auto row = audit_row(w.officer, "tender", read.at("id").as_int64(), "cancelled");
  CHECK(row.at("before").at("cancel_reason").is_null());
  CHECK(s(row.at("after"), "cancel_reason") == "Besoin redéfini par les membres");
  CHECK(row.at("before").at("version").as_int64() == published.at("version").as_int64());
}

TEST_CASE("an eliminated bid keeps its abnormally low flag and its own marks, out of the ranking") {
  test::DraftPaintLot w;
  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  std::vector<std::int64_t> bids;
  for (const auto& [name, siret, price] :
       {std::tuple{"Peintures Picardes", "38901234500010", "10"},
        std::tuple{"Couleurs du Nord", "41234567000019", "10.5"}, std::tuple{"Bas Prix", "73282932000074", "6"}}) {
    const auto supplier = body_of(
        w.officer.post("/v1/suppliers", json::object{{"name", name}, {"siret", siret}, {"department", "02"}}));
    const auto bid = w.officer.post(w.lot + "/bids", json::object{{"supplier_id", supplier.at("id")},
                                                                  {"unit_price", price},
                                                                  {"scores", json::object{{"environnement", "50"}}}});
    REQUIRE(bid.result_int() == 201);
    bids.push_back(body_of(bid).at("id").as_int64());
  }
  REQUIRE(w.officer.post(w.t + "/close", json::object{{"reason", "offres reçues"}}).result_int() == 200);
  const auto decide = [&](std::int64_t id, json::object body) {
    return w.officer.post("/v1/bids/" + std::to_string(id) + "/decisions", body);
  };
  // Totals 10,000, 10,500 and 6,000 €: m1 = m2 = 8,833.33 €, 0.9 × m2 = 7,950 €: 6,000 € is flagged.
  const auto lot_bids = [&] { return body_of(w.officer.get(w.t + "/evaluation")).at("lots").at(0).at("bids"); };
  const auto low_before = lot_bids().at(0);
  CHECK(low_before.at("bid_id").as_int64() == bids[2]);
  CHECK(low_before.at("abnormally_low").as_bool());
  CHECK_FALSE(low_before.at("eliminated").as_bool());

  REQUIRE(decide(bids[0], json::object{{"decision", "valid"}}).result_int() == 200);
  REQUIRE(decide(bids[1], json::object{{"decision", "valid"}}).result_int() == 200);
  REQUIRE(decide(bids[2], json::object{{"decision", "irregular"}, {"reason", "attestation d’assurance manquante"}})
              .result_int() == 200);
  const auto evaluated = lot_bids();
  REQUIRE(evaluated.as_array().size() == 3);
  // The ranked bids are judged among themselves, as before: 10,000 and 10,500 €, no flag;
  // price 100 and 100 × 10,000 / 10,500 = 95.2381; weighted 90 + 5 = 95 and 85.7143 + 5.
  const auto& first = evaluated.at(0);
  CHECK(first.at("bid_id").as_int64() == bids[0]);
  CHECK(first.at("rank").as_int64() == 1);
  CHECK_FALSE(first.at("eliminated").as_bool());
  CHECK_FALSE(first.at("abnormally_low").as_bool());
  CHECK(s(first, "price_score") == "100.0000");
  CHECK(s(first, "weighted_total") == "95.0000");
  CHECK(first.at("awardable").as_bool());
  const auto& second = evaluated.at(1);
  CHECK(second.at("rank").as_int64() == 2);
  CHECK(s(second, "price_score") == "95.2381");
  CHECK(s(second, "weighted_total") == "90.7143");
  // The eliminated bid: its flag as detected among the ranked bids and itself (6,000 < 7,950),
  // its own marks (the lowest price: 100; 90 + 5 = 95), no rank, never awardable.
  const auto& low = evaluated.at(2);
  CHECK(low.at("bid_id").as_int64() == bids[2]);
  CHECK(low.at("eliminated").as_bool());
  CHECK(low.at("rank").is_null());
  CHECK(low.at("abnormally_low").as_bool());
  CHECK(s(low, "price_score") == "100.0000");
  CHECK(s(low, "weighted_total") == "95.0000");
  CHECK(s(low.at("scores"), "environnement") == "50.0000");
  CHECK(s(low, "total_price") == "6000.00");
  CHECK_FALSE(low.at("awardable").as_bool());
  CHECK(s(low, "reason_code") == "bid.excluded.irregular");
  // Flagged, it cannot be invited to regularise (R2152-2): declaring it irregular first
  // does not open that way.
  const auto audit = test::count_rows(*w.s.database, "audit_log");
  const auto regularise = decide(bids[2], json::object{{"decision", "regularisation_requested"},
                                                       {"request", "Fournissez l’attestation."},
                                                       {"deadline", "2026-12-10"}});
  CHECK(regularise.result_int() == 409);
  CHECK(problem_code(regularise) == "bid.decision.regularisation_abnormally_low");
  CHECK(test::count_rows(*w.s.database, "audit_log") == audit);
}

TEST_CASE("contracts carry their unit and period: the planned start, then the notification") {
  SUBCASE("awarded, not notified: from the tender's planned start for its duration") {
    test::AwardedLot w;
    w.award();
    const auto tender = body_of(w.officer.get(w.t));
    REQUIRE(s(tender, "contract_start") == "2027-01-01");
    REQUIRE(tender.at("duration_months").as_int64() == 12);
    const auto contracts = body_of(w.officer.get("/v1/contracts")).at("items");
    REQUIRE(contracts.as_array().size() == 2);
    for (const auto& k : contracts.as_array()) {
      CHECK(s(k, "unit") == "l");
      CHECK(s(k.at("period"), "start") == "2027-01-01");
      CHECK(s(k.at("period"), "end") == "2027-12-31");
      CHECK(k.at("period").at("months").as_int64() == 12);
      CHECK(s(k.at("period"), "from") == "planned_start");
    }
  }
  SUBCASE("notified on 2026-11-29: from that day, 12 months, to 2027-11-28") {
    test::NotifiedLot w;
    const auto contracts = body_of(w.officer.get("/v1/contracts")).at("items");
    REQUIRE(contracts.as_array().size() == 2);
    for (const auto& k : contracts.as_array()) {
      CHECK(s(k.at("period"), "start") == "2026-11-29");
      CHECK(s(k.at("period"), "end") == "2027-11-28");
      CHECK(s(k.at("period"), "from") == "notification");
    }
  }
}

TEST_CASE("contracts export as French CSV and XLSX, within the caller's scope; bad queries refused") {
  test::NotifiedLot w;
  // A's buyer: its one contract, 300 l at 9 € = 2,700.00 €, notified on 29/11/2026.
  const auto csv = w.buyer_a.get("/v1/contracts?format=csv");
  REQUIRE(csv.result_int() == 200);
  CHECK(std::string(csv[test::http::field::content_type]) == "text/csv; charset=utf-8");
  CHECK(std::string(csv[test::http::field::content_disposition]).find("marches-2026-11-29.csv") != std::string::npos);
  const std::string body = csv.body();
  REQUIRE(body.rfind("\xEF\xBB\xBF", 0) == 0);
  const auto first_end = body.find("\r\n");
  CHECK(body.substr(3, first_end - 3) ==
        "Référence consultation;Consultation;Lot;Intitulé du lot;Titulaire;Code membre;Membre;Quantité;Unité;"
        "Prix unitaire HT (€);Montant HT (€);Début;Fin;Durée (mois);Période depuis;Attribué le;Signé le;"
        "Notifié le;En vigueur");
  const auto rest = body.substr(first_end + 2);
  REQUIRE(rest.find("\r\n") == rest.size() - 2);  // one row: A's contract only
  CHECK(rest.find(";Peintures;1;") != std::string::npos);
  CHECK(rest.find(";Peintures Picardes;A;A;300;l;9,0000;2700,00;29/11/2026;28/11/2027;12;notification;") !=
        std::string::npos);
  CHECK(rest.find(";29/11/2026;29/11/2026;oui\r\n") != std::string::npos);
  // The Accept header asks the same.
  const auto accepted = w.buyer_a.send(verb::get, "/v1/contracts", "", {{"Accept", "text/csv"}});
  CHECK(accepted.body() == body);

  // XLSX by the officer: both contracts; the figures and dates as numbers (29/11/2026 is day 46355).
  const auto xlsx = w.officer.get("/v1/contracts?format=xlsx");
  REQUIRE(xlsx.result_int() == 200);
  CHECK(std::string(xlsx[test::http::field::content_type]) ==
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const auto sheet = read_member(xlsx.body(), "xl/worksheets/sheet1.xml");
  const auto strings = read_member(xlsx.body(), "xl/sharedStrings.xml");
  CHECK(strings.find("Période depuis") != std::string::npos);
  CHECK(strings.find("Peintures Picardes") != std::string::npos);
  for (const char* row : {"2", "3"}) {
    const auto at = [&](const char* column) { return cell(sheet, std::string(column) + row); };
    CHECK(at("L") == std::pair<std::string, bool>{"46355", false});  // Début
    CHECK(at("M") == std::pair<std::string, bool>{"46719", false});  // Fin, 28/11/2027
    CHECK(at("N") == std::pair<std::string, bool>{"12", false});
    CHECK(at("K").second == false);  // the amount, a number
  }
  CHECK(cell(sheet, "A4").first.empty());  // two contracts, no more
  const auto amounts = cell(sheet, "K2").first + " " + cell(sheet, "K3").first;
  CHECK((amounts == "6300 2700" || amounts == "2700 6300"));

  // Refused, each with its code.
  CHECK(w.officer.get("/v1/contracts?format=pdf").result_int() == 400);
  CHECK(test::first_error_code(w.officer.get("/v1/contracts?format=pdf")) == "query.format.unknown");
  const auto paged = w.officer.get("/v1/contracts?format=csv&limit=1");
  CHECK(paged.result_int() == 400);
  CHECK(test::first_error_code(paged) == "query.export_paged");
  CHECK(test::first_error_code(w.officer.get("/v1/contracts?format=csv&csv=excel")) == "report.csv.unknown");
  CHECK(w.officer.get("/v1/contracts?format=csv&member=1").result_int() == 400);
  CHECK(w.officer.get("/v1/contracts?format=csv&format=xlsx").result_int() == 400);
  CHECK(w.officer.send(verb::get, "/v1/contracts", "", {{"Accept", "image/png"}}).result_int() == 406);
}

TEST_CASE("a revocation keeps its reason in the audit row; a reason without a revocation is refused") {
  test::ApiServer server;
  const Call admin{server.client, server.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto created = admin.post("/v1/users",
                                  json::object{{"email", "agent@x.example"}, {"name", "Agent"}, {"role", "officer"}});
  REQUIRE(created.result_int() == 201);
  const auto id = body_of(created).at("id").as_int64();
  const auto path = "/v1/users/" + std::to_string(id);
  auto& db = *server.database;
  const auto audit = test::count_rows(db, "audit_log");
  const auto refuse = [&](const json::object& body, const char* code) {
    const auto reply = admin.patch(path, body);
    CHECK(reply.result_int() == 400);
    CHECK(test::first_error_code(reply) == code);
    const auto users = body_of(admin.get("/v1/users?limit=500")).at("items").as_array();
    const auto user = std::find_if(users.begin(), users.end(), [&](const json::value& u) { return u.at("id") == id; });
    REQUIRE(user != users.end());
    CHECK(user->at("active").as_bool());
    CHECK(user->at("version").as_int64() == 1);
    CHECK(test::count_rows(db, "audit_log") == audit);
  };
  refuse({{"active", true}, {"reason", "retour de congé"}}, "user.reason.not_revoking");
  refuse({{"name", "Agent B"}, {"reason", "départ"}}, "user.reason.not_revoking");
  refuse({{"active", false}, {"reason", 3}}, "input.not_text");
  refuse({{"active", false}, {"reason", "départ\x01"}}, "text.malformed");
  std::string long_reason;
  for (int i = 0; i < 501; ++i) long_reason += "é";  // 501 characters, 1,002 bytes
  refuse({{"active", false}, {"reason", long_reason}}, "text.too_long");

  const std::string reason = long_reason.substr(2);  // 500 characters: accepted
  const auto revoked = admin.patch(path, json::object{{"active", false}, {"reason", reason}});
  REQUIRE(revoked.result_int() == 200);
  CHECK_FALSE(body_of(revoked).at("active").as_bool());
  CHECK_FALSE(body_of(revoked).as_object().contains("reason"));
  const auto row = audit_row(admin, "user", id, "update");
  CHECK(row.at("before").at("active").as_bool());
  CHECK_FALSE(row.at("after").at("active").as_bool());
  CHECK(s(row.at("after"), "reason") == reason);
  // Without a reason, as before: the row has none.
  REQUIRE(admin.patch(path, json::object{{"active", true}}).result_int() == 200);
  CHECK_FALSE(audit_row(admin, "user", id, "update").at("after").as_object().contains("reason"));
}

TEST_CASE("a bid recorded by mistake is removed before any decision, the audit row keeping it") {
  test::DraftPaintLot w;
  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  std::vector<std::int64_t> bids;
  for (const auto& [name, siret, price] : {std::tuple{"Peintures Picardes", "38901234500010", "9"},
                                           std::tuple{"Couleurs du Nord", "41234567000019", "10"}}) {
    const auto supplier = body_of(
        w.officer.post("/v1/suppliers", json::object{{"name", name}, {"siret", siret}, {"department", "02"}}));
    const auto bid =
        w.officer.post(w.lot + "/bids",
                       json::object{{"supplier_id", supplier.at("id")},
                                    {"tiers", json::array{json::object{{"min_quantity", "0"}, {"unit_price", price}},
                                                          json::object{{"min_quantity", "500"}, {"unit_price", "8"}}}},
                                    {"scores", json::object{{"environnement", "50"}}}});
    REQUIRE(bid.result_int() == 201);
    bids.push_back(body_of(bid).at("id").as_int64());
  }
  auto& db = *w.s.database;
  const auto path = [](std::int64_t id) { return "/v1/bids/" + std::to_string(id); };
  const auto unchanged = [&] {
    CHECK(test::count_rows(db, "bids") == 2);
    CHECK(test::count_rows(db, "bid_tiers") == 4);
    CHECK(test::count_rows(db, "bid_scores") == 2);
  };
  const auto audit = test::count_rows(db, "audit_log");
  // Refused, each with its code, nothing removed.
  const auto buyer = w.buyer_a.send(verb::delete_, path(bids[0]));
  CHECK(buyer.result_int() == 403);
  const auto with_body = w.officer.send(verb::delete_, path(bids[0]), "{}");
  CHECK(with_body.result_int() == 400);
  CHECK(test::first_error_code(with_body) == "input.body_not_expected");
  CHECK(w.officer.send(verb::delete_, "/v1/bids/999999").result_int() == 404);
  CHECK(w.officer.send(verb::delete_, "/v1/bids/abc").result_int() == 404);
  const auto stale = w.officer.send(verb::delete_, path(bids[0]), "", {{"If-Match", "\"v7\""}});
  CHECK(stale.result_int() == 412);
  unchanged();
  CHECK(test::count_rows(db, "audit_log") == audit);

  const auto removed = w.officer.send(verb::delete_, path(bids[0]), "", {{"If-Match", "\"v1\""}});
  CHECK(removed.result_int() == 204);
  CHECK(removed.body().empty());
  CHECK(test::count_rows(db, "bids") == 1);
  CHECK(test::count_rows(db, "bid_tiers") == 2);
  CHECK(test::count_rows(db, "bid_scores") == 1);
  const auto left = body_of(w.officer.get(w.lot + "/bids")).at("items");
  REQUIRE(left.as_array().size() == 1);
  CHECK(left.at(0).at("id").as_int64() == bids[1]);
  const auto row = audit_row(w.officer, "bid", bids[0], "delete");
  CHECK(row.at("after").is_null());
  CHECK(row.at("before").at("id").as_int64() == bids[0]);
  CHECK(s(row.at("before").at("tiers").at(1), "unit_price") == "8.0000");
  CHECK(s(row.at("before").at("scores"), "environnement") == "50");

  // Once decided on, a bid is judged, not removed.
  REQUIRE(w.officer.post(w.t + "/close", json::object{{"reason", "offres reçues"}}).result_int() == 200);
  REQUIRE(w.officer.post(path(bids[1]) + "/decisions", json::object{{"decision", "valid"}}).result_int() == 200);
  const auto decided = w.officer.send(verb::delete_, path(bids[1]));
  CHECK(decided.result_int() == 409);
  CHECK(problem_code(decided) == "bid.delete.decided");
  CHECK(test::count_rows(db, "bids") == 1);

  // Awarded: the lot's bids no longer change.
  REQUIRE(w.officer.post(w.lot + "/award", json::object{{"bid_id", bids[1]}}).result_int() == 200);
  const auto settled = w.officer.send(verb::delete_, path(bids[1]));
  CHECK(settled.result_int() == 409);
  CHECK(problem_code(settled) == "lot.settled");
  CHECK(test::count_rows(db, "bids") == 1);
}

TEST_CASE("a bid of a cancelled tender stays as recorded") {
  test::DraftPaintLot w;
  REQUIRE(w.officer.send(verb::post, w.t + "/publish").result_int() == 200);
  const auto supplier = body_of(
      w.officer.post("/v1/suppliers",
                     json::object{{"name", "Peintures Picardes"}, {"siret", "38901234500010"}, {"department", "02"}}));
  const auto bid = body_of(
      w.officer.post(w.lot + "/bids", json::object{{"supplier_id", supplier.at("id")},
                                                   {"unit_price", "9"},
                                                   {"scores", json::object{{"environnement", "50"}}}}));
  REQUIRE(w.officer.post(w.t + "/cancel", json::object{{"reason", "Besoin redéfini par les membres"}}).result_int() ==
          200);
  const auto refused = w.officer.send(verb::delete_, "/v1/bids/" + std::to_string(bid.at("id").as_int64()));
  CHECK(refused.result_int() == 409);
  CHECK(problem_code(refused) == "bid.delete.tender_settled");
  CHECK(test::count_rows(*w.s.database, "bids") == 1);
}
