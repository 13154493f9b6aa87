// Every CSV the product writes goes through formats::to_csv: text a user typed
// (member codes, labels, tender references, lot titles) cannot become a formula in
// a spreadsheet, and numbers stay numbers, negative ones included. Asserted on the
// exact bytes.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "adapters/formats/csv.hpp"
#include "adapters/formats/open_data.hpp"
#include "adapters/formats/table.hpp"
#include "tests/support/temp_dir.hpp"
#include "usecases/finance_tables.hpp"
#include "usecases/reports.hpp"

using namespace canopee;
using formats::CellKind;
using formats::CsvDialect;

namespace {

const std::string kHyperlink = "=HYPERLINK(\"http://x\",\"y\")";
const std::string kBom = "\xEF\xBB\xBF";

formats::Table hostile_table() {
  formats::Table t;
  t.title = "Test";
  t.columns = {{"Membre", CellKind::text},
               {"Montant HT", CellKind::money},
               {"Quantité", CellKind::quantity},
               {"Lot", CellKind::integer}};
  t.rows = {{kHyperlink, std::int64_t{-1250}, std::int64_t{1500}, std::int64_t{1}},
            {std::string("+1+1"), std::int64_t{0}, std::int64_t{1000}, std::int64_t{2}},
            {std::string("-2+3"), std::int64_t{125050}, std::int64_t{0}, std::int64_t{3}},
            {std::string("@SUM(A1)"), std::int64_t{-1}, std::int64_t{-2500}, std::int64_t{-4}},
            {std::string("\tcmd"), std::int64_t{5}, std::int64_t{1}, std::int64_t{5}},
            {std::string("\rcmd"), std::int64_t{5}, std::int64_t{1}, std::int64_t{6}},
            {std::string("OPAL"), std::int64_t{5}, std::int64_t{1}, std::int64_t{7}},
            {std::string("a=b;c"), std::int64_t{5}, std::int64_t{1}, std::int64_t{8}},
            {std::string(""), std::int64_t{5}, std::int64_t{1}, std::int64_t{9}}};
  t.totals = {{std::string("Total"), std::int64_t{-99999}, std::int64_t{0}, std::int64_t{45}}};
  return t;
}

}  // namespace

TEST_CASE("CSV text fields starting with = + - @ tab or CR get a quote prefix and are quoted") {
  CHECK(formats::csv_text_field(kHyperlink) == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(formats::csv_text_field("+1+1") == "\"'+1+1\"");
  CHECK(formats::csv_text_field("-2+3", ';') == "\"'-2+3\"");
  CHECK(formats::csv_text_field("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(formats::csv_text_field("\tcmd") == "\"'\tcmd\"");
  CHECK(formats::csv_text_field("\rcmd") == "\"'\rcmd\"");
  // Anything else is written as before: quoted only when needed.
  CHECK(formats::csv_text_field("OPAL") == "OPAL");
  CHECK(formats::csv_text_field("a=b") == "a=b");
  CHECK(formats::csv_text_field(" =1") == " =1");
  CHECK(formats::csv_text_field("a;b", ';') == "\"a;b\"");
  CHECK(formats::csv_text_field("") == "");
}

TEST_CASE("French CSV: hostile text neutralised, money and quantities plain numbers, negatives included") {
  CHECK(formats::to_csv(hostile_table(), CsvDialect::french) ==
        kBom +
            "Membre;Montant HT;Quantité;Lot\r\n"
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";-12,50;1,5;1\r\n"
            "\"'+1+1\";0,00;1;2\r\n"
            "\"'-2+3\";1250,50;0;3\r\n"
            "\"'@SUM(A1)\";-0,01;-2,5;-4\r\n"
            "\"'\tcmd\";0,05;0,001;5\r\n"
            "\"'\rcmd\";0,05;0,001;6\r\n"
            "OPAL;0,05;0,001;7\r\n"
            "\"a=b;c\";0,05;0,001;8\r\n"
            ";0,05;0,001;9\r\n"
            "Total;-999,99;0;45\r\n");
}

TEST_CASE("RFC 4180 CSV: the same neutralisation, decimal points") {
  CHECK(formats::to_csv(hostile_table(), CsvDialect::rfc4180) ==
        "Membre,Montant HT,Quantité,Lot\r\n"
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-12.50,1.5,1\r\n"
        "\"'+1+1\",0.00,1,2\r\n"
        "\"'-2+3\",1250.50,0,3\r\n"
        "\"'@SUM(A1)\",-0.01,-2.5,-4\r\n"
        "\"'\tcmd\",0.05,0.001,5\r\n"
        "\"'\rcmd\",0.05,0.001,6\r\n"
        "OPAL,0.05,0.001,7\r\n"
        "a=b;c,0.05,0.001,8\r\n"
        ",0.05,0.001,9\r\n"
        "Total,-999.99,0,45\r\n");
}

TEST_CASE("the savings report's CSV: a hostile label is text, negative savings stay numbers") {
  ReportFigures f;
  f.reference = Amount{100000};
  f.contract = Amount{101250};
  f.savings = Amount{-1250};
  f.pooling_effect = Amount{-500};
  f.competition_effect = Amount{-750};
  f.net_savings = Amount{-1250};
  f.lots = 1;
  f.savings_award_only = Amount{-1250};  // one line, its contract not notified yet
  f.lines_award_only = 1;
  f.reference_ttc = Amount{120000};  // at 20 %
  f.contract_ttc = Amount{121500};
  f.savings_ttc = Amount{-1500};
  f.contract_one_off = Amount{101250};  // bought once
  f.lines_pooling_not_measurable = 1;   // a single price
  SavingsReport report;
  report.rows.push_back(ReportRow{"7", kHyperlink, 7, f});
  report.rows.push_back(ReportRow{"8", "-2+3", 8, ReportFigures{}});
  report.totals = f;
  reports::SavingsParameters p;
  p.from = parse_date("2027-01-01", "from").value();
  p.to = parse_date("2027-12-31", "to").value();
  const auto table = reports::savings_table(report, p);
  CHECK(
      formats::to_csv(table, CsvDialect::french) ==
      kBom +
          "Clé;Libellé;Référence HT;Marché HT;Gains HT;Gains (%);Effet mutualisation HT;Effet mutualisation;"
          "Effet mise en concurrence HT;Frais mutualisés HT;Subvention;Gains nets HT;Référence TTC;Marché TTC;"
          "Gains TTC;Dont marché ponctuel HT;Lots;Gains comptés depuis la notification;"
          "Gains comptés depuis la décision d'attribution;Lignes notifiées;Lignes non notifiées;"
          "Subvention projetée (hors gains nets)\r\n"
          "7;\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";1000,00;1012,50;-12,50;-1,25;-5,00;non mesurable (prix unique);"
          "-7,50;0,00;0,00;-12,50;1200,00;1215,00;-15,00;1012,50;1;0,00;-12,50;0;1;0,00\r\n"
          "8;\"'-2+3\";0,00;0,00;0,00;0,00;0,00;;0,00;0,00;0,00;0,00;0,00;0,00;0,00;0,00;0;0,00;0,00;0;0;0,00\r\n"
          "Total;;1000,00;1012,50;-12,50;-1,25;-5,00;non mesurable (prix unique);-7,50;0,00;0,00;-12,50;1200,00;"
          "1215,00;-15,00;1012,50;1;0,00;-12,50;0;1;0,00\r\n");
}

TEST_CASE("the DQE's CSV: hostile lot title and member codes are text") {
  Tender tender;
  tender.reference = "=1+1";
  tender.title = "Peintures";
  Lot lot;
  lot.number = 1;
  lot.title = "@SUM(A1)";
  lot.cpv = "44810000-1";
  lot.unit = Unit::l;
  lot.quantity = Quantity{3500};
  lot.members = {{1, Quantity{2500}, Amount{}, UnitPrice{}}, {2, Quantity{1000}, Amount{}, UnitPrice{}}};
  std::map<std::int64_t, Member> members;
  members[1].code = "+1+1";
  members[2].code = "\tcmd";
  const auto table = formats::dqe_table(tender, lot, members);
  CHECK(formats::to_csv(table, CsvDialect::rfc4180) ==
        "Lot,Désignation,CPV,Unité,Membre,Quantité,Prix unitaire HT (€),Montant HT (€)\r\n"
        "1,\"'@SUM(A1)\",44810000-1,l,\"'+1+1\",2.5,,\r\n"
        "1,\"'@SUM(A1)\",44810000-1,l,\"'\tcmd\",1,,\r\n"
        "1,\"'@SUM(A1)\",44810000-1,l,Total,3.5,,\r\n");
}

TEST_CASE("XLSX: hostile text is stored as strings, never as formulas; numbers as numbers") {
  auto bytes = formats::to_xlsx(hostile_table());
  REQUIRE(bytes.ok());
  test::TempDir dir;
  const auto path = (dir.path() / "hostile.xlsx").string();
  std::ofstream(path, std::ios::binary) << *bytes;
  const auto read = [&](const char* member) {
    std::string out;
    FILE* pipe = popen(("unzip -p '" + path + "' " + member).c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    while (auto n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    pclose(pipe);
    return out;
  };
  const auto sheet = read("xl/worksheets/sheet1.xml");
  const auto strings = read("xl/sharedStrings.xml");
  REQUIRE(sheet.find("<sheetData>") != std::string::npos);
  CHECK(sheet.find("<f>") == std::string::npos);  // no formula anywhere
  CHECK(sheet.find("<f ") == std::string::npos);
  for (int row = 2; row <= 9; ++row) {  // the hostile and plain names: shared strings
    CAPTURE(row);
    CHECK(sheet.find("<c r=\"A" + std::to_string(row) + "\" t=\"s\">") != std::string::npos);
  }
  for (const char* text : {"<t>=HYPERLINK(\"http://x\",\"y\")</t>", "<t>+1+1</t>", "<t>-2+3</t>", "<t>@SUM(A1)</t>"}) {
    CAPTURE(text);
    CHECK(strings.find(text) != std::string::npos);  // verbatim: XLSX needs no prefix
  }
  CHECK(sheet.find("<c r=\"B2\" s=\"2\"><v>-12.5</v></c>") != std::string::npos);  // a negative amount, a number
}
