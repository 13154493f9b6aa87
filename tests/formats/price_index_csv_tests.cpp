// Index series from the statistics office's CSV, or a plain month;value file.
#include <doctest/doctest.h>

#include "adapters/formats/price_index_csv.hpp"

using namespace canopee;

namespace {

YearMonth m(const char* text) { return *parse_year_month(text, "m"); }

// The shape of an INSEE BDM series file (values invented for the test).
constexpr std::string_view kInsee =
    "\xEF\xBB\xBF\"Libellé\";\"Index BT01 - Tous corps d'état - Base 2010\"\r\n"
    "\"idBank\";\"001710986\"\r\n"
    "\"Dernière mise à jour\";\"15/11/2026 12:00\"\r\n"
    "\"Période\";\"\"\r\n"
    "\"2026-09\";\"135.8\";\"P\"\r\n"
    "\"2026-08\";\"135.4\";\"A\"\r\n"
    "\r\n"
    "\"2026-07\";\"134,95\";\"A\"\r\n";

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field + " " + f.code);
  return out;
}

}  // namespace

TEST_CASE("an INSEE series file: description lines skipped, dot and comma decimals") {
  const auto rows = formats::parse_index_csv(kInsee);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK(rows->at(0).month == m("2026-09"));
  CHECK(rows->at(0).value == 1'358'000);
  CHECK(rows->at(1).value == 1'354'000);
  CHECK(rows->at(2).month == m("2026-07"));
  CHECK(rows->at(2).value == 1'349'500);
}

TEST_CASE("a plain month;value file, with or without its header") {
  const auto with_header = formats::parse_index_csv("month;value\n2026-01;131,2\n2026-02;131,9\n");
  REQUIRE(with_header.ok());
  CHECK(with_header->size() == 2);
  CHECK(with_header->at(1).value == 1'319'000);
  const auto bare = formats::parse_index_csv("2026-01,131.2\n");
  REQUIRE(bare.ok());
  CHECK(bare->at(0).value == 1'312'000);
}

TEST_CASE("all rows or none: every error with its line and column") {
  const auto bad = formats::parse_index_csv(
      "mois;valeur\n2026-01;131,2\n2026-13;131,9\n2026-02;\n2026-03;-4\n2026-01;132\n2026-04;1,23456\nfin;1\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().rule == "index_import.invalid_rows");
  CHECK(fields_of(bad.error()) ==
        std::vector<std::string>{"line 3.month month.invalid", "line 4.value index_import.value_missing",
                                 "line 5.value index.value_invalid", "line 6.month index_import.duplicate_month",
                                 "line 7.value index.value_invalid", "line 8.month month.invalid"});
  CHECK(formats::parse_index_csv("").error().fields.at(0).code == "index_import.empty");
  CHECK(formats::parse_index_csv("\"Libellé\";\"x\"\n").error().fields.at(0).code == "index_import.empty");
  CHECK(formats::parse_index_csv("2026-01;\"131\n").error().fields.at(0).code == "index_import.quote");
  CHECK(formats::parse_index_csv("2026-T1;131\n").error().fields.at(0).code == "month.invalid");
  CHECK(formats::parse_index_csv("=cmd|' /C calc'!A0;1\n").error().fields.at(0).code == "index_import.empty");
}
