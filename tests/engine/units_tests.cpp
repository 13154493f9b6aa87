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
  CHECK_FALSE(convert_to_finer(Quantity{1000}, Unit::kg, Unit::t));     // coarser: would lose digits
  CHECK_FALSE(convert_to_finer(Quantity{1000}, Unit::kg, Unit::l));     // another dimension
  CHECK_FALSE(convert_to_finer(Quantity{1000}, Unit::h, Unit::day));    // hours and days are not converted
  CHECK_FALSE(convert_to_finer(Quantity{INT64_MAX / 10}, Unit::t, Unit::kg));  // overflow
  CHECK(finer_unit(Unit::t, Unit::kg) == Unit::kg);
  CHECK(dimension_of(Unit::kWh) == dimension_of(Unit::MWh));
  CHECK(dimension_of(Unit::u) != dimension_of(Unit::lot));
}
