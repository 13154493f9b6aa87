// POST /v1/orders/import over HTTP, on both backends: a member's orders from its ERP's
// CSV, all or none, every error named by the file's line and column. The lot of
// notified_lot.hpp: member A's maximum 3 000,00 € at 9 € the litre, the server's day
// 2026-11-29.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "tests/support/notified_lot.hpp"

using namespace canopee;
using test::body_of;
using test::code_of;
using test::NotifiedLot;
namespace json = boost::json;
using test::http::verb;

namespace {

const test::Headers kCsv{{"Content-Type", "text/csv; charset=utf-8"}};
const std::string kHeader =
    "Référence interne;Marché;Date commande;Désignation;Quantité;Lieu de livraison;Date livraison;Envoyé\n";

std::string row(const std::string& reference, std::int64_t contract, const std::string& description,
                const std::string& quantity, const std::string& sent = "oui") {
  return reference + ";" + std::to_string(contract) + ";29/11/2026;" + description + ";" + quantity +
         ";Résidence Les Tilleuls;15/12/2026;" + sent + "\n";
}

const json::value* error_named(const json::value& problem, const std::string& field) {
  for (const auto& e : problem.at("errors").as_array()) {
    if (e.at("field") == field.c_str()) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("orders import over HTTP: a good file creates its orders, sent or kept as drafts") {
  NotifiedLot w;
  const auto file = kHeader + row("ERP-0001", w.contract_a, "Peinture blanche", "100") +
                    row("ERP-0002", w.contract_a, "Peinture grise", "10", "non") +
                    row("ERP-0001", w.contract_a, "Peinture blanche, seconde couche", "50,5");
  const auto reply = w.buyer_a.send(verb::post, "/v1/orders/import", file, kCsv);
  REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
  const auto body = body_of(reply);
  CHECK(body.at("imported") == 2);
  CHECK(body.at("lines") == 3);
  const auto& orders = body.at("orders").as_array();
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].at("internal_reference") == "ERP-0001");
  CHECK(orders[0].at("line") == 2);
  CHECK(orders[1].at("internal_reference") == "ERP-0002");
  CHECK(orders[1].at("line") == 3);
  CHECK(std::string(orders[0].at("reference").as_string()).rfind("BC-2026-", 0) == 0);

  // 150,5 l × 9 € = 1 354,50 €, sent on its day; 10 l × 9 € = 90,00 €, a draft.
  const auto first = body_of(w.buyer_a.get("/v1/orders/" + std::to_string(orders[0].at("id").as_int64())));
  CHECK(first.at("status") == "sent");
  CHECK(first.at("total") == "1354.50");
  CHECK(first.at("ordered_on") == "2026-11-29");
  CHECK(first.at("sent_on") == "2026-11-29");
  CHECK(first.at("delivery_place") == "Résidence Les Tilleuls");
  CHECK(first.at("delivery_date") == "2026-12-15");
  REQUIRE(first.at("lines").as_array().size() == 2);
  CHECK(first.at("lines").at(1).at("description") == "Peinture blanche, seconde couche");
  CHECK(first.at("lines").at(1).at("quantity") == "50.5");
  const auto second = body_of(w.buyer_a.get("/v1/orders/" + std::to_string(orders[1].at("id").as_int64())));
  CHECK(second.at("status") == "draft");
  CHECK(second.at("total") == "90.00");

  // The ledger counts the sent order only.
  const auto ledger = body_of(w.buyer_a.get("/v1/contracts/" + std::to_string(w.contract_a) + "/ledger"));
  CHECK(ledger.at("maximum") == "3000.00");
  CHECK(ledger.at("ordered") == "1354.50");
  CHECK(ledger.at("remaining") == "1645.50");
}

TEST_CASE("orders import over HTTP: the third order beyond the maximum stores none and names its line") {
  NotifiedLot w;
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  // 900 + 900 + 1 350 = 3 150 € > 3 000 €: the maximum is checked order after order, cumulatively.
  const auto file = kHeader + row("A-1", w.contract_a, "Peinture", "100") +
                    row("A-2", w.contract_a, "Peinture", "100") + row("A-2", w.contract_a, "Pinceaux", "0,001") +
                    row("A-3", w.contract_a, "Peinture", "150");
  const auto reply = w.buyer_a.send(verb::post, "/v1/orders/import", file, kCsv);
  CHECK(reply.result_int() == 409);
  const auto problem = body_of(reply);
  CHECK(problem.at("code") == "order.maximum_exceeded");
  CHECK(std::string(problem.at("detail").as_string()).rfind("Ligne 5 (bon « A-3 »)", 0) == 0);
  const auto* named = error_named(problem, "ligne 5, colonne quantite");
  REQUIRE(named != nullptr);
  CHECK(named->at("code") == "order.maximum_exceeded");
  CHECK(test::count_rows(db, "orders") == 0);
  CHECK(test::count_rows(db, "order_lines") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // Without the third order, the two others go through: 1 800,01 € ordered.
  const auto fewer = w.buyer_a.send(verb::post, "/v1/orders/import",
                                    kHeader + row("A-1", w.contract_a, "Peinture", "100") +
                                        row("A-2", w.contract_a, "Peinture", "100") +
                                        row("A-2", w.contract_a, "Pinceaux", "0,001"),
                                    kCsv);
  REQUIRE_MESSAGE(fewer.result_int() == 201, fewer.body());
  CHECK(body_of(w.buyer_a.get("/v1/contracts/" + std::to_string(w.contract_a) + "/ledger")).at("ordered") == "1800.01");
}

TEST_CASE("orders import over HTTP: bad files, another member's contract, bad content types — nothing stored") {
  NotifiedLot w;
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  struct Bad {
    std::string body;
    unsigned status;
    std::string code;   // the problem's
    std::string field;  // one of its errors
  };
  const std::string huge(2 * 1024 * 1024, 'x');
  const std::vector<Bad> bad = {
      {kHeader + row("A-1", w.contract_a, "Peinture", "douze"), 400, "orders_import.invalid_rows",
       "ligne 2, colonne quantite"},
      {"reference_interne;marche\nA;1\n", 400, "orders_import.header", "ligne 1"},
      {"", 400, "csv.empty", "file"},
      // B's contract, named by A's buyer: unknown to it.
      {kHeader + row("A-1", w.contract_a, "Peinture", "1") + row("A-2", w.contract_b, "Peinture", "1"), 400,
       "orders_import.contract.unknown", "ligne 3, colonne marche"},
      {kHeader + row("A-1", 999999, "Peinture", "1"), 400, "orders_import.contract.unknown", "ligne 2, colonne marche"},
      // An order dated after the server's day.
      {kHeader + "A-1;" + std::to_string(w.contract_a) + ";30/11/2026;Peinture;1;Dépôt;;oui\n", 400,
       "order.date.future", "ligne 2, colonne date_commande"},
      // Before the contract's notification.
      {kHeader + "A-1;" + std::to_string(w.contract_a) + ";28/11/2026;Peinture;1;Dépôt;;oui\n", 409,
       "order.contract_not_in_force", "ligne 2, colonne date_commande"},
      // Hostile: a 2 MiB designation, NUL bytes, a Windows-1252 file.
      {kHeader + row("A-1", w.contract_a, huge, "1"), 400, "orders_import.invalid_rows",
       "ligne 2, colonne designation"},
      {kHeader + row("A-1", w.contract_a, std::string("Pein\0ture", 9), "1"), 400, "orders_import.invalid_rows",
       "ligne 2, colonne designation"},
      // (the header's « Dépôt » is UTF-8: a lone 0xC9 next to it is a damaged file, not Windows-1252)
      {kHeader + row("A-1", w.contract_a, "Peinture", "1").replace(0, 3, "\xC9-1"), 400, "csv.encoding.invalid_utf8",
       "ligne 2"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.body.substr(0, 300));
    const auto reply = w.buyer_a.send(verb::post, "/v1/orders/import", b.body, kCsv);
    CHECK(reply.result_int() == b.status);
    if (!b.code.empty()) CHECK(code_of(reply) == b.code);
    const auto problem = body_of(reply);
    if (problem.as_object().contains("errors")) CHECK(error_named(problem, b.field) != nullptr);
    CHECK(reply.body().size() < 64 * 1024);  // the huge value is never echoed whole
  }
  const auto good = kHeader + row("A-1", w.contract_a, "Peinture", "1");
  for (const char* type : {"text/plain", "application/json", "application/vnd.ms-excel"}) {
    CAPTURE(type);
    CHECK(w.buyer_a.send(verb::post, "/v1/orders/import", good, {{"Content-Type", type}}).result_int() == 415);
  }
  CHECK(w.buyer_a.send(verb::post, "/v1/orders/import?member=2", good, kCsv).result_int() == 400);
  CHECK(w.officer.send(verb::post, "/v1/orders/import", good, kCsv).result_int() == 403);
  CHECK(test::count_rows(db, "orders") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);
}

TEST_CASE("orders import over HTTP: a formula in a designation is stored as text and exported neutralised") {
  NotifiedLot w;
  const std::string file = kHeader + "F-1;" + std::to_string(w.contract_a) +
                           ";29/11/2026;=CMD();1;\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";;oui\n";
  const auto reply = w.buyer_a.send(verb::post, "/v1/orders/import", file, kCsv);
  REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
  const auto id = body_of(reply).at("orders").at(0).at("id").as_int64();
  const auto order = body_of(w.buyer_a.get("/v1/orders/" + std::to_string(id)));
  CHECK(order.at("lines").at(0).at("description") == "=CMD()");
  CHECK(order.at("delivery_place") == "=HYPERLINK(\"http://x\";\"y\")");
  // The orders' CSV quotes the place behind a leading apostrophe: never a formula.
  const auto csv = w.buyer_a.send(verb::get, "/v1/orders", "", {{"Accept", "text/csv"}});
  REQUIRE(csv.result_int() == 200);
  CHECK(csv.body().find("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"") != std::string::npos);
  CHECK(csv.body().find(";=HYPERLINK") == std::string::npos);
}

TEST_CASE("orders import over HTTP: two imports racing for the last of a maximum — one wins, never beyond") {
  NotifiedLot w;
  // Two users of member A, each importing 200 l (1 800,00 €) against a maximum of 3 000,00 €: one fits.
  const test::Call other{w.s.client, w.s.user(Role::buyer, w.member_a, "orders.a2@x.example")};
  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    const auto file = [&](const char* reference) {
      return kHeader + row(reference + std::to_string(round), w.contract_a, "Peinture", "200");
    };
    test::Reply first, second;
    std::thread racer([&] { first = w.buyer_a.send(verb::post, "/v1/orders/import", file("R-"), kCsv); });
    second = other.send(verb::post, "/v1/orders/import", file("S-"), kCsv);
    racer.join();
    const int created = (first.result_int() == 201 ? 1 : 0) + (second.result_int() == 201 ? 1 : 0);
    CHECK(created == (round == 0 ? 1 : 0));
    for (const auto* reply : {&first, &second}) {
      if (reply->result_int() != 201) {
        CHECK(reply->result_int() == 409);
        CHECK(code_of(*reply) == "order.maximum_exceeded");
      }
    }
    const auto ledger = body_of(w.buyer_a.get("/v1/contracts/" + std::to_string(w.contract_a) + "/ledger"));
    CHECK(ledger.at("ordered") == "1800.00");
  }
  CHECK(test::count_rows(*w.s.database, "orders") == 1);
}
