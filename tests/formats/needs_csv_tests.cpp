#include <doctest/doctest.h>

#include <algorithm>

#include "adapters/formats/needs_csv.hpp"

using namespace canopee;

namespace {
const CpvNomenclature& cpv() {
  static const auto n = CpvNomenclature::starter();
  return n;
}
}  // namespace

TEST_CASE("needs CSV: a valid file, with attributes and a recurring flag") {
  auto needs = formats::parse_needs_csv(
      "cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end,recurring,attr.teinte\n"
      "44810000-1,Peinture acrylique,120.5,l,6.20,02,2026-01-01,2026-12-31,oui,blanc\n"
      "09310000-5,\"Électricité, parties communes\",250,MWh,148.75,02,2026-01-01,2026-12-31,true,\n",
      cpv(), 7, NeedStatus::submitted);
  REQUIRE(needs.ok());
  REQUIRE(needs->size() == 2);
  CHECK((*needs)[0].quantity.thousandths == 120500);
  CHECK((*needs)[0].member_id == 7);
  CHECK((*needs)[0].recurring);
  CHECK((*needs)[0].attributes.at(0).value == "blanc");
  CHECK((*needs)[1].title == "Électricité, parties communes");
  CHECK((*needs)[1].attributes.empty());
}

TEST_CASE("needs CSV: French spreadsheets — semicolons and decimal commas") {
  auto needs = formats::parse_needs_csv(
      "cpv;title;quantity;unit;reference_unit_price;department;period_start;period_end\n"
      "44810000-1;Peinture;12,5;l;6,2;80;2026-01-01;2026-06-30\n",
      cpv(), 1, NeedStatus::draft);
  REQUIRE(needs.ok());
  CHECK((*needs)[0].quantity.thousandths == 12500);
  CHECK((*needs)[0].reference_unit_price.ten_thousandths == 62000);
  CHECK((*needs)[0].status == NeedStatus::draft);
}

TEST_CASE("needs CSV: every bad row and column is reported, nothing is returned") {
  auto result = formats::parse_needs_csv(
      "cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end,recurring\n"
      "44810000-1,Bon,1,l,1,02,2026-01-01,2026-12-31,non\n"
      "99999999-9,Mauvais code,-1,l,1,02,2026-01-01,2026-12-31,peut-être\n"
      "44810000-1,,1,furlong,1.23456,20,2026-12-31,2026-01-01,\n",
      cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(result.ok());
  std::vector<std::string> fields;
  for (const auto& e : result.error().fields) fields.push_back(e.field);
  for (const char* expected : {"line 3.recurring", "line 3.cpv", "line 3.quantity", "line 4.title", "line 4.unit",
                               "line 4.reference_unit_price", "line 4.department", "line 4.period_end"}) {
    CAPTURE(expected);
    CHECK(std::find(fields.begin(), fields.end(), expected) != fields.end());
  }
  CHECK(std::none_of(fields.begin(), fields.end(), [](const std::string& f) { return f.rfind("line 2.", 0) == 0; }));
}

TEST_CASE("needs CSV: header problems") {
  auto missing = formats::parse_needs_csv("cpv,title\n44810000-1,x\n", cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().rule == "needs_import.header");
  CHECK(missing.error().fields.at(0).code == "needs_import.column.missing");
  CHECK(missing.error().fields.at(0).message.find("colonne manquante") != std::string::npos);
  auto unknown = formats::parse_needs_csv(
      "cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end,colour\n", cpv(), 1,
      NeedStatus::submitted);
  CHECK(unknown.error().fields.at(0).code == "needs_import.column.unknown");
  CHECK(unknown.error().fields.at(0).message.find("colour") != std::string::npos);
  CHECK_FALSE(
      formats::parse_needs_csv("cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end\n",
                               cpv(), 1, NeedStatus::submitted)
          .ok());
  CHECK_FALSE(formats::parse_needs_csv("", cpv(), 1, NeedStatus::submitted).ok());
}

// ---- Real spreadsheets (issue 20 item 2) ----

namespace {
const char* const kFrenchHeader =
    "Code CPV;Intitul\xE9;Quantit\xE9;Unit\xE9;Prix unitaire estim\xE9 HT;D\xE9partement;Date de d\xE9"
    "but;"
    "Date de fin\r\n";

const FieldError* field_named(const Error& error, std::string_view name) {
  for (const auto& f : error.fields) {
    if (f.field == name) return &f;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("needs CSV: a file as French Excel saves it — Windows-1252, ';', CRLF, JJ/MM/AAAA, « 1 234,50 € »") {
  // The bytes of « CSV (séparateur : point-virgule) »: é = 0xE9, ’ = 0x92, œ = 0x9C, € = 0x80, NBSP = 0xA0.
  auto needs = formats::parse_needs_csv(std::string(kFrenchHeader) +
                                            "44810000-1;Peinture \x9C"
                                            "cum\xE9nique l\x92"
                                            "ext\xE9rieur;1\xA0"
                                            "200;l;1 234,50 \x80;69;01/01/2027;"
                                            "31/12/2027\r\n"
                                            "44810000-1;Enduit;12,5;kg;\x80"
                                            "6,20;69;29/02/2028;28/02/2029\r\n",
                                        cpv(), 1, NeedStatus::submitted);
  REQUIRE(needs.ok());
  REQUIRE(needs->size() == 2);
  CHECK((*needs)[0].title == "Peinture œcuménique l’extérieur");
  CHECK((*needs)[0].quantity.thousandths == 1200000);
  CHECK((*needs)[0].reference_unit_price.ten_thousandths == 12345000);
  CHECK(to_string((*needs)[0].period_start) == "2027-01-01");
  CHECK(to_string((*needs)[0].period_end) == "2027-12-31");
  CHECK((*needs)[1].quantity.thousandths == 12500);
  CHECK((*needs)[1].reference_unit_price.ten_thousandths == 62000);
  CHECK(to_string((*needs)[1].period_start) == "2028-02-29");
}

TEST_CASE("needs CSV: UTF-8 with a BOM and French headers in any case and accents; thousands in NBSP and U+202F") {
  auto needs = formats::parse_needs_csv(
      "\xEF\xBB\xBF"
      "CODE CPV;intitule;QUANTITÉ;unité;Prix unitaire estimé HT (€);departement;Date de Début;"
      "date de fin;Récurrent\n"
      "44810000-1;Électricité;1\xC2\xA0"
      "234,5;MWh;1\xE2\x80\xAF"
      "234,50\xC2\xA0€;02;2027-01-01;31/12/2027;oui\n",
      cpv(), 1, NeedStatus::submitted);
  REQUIRE(needs.ok());
  CHECK((*needs)[0].title == "Électricité");
  CHECK((*needs)[0].quantity.thousandths == 1234500);
  CHECK((*needs)[0].reference_unit_price.ten_thousandths == 12345000);
  CHECK((*needs)[0].recurring);
}

TEST_CASE("needs CSV: dates at their edges, each error with its line, column and value") {
  const auto row = [](const std::string& start, const std::string& end) {
    return "44810000-1;Peinture;1;l;1;69;" + start + ";" + end + "\r\n";
  };
  auto result = formats::parse_needs_csv(std::string(kFrenchHeader) + row("29/02/2028", "31/12/2028") +  // line 2: ok
                                             row("29/02/2027", "31/12/2027") +                           // line 3
                                             row("01/04/2027", "31/04/2027") +                           // line 4
                                             row("2027-13-01", "1/2/2027"),                              // line 5
                                         cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(result.ok());
  const auto& e = result.error();
  CHECK(e.rule == "needs_import.invalid_rows");
  CHECK(std::none_of(e.fields.begin(), e.fields.end(),
                     [](const FieldError& f) { return f.field.rfind("line 2.", 0) == 0; }));
  const auto* feb = field_named(e, "line 3.period_start");
  REQUIRE(feb != nullptr);
  CHECK(feb->code == "date.not_a_date");
  CHECK(feb->value == "29/02/2027");
  CHECK(feb->message == "n’est pas une date du calendrier");
  const auto* april = field_named(e, "line 4.period_end");
  REQUIRE(april != nullptr);
  CHECK(april->code == "date.not_a_date");
  CHECK(april->value == "31/04/2027");
  const auto* month = field_named(e, "line 5.period_start");
  REQUIRE(month != nullptr);
  CHECK(month->code == "date.not_a_date");
  const auto* shape = field_named(e, "line 5.period_end");
  REQUIRE(shape != nullptr);
  CHECK(shape->code == "date.format");
  CHECK(shape->message == "doit être une date JJ/MM/AAAA ou AAAA-MM-JJ");
  CHECK(shape->value == "1/2/2027");
  // One error per cell: the date's, not the need's "required" besides.
  CHECK(std::count_if(e.fields.begin(), e.fields.end(),
                      [](const FieldError& f) { return f.field == "line 5.period_end"; }) == 1);
  CHECK(e.fields.size() == 4);
}

TEST_CASE("needs CSV: an amount whose groups are not thousands is refused with its value") {
  auto result = formats::parse_needs_csv(std::string(kFrenchHeader) +
                                             "44810000-1;Peinture;12 34;l;1 23,50 \x80;69;01/01/2027;31/12/2027\r\n",
                                         cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(result.ok());
  const auto* q = field_named(result.error(), "line 2.quantity");
  REQUIRE(q != nullptr);
  CHECK(q->value == "12 34");
  CHECK(q->message == "doit être un nombre décimal, par exemple « 12,5 » ou « 1 234,5 »");  // not « 12.5 »
  const auto* p = field_named(result.error(), "line 2.reference_unit_price");
  REQUIRE(p != nullptr);
  CHECK(p->value == "1 23,50 €");  // the cell as the user wrote it, transcoded
}

TEST_CASE("needs CSV: broken or unknown encodings are refused, naming the line and the byte; no U+FFFD stored") {
  const std::string header = "cpv;title;quantity;unit;reference_unit_price;department;period_start;period_end\n";
  // A byte Windows-1252 does not define (0x81).
  auto unknown = formats::parse_needs_csv(header + "44810000-1;Pe\x81nture;1;l;1;69;01/01/2027;31/12/2027\n", cpv(), 1,
                                          NeedStatus::submitted);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().rule == "csv.encoding.unknown");
  CHECK(unknown.error().fields.at(0).field == "line 2");
  CHECK(unknown.error().fields.at(0).value == "0x81");
  CHECK(unknown.error().message.find("ni en UTF-8 ni en Windows-1252") != std::string::npos);
  // UTF-8 « Électricité » then a lone 0xE9: a damaged UTF-8 file, not Windows-1252.
  auto broken = formats::parse_needs_csv(
      header +
          "44810000-1;Électricité;1;l;1;69;01/01/2027;31/12/2027\n44810000-1;D\xE9p\xF4t;1;l;1;69;01/01/2027;31/12/2027\n",
      cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().rule == "csv.encoding.invalid_utf8");
  CHECK(broken.error().fields.at(0).field == "line 3");
  CHECK(broken.error().fields.at(0).value == "0xE9");
  // A BOM says UTF-8: a cp1252 byte after it is refused too.
  auto bom = formats::parse_needs_csv("\xEF\xBB\xBF" + header +
                                          "44810000-1;D\xE9p\xF4t;1;l;1;69;01/01/2027;31/12/2027\n",
                                      cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(bom.ok());
  CHECK(bom.error().rule == "csv.encoding.invalid_utf8");
  // Accents already lost (a cp1252 file once read as UTF-8): U+FFFD refused.
  auto lost = formats::parse_needs_csv(header +
                                           "44810000-1;D\xEF\xBF\xBDp\xEF\xBF\xBDt;1;l;1;69;01/01/2027;31/12/2027\n",
                                       cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().rule == "csv.encoding.replacement");
  CHECK(lost.error().fields.at(0).field == "line 2");
  // UTF-16 (Excel's « Texte Unicode »).
  auto utf16 = formats::parse_needs_csv(std::string("\xFF\xFE"
                                                    "c\0p\0v\0",
                                                    8),
                                        cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(utf16.ok());
  CHECK(utf16.error().rule == "csv.encoding.unknown");
  CHECK(utf16.error().message.find("UTF-16") != std::string::npos);
}

TEST_CASE("needs CSV: French header problems are named in French; a column given twice is refused") {
  auto twice = formats::parse_needs_csv(std::string(kFrenchHeader).insert(9, "Libell\xE9;"), cpv(), 1,
                                        NeedStatus::submitted);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().fields.at(0).code == "needs_import.column.duplicate");
  CHECK(twice.error().fields.at(0).message.find("Libellé") != std::string::npos);
  auto missing = formats::parse_needs_csv("Code CPV;Intitulé\n44810000-1;x\n", cpv(), 1, NeedStatus::submitted);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().fields.at(0).message == "colonne manquante « Quantité » (ou « quantity »)");
}

TEST_CASE("needs CSV: the template imports as it is, as CSV") {
  const auto tpl = formats::needs_import_template();
  const auto csv = formats::to_csv(tpl, formats::CsvDialect::french);
  CHECK(
      csv.starts_with("\xEF\xBB\xBF"
                      "Code CPV;Intitulé;Description;Quantité;Unité;Prix unitaire estimé HT;"
                      "Département;Date de début;Date de fin;Récurrent\r\n"));
  auto needs = formats::parse_needs_csv(csv, cpv(), 1, NeedStatus::submitted);
  REQUIRE(needs.ok());
  REQUIRE(needs->size() == 1);
  CHECK((*needs)[0].title == "Peinture acrylique façade");
  CHECK((*needs)[0].quantity.thousandths == 120000);
  CHECK((*needs)[0].reference_unit_price.ten_thousandths == 62000);
  CHECK(to_string((*needs)[0].period_end) == "2027-12-31");
}
