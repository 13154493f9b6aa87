// The needs import as French spreadsheets write files (issue 20 item 2), over HTTP on both
// backends: a Windows-1252 file with its accents kept, an unreadable one refused with the
// byte and nothing stored, each bad cell's value in errors[].value, and the template, whose
// CSV imports as it is. Figures by hand: « 1 234,50 € » is 1234.5 €, « 1 200 » litres 1200.
#include <doctest/doctest.h>

#include "tests/support/api_client.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;
using namespace canopee::test;
namespace json = boost::json;

namespace {

const Headers kCsv{{"Content-Type", "text/csv"}};

// The bytes of French Excel's « CSV (séparateur : point-virgule) »: é 0xE9, ’ 0x92, œ 0x9C,
// € 0x80, NBSP 0xA0, CRLF.
const std::string kCp1252 =
    "Code CPV;Intitul\xE9;Quantit\xE9;Unit\xE9;Prix unitaire estim\xE9 HT;D\xE9partement;Date de d\xE9"
    "but;"
    "Date de fin\r\n"
    "44810000-1;Peinture \x9C"
    "cum\xE9nique l\x92"
    "ext\xE9rieur;1\xA0"
    "200;l;1 234,50 \x80;02;01/01/2027;"
    "31/12/2027\r\n";

}  // namespace

TEST_CASE("API: a Windows-1252 CSV from French Excel is imported with its accents; errors carry their value") {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = body_of(post_member(admin, "A", "270200017")).at("id").as_int64();
  Call buyer{s.client, s.user(Role::buyer, member, "buyer@x.example")};

  // A byte Windows-1252 does not define: refused, naming line and byte; nothing stored.
  std::string unknown = kCp1252;
  unknown[unknown.find("\x9C")] = '\x81';
  const auto refused = buyer.send(http::verb::post, "/v1/needs/import", unknown, kCsv);
  CHECK(refused.result_int() == 400);
  const auto problem = body_of(refused);
  CHECK(problem.at("code").as_string() == "csv.encoding.unknown");
  CHECK(problem.at("errors").at(0).at("field").as_string() == "line 2");
  CHECK(problem.at("errors").at(0).at("value").as_string() == "0x81");
  CHECK(body_of(buyer.get("/v1/needs")).at("items").as_array().empty());

  // A bad date and a bad amount: each error names its cell and quotes its value.
  std::string bad = kCp1252;
  bad.replace(bad.find("31/12/2027"), 10, "31/04/2027");
  bad.replace(bad.find("1 234,50"), 8, "12 34,50");
  const auto invalid = buyer.send(http::verb::post, "/v1/needs/import", bad, kCsv);
  CHECK(invalid.result_int() == 400);
  const auto errors = body_of(invalid).at("errors").as_array();
  REQUIRE(errors.size() == 2);
  CHECK(errors.at(0).at("field").as_string() == "line 2.period_end");
  CHECK(errors.at(0).at("code").as_string() == "date.not_a_date");
  CHECK(errors.at(0).at("value").as_string() == "31/04/2027");
  CHECK(errors.at(1).at("field").as_string() == "line 2.reference_unit_price");
  CHECK(errors.at(1).at("value").as_string() == "12 34,50 €");
  CHECK(body_of(buyer.get("/v1/needs")).at("items").as_array().empty());

  const auto ok = buyer.send(http::verb::post, "/v1/needs/import", kCp1252, kCsv);
  INFO(ok.body());
  REQUIRE(ok.result_int() == 201);
  const auto need = body_of(buyer.get("/v1/needs")).at("items").at(0);
  CHECK(need.at("title").as_string() == "Peinture œcuménique l’extérieur");
  CHECK(need.at("quantity").as_string() == "1200");
  CHECK(need.at("reference_unit_price").as_string() == "1234.5000");
  CHECK(need.at("period_start").as_string() == "2027-01-01");
  CHECK(need.at("period_end").as_string() == "2027-12-31");
}

TEST_CASE("API: the needs import template, CSV and XLSX; its CSV imports as it is") {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = body_of(post_member(admin, "A", "270200017")).at("id").as_int64();
  Call buyer{s.client, s.user(Role::buyer, member, "buyer@x.example")};
  Call finance{s.client, s.user(Role::finance, std::nullopt, "finance@x.example")};

  const auto csv = buyer.get("/v1/needs/import-template?format=csv");
  REQUIRE(csv.result_int() == 200);
  CHECK(std::string(csv[http::field::content_type]).starts_with("text/csv"));
  CHECK(std::string(csv[http::field::content_disposition]).find("modele-import-besoins.csv") != std::string::npos);
  CHECK(
      csv.body().starts_with("\xEF\xBB\xBF"
                             "Code CPV;Intitulé;Description;Quantité;Unité;Prix unitaire estimé HT;"
                             "Département;Date de début;Date de fin;Récurrent\r\n"
                             "44810000-1;Peinture acrylique façade;Blanc cassé, seaux de 15 l;120;l;6,2000;69;"
                             "01/01/2027;31/12/2027;non\r\n"));
  const auto imported = buyer.send(http::verb::post, "/v1/needs/import", csv.body(), kCsv);
  INFO(imported.body());
  CHECK(imported.result_int() == 201);
  CHECK(body_of(buyer.get("/v1/needs")).at("items").at(0).at("title").as_string() == "Peinture acrylique façade");

  const auto xlsx = buyer.get("/v1/needs/import-template?format=xlsx");
  REQUIRE(xlsx.result_int() == 200);
  CHECK(std::string(xlsx[http::field::content_type]).find("spreadsheetml.sheet") != std::string::npos);
  CHECK(xlsx.body().starts_with("PK"));  // a zip, as every XLSX

  const auto wrong = buyer.get("/v1/needs/import-template?format=pdf");
  CHECK(wrong.result_int() == 400);
  CHECK(body_of(wrong).at("code").as_string() == "needs_import.template.format");
  CHECK(finance.get("/v1/needs/import-template").result_int() == 403);
}
