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
