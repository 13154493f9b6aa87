#include <doctest/doctest.h>

#include <algorithm>

#include "engine/cpv.hpp"

using namespace canopee;

TEST_CASE("the starter nomenclature holds the common codes with their parents and labels") {
  const auto cpv = CpvNomenclature::starter();
  CHECK(cpv.size() > 300);
  CHECK(cpv.size() < 1000);
  const auto* painting = cpv.find(45442100);
  REQUIRE(painting != nullptr);
  CHECK(to_string(painting->code) == "45442100-8");
  CHECK(painting->label == "Travaux de peinture");
  // every entry's parents are present
  for (const auto& entry : cpv.entries()) {
    for (auto depth : {CpvDepth::division, CpvDepth::group, CpvDepth::class_, CpvDepth::category}) {
      const auto parent = cpv_prefix(entry.code.digits, depth);
      if (parent == entry.code.digits) continue;
      CAPTURE(to_string(entry.code));
      // a parent exists unless the official list skips that level (it never skips a division)
      if (depth == CpvDepth::division) CHECK(cpv.find(parent) != nullptr);
    }
  }
  CHECK(cpv.find(9310000) != nullptr);  // électricité, 09310000-5
}

TEST_CASE("codes validate against the loaded nomenclature") {
  const auto cpv = CpvNomenclature::starter();
  CHECK(cpv.validate("45442100-8", "cpv")->digits == 45442100);
  CHECK(cpv.validate("45442100", "cpv")->check == 8);  // the check digit is looked up
  auto wrong_check = cpv.validate("45442100-3", "cpv");
  REQUIRE_FALSE(wrong_check.ok());
  CHECK(wrong_check.error().fields.at(0).message.find("45442100-8") != std::string::npos);
  CHECK(wrong_check.error().fields.at(0).code == "cpv.check_digit");
  CHECK(wrong_check.error().rule == "cpv.check_digit");
  auto unknown = cpv.validate("03111000-2", "cpv");  // Graines: real, but not in the starter set
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().fields.at(0).message.find("canopee cpv import") != std::string::npos);
  CHECK(unknown.error().fields.at(0).code == "cpv.unknown");
  for (const char* bad : {"", "4544210-8", "45442100-", "45442100-88", "4544210a-8", "45442100_8"}) {
    CAPTURE(bad);
    CHECK_FALSE(cpv.validate(bad, "cpv").ok());
  }
}

TEST_CASE("imported codes extend the nomenclature") {
  auto cpv = CpvNomenclature::starter();
  CpvNomenclature imported;
  REQUIRE(imported.add("03111000-2", "Graines").ok());
  CHECK_FALSE(imported.add("0311100-2", "x").ok());
  CHECK_FALSE(imported.add("03111000-2", "").ok());
  const auto before = cpv.size();
  cpv.merge(imported);
  CHECK(cpv.size() == before + 1);
  CHECK(cpv.validate("03111000-2", "cpv").ok());
}

TEST_CASE("depths and prefixes") {
  CHECK(cpv_prefix(45442100, CpvDepth::division) == 45000000);
  CHECK(cpv_prefix(45442100, CpvDepth::group) == 45400000);
  CHECK(cpv_prefix(45442100, CpvDepth::class_) == 45440000);
  CHECK(cpv_prefix(45442100, CpvDepth::category) == 45442000);
  CHECK(cpv_prefix(45442100, CpvDepth::code) == 45442100);
  CHECK(cpv_significant_digits(45442100) == 6);
  CHECK(cpv_significant_digits(45000000) == 2);
  CHECK(cpv_significant_digits(9310000) == 4);
  CHECK(cpv_digits_string(9310000) == "09310000");
  CHECK(parse_cpv_depth("class", "d").value() == CpvDepth::class_);
  CHECK_FALSE(parse_cpv_depth("klass", "d").ok());
}

TEST_CASE("search ignores case and accents and narrows by code prefix") {
  const auto cpv = CpvNomenclature::starter();
  const auto electricity = cpv.search("ELECTRICITE", "", 50);
  REQUIRE_FALSE(electricity.empty());
  CHECK(std::any_of(electricity.begin(), electricity.end(), [](const auto* e) { return e->code.digits == 9310000; }));
  const auto painting = cpv.search("travaux peinture", "4544", 10);
  REQUIRE_FALSE(painting.empty());
  for (const auto* e : painting) CHECK(cpv_digits_string(e->code.digits).rfind("4544", 0) == 0);
  const auto by_code = cpv.search("454421", "", 10);
  REQUIRE_FALSE(by_code.empty());
  CHECK(by_code.front()->code.digits == 45442100);
  CHECK(cpv.search("peinture", "", 3).size() == 3);
  CHECK(cpv.search("zzzznothing", "", 10).empty());
  CHECK(fold_for_search("Œuvre Électrique Ça") == "oeuvre electrique ca");
}
