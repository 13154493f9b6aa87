// Orders from a member's ERP as CSV (adapters/formats/orders_csv.hpp): French
// spreadsheets' conventions, every error with its line, column and value, nothing
// returned when any row is wrong.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/formats/orders_csv.hpp"

using namespace canopee;

namespace {

std::vector<std::string> fields_of(const Error& error) {
  std::vector<std::string> out;
  for (const auto& e : error.fields) out.push_back(e.field);
  return out;
}

const FieldError* field(const Error& error, const std::string& name) {
  for (const auto& e : error.fields) {
    if (e.field == name) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("orders CSV: a French file — BOM, semicolons, accented headers, JJ/MM/AAAA, decimal comma") {
  const std::string file =
      "\xEF\xBB\xBF"
      "Référence interne;Marché;Date commande;Désignation;Quantité;Lieu de livraison;Date livraison;Envoyé\r\n"
      "CMD-1;12;15/03/2027;Peinture blanche;12,5;Résidence Les Tilleuls;22/03/2027;oui\r\n"
      "CMD-2;12;2027-03-16;Rouleaux;3;Agence Nord;;non\r\n"
      "CMD-1;12;15/03/2027;\"Pinceaux; lot de 3\";40;Résidence Les Tilleuls;22/03/2027;oui\r\n";
  auto orders = formats::parse_orders_csv(file);
  if (!orders) FAIL(orders.error().message);
  REQUIRE(orders.ok());
  REQUIRE(orders->size() == 2);
  const auto& first = (*orders)[0];
  CHECK(first.internal_reference == "CMD-1");
  CHECK(first.first_line == 2);
  CHECK(first.contract_id == 12);
  CHECK(to_string(first.ordered_on) == "2027-03-15");
  CHECK(first.delivery_place == "Résidence Les Tilleuls");
  REQUIRE(first.delivery_date);
  CHECK(to_string(*first.delivery_date) == "2027-03-22");
  CHECK(first.send);
  REQUIRE(first.lines.size() == 2);
  CHECK(first.lines[0].quantity.thousandths == 12'500);
  CHECK(first.lines[0].line == 2);
  CHECK(first.lines[1].description == "Pinceaux; lot de 3");
  CHECK(first.lines[1].line == 4);
  const auto& second = (*orders)[1];
  CHECK(second.internal_reference == "CMD-2");
  CHECK_FALSE(second.send);
  CHECK_FALSE(second.delivery_date);
  CHECK(to_string(second.ordered_on) == "2027-03-16");
}

TEST_CASE("orders CSV: English aliases, commas, optional columns absent (sent by default)") {
  auto orders = formats::parse_orders_csv(
      "internal_reference,contract_id,ordered_on,description,quantity,delivery_place\n"
      "A-1,7,2027-01-04,Paint,2.5,Depot\n");
  REQUIRE(orders.ok());
  REQUIRE(orders->size() == 1);
  CHECK((*orders)[0].send);
  CHECK((*orders)[0].lines.at(0).quantity.thousandths == 2'500);
}

TEST_CASE("orders CSV: every bad cell is named by its line and column, with its value; nothing returned") {
  auto result = formats::parse_orders_csv(
      "reference_interne;marche;date_commande;designation;quantite;lieu_livraison;envoye\n"
      "B-1;5;01/02/2027;Bon;1;Dépôt;oui\n"
      "B-2;cinq;31/02/2027;Mauvais;douze;Dépôt;peut-être\n"
      "B-3;5;2027-02-01;;-1;;oui\n"
      "B-1;6;01/02/2027;Autre marché;1;Dépôt;oui\n"
      ";5;01/02/2027;Sans référence;1,5;Dépôt;oui\n");
  REQUIRE_FALSE(result.ok());
  const auto& error = result.error();
  CHECK(error.rule == "orders_import.invalid_rows");
  CHECK(error.message.find("aucune commande n’a été importée") != std::string::npos);
  const auto fields = fields_of(error);
  for (const char* expected :
       {"ligne 3, colonne marche", "ligne 3, colonne date_commande", "ligne 3, colonne quantite",
        "ligne 3, colonne envoye", "ligne 4, colonne designation", "ligne 4, colonne quantite",
        "ligne 4, colonne lieu_livraison", "ligne 5, colonne marche", "ligne 6, colonne reference_interne"}) {
    CAPTURE(expected);
    CHECK(std::find(fields.begin(), fields.end(), expected) != fields.end());
  }
  CHECK(std::none_of(fields.begin(), fields.end(), [](const std::string& f) { return f.rfind("ligne 2,", 0) == 0; }));
  // The value at fault is quoted.
  const auto* quantity = field(error, "ligne 3, colonne quantite");
  REQUIRE(quantity != nullptr);
  CHECK(quantity->code == "orders_import.quantity.format");
  CHECK(quantity->message.find("« douze »") != std::string::npos);
  CHECK(field(error, "ligne 3, colonne date_commande")->code == "date.not_a_date");
  CHECK(field(error, "ligne 3, colonne date_commande")->message.find("« 31/02/2027 »") != std::string::npos);
  CHECK(field(error, "ligne 4, colonne quantite")->code == "orders_import.quantity.range");
  // B-1's second row names another contract than its first.
  CHECK(field(error, "ligne 5, colonne marche")->code == "orders_import.order.disagrees");
  CHECK(field(error, "ligne 5, colonne marche")->message.find("ligne 2") != std::string::npos);
  // Decimal comma only in a ';' file: here it is one, so 1,5 is fine (line 6 fails on its reference only).
  CHECK(field(error, "ligne 6, colonne quantite") == nullptr);
}

TEST_CASE("orders CSV: the header — missing, duplicate and unknown columns; empty files") {
  auto missing = formats::parse_orders_csv("reference_interne;marche;designation;quantite\nA;1;x;1\n");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().rule == "orders_import.header");
  std::vector<std::string> messages;
  for (const auto& e : missing.error().fields) {
    CHECK(e.code == "orders_import.column.missing");
    CHECK(e.field == "ligne 1");
    messages.push_back(e.message);
  }
  CHECK(messages ==
        std::vector<std::string>{"colonne manquante « date_commande »", "colonne manquante « lieu_livraison »"});

  auto duplicate = formats::parse_orders_csv(
      "reference_interne,marche,date_commande,designation,quantite,Quantité,lieu_livraison\n");
  REQUIRE_FALSE(duplicate.ok());
  REQUIRE(duplicate.error().fields.size() == 1);
  CHECK(duplicate.error().fields[0].field == "ligne 1, colonne quantite");
  CHECK(duplicate.error().fields[0].code == "orders_import.column.duplicate");
  CHECK(duplicate.error().fields[0].message.find("« Quantité »") != std::string::npos);

  auto unknown = formats::parse_orders_csv(
      "reference_interne,marche,date_commande,designation,quantite,lieu_livraison,prix\nA,1,2027-01-01,x,1,y,3\n");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().fields.at(0).code == "orders_import.column.unknown");
  CHECK(unknown.error().fields.at(0).field == "ligne 1, colonne prix");

  auto empty = formats::parse_orders_csv(
      "reference_interne,marche,date_commande,designation,quantite,lieu_livraison\n");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().rule == "orders_import.empty");
  CHECK_FALSE(formats::parse_orders_csv("").ok());
}

TEST_CASE("orders CSV: a Windows-1252 file is read with its accents; a byte of no encoding is refused") {
  // « Dépôt » as Excel's "CSV (séparateur : point-virgule)" writes it: é = 0xE9, ô = 0xF4.
  auto orders = formats::parse_orders_csv(
      "reference_interne;marche;date_commande;d\xE9signation;quantit\xE9;lieu_livraison\r\n"
      "A;1;01/02/2027;Peinture;2;D\xE9p\xF4t\r\n");
  REQUIRE(orders.ok());
  CHECK((*orders)[0].delivery_place == "Dépôt");
  auto result = formats::parse_orders_csv(
      "reference_interne;marche;date_commande;designation;quantite;lieu_livraison\n"
      "A;1;01/02/2027;Peinture;1;Agence\n"
      "A;1;01/02/2027;Peinture;2;D\x81p\xF4t\n");
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.error().fields.size() == 1);
  const auto& e = result.error().fields[0];
  CHECK(e.field == "ligne 3");
  CHECK(e.code == "csv.encoding.unknown");
  CHECK(e.value == "0x81");
  CHECK(e.message.find("0x81") != std::string::npos);
}

TEST_CASE("orders CSV: hostile input — NUL bytes, a huge cell, formulas kept as text, too many rows") {
  const std::string header = "reference_interne,marche,date_commande,designation,quantite,lieu_livraison\n";
  auto nul = formats::parse_orders_csv(header + "A,1,2027-01-01,Pein" + std::string(1, '\0') + "ture,1,Agence\n");
  REQUIRE_FALSE(nul.ok());
  CHECK(nul.error().fields.at(0).field == "ligne 2, colonne designation");
  CHECK(nul.error().fields.at(0).code == "orders_import.text.control");
  CHECK(nul.error().fields.at(0).message.find("Pein?ture") != std::string::npos);  // shown, never raw

  const std::string huge(200'000, 'x');
  auto big = formats::parse_orders_csv(header + "A,1,2027-01-01," + huge + ",1,Agence\n");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().fields.at(0).field == "ligne 2, colonne designation");
  CHECK(big.error().fields.at(0).code == "orders_import.text.length");
  CHECK(big.error().fields.at(0).message.size() < 400);  // the value is cut in the message

  auto formula = formats::parse_orders_csv(header + "A,1,2027-01-01,=CMD(),1,\"=HYPERLINK(\"\"http://x\"\")\"\n");
  REQUIRE(formula.ok());
  CHECK((*formula)[0].lines.at(0).description == "=CMD()");
  CHECK((*formula)[0].delivery_place == "=HYPERLINK(\"http://x\")");

  std::string many = header;
  for (std::size_t i = 0; i <= formats::kMaxOrderImportRows; ++i)
    many += "A" + std::to_string(i) + ",1,2027-01-01,x,1,y\n";
  auto too_many = formats::parse_orders_csv(many);
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().rule == "orders_import.too_many_rows");
  CHECK(too_many.error().fields.at(0).field == "ligne 10002");

  // One order of more than 500 lines.
  std::string long_order = header;
  for (int i = 0; i < 501; ++i) long_order += "A,1,2027-01-01,x,1,y\n";
  auto lines = formats::parse_orders_csv(long_order);
  REQUIRE_FALSE(lines.ok());
  CHECK(lines.error().fields.at(0).field == "ligne 502, colonne reference_interne");
  CHECK(lines.error().fields.at(0).code == "orders_import.order.lines");

  // An unterminated quote: the CSV reader's error, in French.
  auto quote = formats::parse_orders_csv(header + "A,1,2027-01-01,\"x,1,y\n");
  REQUIRE_FALSE(quote.ok());
  CHECK(quote.error().fields.at(0).field == "ligne 2");
}

TEST_CASE("orders CSV: a delivery asked before the order is named on its cell") {
  auto result = formats::parse_orders_csv(
      "reference_interne;marche;date_commande;designation;quantite;lieu_livraison;date_livraison\n"
      "A;1;15/03/2027;x;1;y;14/03/2027\n"
      "B;1;15/03/2027;x;1;y;15/03/2027\n");
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.error().fields.size() == 1);
  CHECK(result.error().fields[0].field == "ligne 2, colonne date_livraison");
  CHECK(result.error().fields[0].code == "order.delivery_date.before_order");
}

TEST_CASE("orders CSV: dates as spreadsheets write them") {
  CHECK(to_string(*formats::parse_spreadsheet_date("29/02/2028", "d")) == "2028-02-29");
  CHECK(to_string(*formats::parse_spreadsheet_date("2028-02-29", "d")) == "2028-02-29");
  CHECK(formats::parse_spreadsheet_date("29/02/2027", "d").error().rule == "date.not_a_date");
  CHECK(formats::parse_spreadsheet_date("1/2/2027", "d").error().rule == "date.format");
  CHECK(formats::parse_spreadsheet_date("02/01/27", "d").error().rule == "date.format");
  CHECK(formats::parse_spreadsheet_date("aa/bb/cccc", "d").error().rule == "date.format");
}

TEST_CASE("orders CSV: optional budget code columns, each line's own; a malformed code named on its cell") {
  auto orders = formats::parse_orders_csv(
      "Référence interne;Marché;Date commande;Désignation;Quantité;Lieu de livraison;Code nature;Code analytique\n"
      "CMD-1;12;15/03/2027;Peinture;1;Agence;6152;PROG1\n"
      "CMD-1;12;15/03/2027;Rouleaux;2;Agence;;\n");
  REQUIRE(orders.ok());
  REQUIRE(orders->at(0).lines.size() == 2);
  CHECK(orders->at(0).lines[0].budget_nature == std::optional<std::string>("6152"));
  CHECK(orders->at(0).lines[0].budget_analytic == std::optional<std::string>("PROG1"));
  CHECK_FALSE(orders->at(0).lines[1].budget_nature);
  CHECK_FALSE(orders->at(0).lines[1].budget_analytic);

  const auto bad = formats::parse_orders_csv(
      "reference_interne,marche,date_commande,designation,quantite,lieu_livraison,compte,analytique\n"
      "A-1,7,2027-01-04,Paint,1,Depot,=1+1,PROG 1\n");
  REQUIRE_FALSE(bad.ok());
  const auto* nature = field(bad.error(), "ligne 2, colonne code_nature");
  REQUIRE(nature != nullptr);
  CHECK(nature->code == "budget_code.code.invalid");
  CHECK(nature->message.find("« =1+1 »") != std::string::npos);
  CHECK(field(bad.error(), "ligne 2, colonne code_analytique") != nullptr);
}
