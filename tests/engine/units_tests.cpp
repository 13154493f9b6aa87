#include <doctest/doctest.h>

#include "engine/units.hpp"

using namespace canopee;

TEST_CASE("units parse from canonical names and common spellings") {
  CHECK(parse_unit("kg", "unit").value() == Unit::kg);
  CHECK(parse_unit("m3", "unit").value() == Unit::m3);
  CHECK(parse_unit("m³", "unit").value() == Unit::m3);
  CHECK(parse_unit("KWH", "unit").value() == Unit::kWh);
  CHECK(parse_unit("MWh", "unit").value() == Unit::MWh);
  CHECK(parse_unit("unité", "unit").value() == Unit::u);
  CHECK(parse_unit("jour", "unit").value() == Unit::day);
  CHECK(parse_unit("mois", "unit").value() == Unit::month);
  auto bad = parse_unit("furlong", "lines[3].unit");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().fields.at(0).field == "lines[3].unit");
  for (int i = 0; i < kUnitCount; ++i) {
    const auto unit = static_cast<Unit>(i);
    CHECK(parse_unit(to_string(unit), "unit").value() == unit);
  }
}

TEST_CASE("conversions are exact towards the finer unit and refused otherwise") {
  CHECK(convert_to_finer(Quantity{2500}, Unit::t, Unit::kg)->thousandths == 2'500'000);  // 2.5 t = 2500 kg
  CHECK(convert_to_finer(Quantity{1}, Unit::m3, Unit::l)->thousandths == 1000);          // 0.001 m3 = 1 l
  CHECK(convert_to_finer(Quantity{3000}, Unit::MWh, Unit::kWh)->thousandths == 3'000'000);
  CHECK(convert_to_finer(Quantity{1234}, Unit::kg, Unit::kg)->thousandths == 1234);
  CHECK_FALSE(convert_to_finer(Quantity{1000}, Unit::kg, Unit::t));            // coarser: would lose digits
  CHECK_FALSE(convert_to_finer(Quantity{1000}, Unit::kg, Unit::l));            // another dimension
  CHECK_FALSE(convert_to_finer(Quantity{1000}, Unit::h, Unit::day));           // hours and days are not converted
  CHECK_FALSE(convert_to_finer(Quantity{INT64_MAX / 10}, Unit::t, Unit::kg));  // overflow
  CHECK(finer_unit(Unit::t, Unit::kg) == Unit::kg);
  CHECK(dimension_of(Unit::kWh) == dimension_of(Unit::MWh));
  CHECK(dimension_of(Unit::u) != dimension_of(Unit::lot));
}

// Issue 16, item 11: "mL" was read as the metre. It is a millilitre on
// consumables and a mètre linéaire on works schedules: refused, never guessed.
TEST_CASE("units: \"ml\" is ambiguous and refused; the mètre linéaire is spelt out") {
  for (const char* ambiguous : {"ml", "mL", "ML", "Ml", " ml "}) {
    CAPTURE(ambiguous);
    auto refused = parse_unit(ambiguous, "lines[2].unit");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().fields.at(0).field == "lines[2].unit");
    CHECK(refused.error().fields.at(0).code == "unit.ambiguous");
    CHECK(refused.error().fields.at(0).message.find("ambigu") != std::string::npos);
    CHECK(refused.error().fields.at(0).message.find("m linéaire") != std::string::npos);
  }
  for (const char* millilitre : {"millilitre", "millilitres", "Millilitre", "milliliter"}) {
    CAPTURE(millilitre);
    auto refused = parse_unit(millilitre, "unit");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().fields.at(0).code == "unit.millilitre");
    CHECK(refused.error().fields.at(0).message.find("en litres") != std::string::npos);
  }
  for (const char* metre : {"m", "M", "mètre", "metre", "mètres", "m linéaire", "m lineaire", "M Linéaire",
                            "m  linéaire", "m linéaires", "mètre linéaire", "Mètres linéaires", "ml (mètre linéaire)",
                            "ML (Mètre Linéaire)", "ml (mètres linéaires)", " m linéaire "}) {
    CAPTURE(metre);
    auto parsed = parse_unit(metre, "unit");
    REQUIRE(parsed.ok());
    CHECK(*parsed == Unit::m);
  }
  // Neighbours unchanged: litres, cubic metres, square metres, MWh.
  CHECK(parse_unit("l", "unit").value() == Unit::l);
  CHECK(parse_unit("L", "unit").value() == Unit::l);
  CHECK(parse_unit("litre", "unit").value() == Unit::l);
  CHECK(parse_unit("m2", "unit").value() == Unit::m2);
  CHECK(parse_unit("m²", "unit").value() == Unit::m2);
  CHECK(parse_unit("m3", "unit").value() == Unit::m3);
  CHECK(parse_unit("mwh", "unit").value() == Unit::MWh);
  CHECK_FALSE(parse_unit("mm", "unit").ok());
  CHECK_FALSE(parse_unit("m l", "unit").ok());
}
