#include <doctest/doctest.h>

#include "engine/identifiers.hpp"

using namespace canopee;

// Check digits below were computed by hand (Luhn: double every second digit from
// the right, subtract 9 above 9, sum must be a multiple of 10).
TEST_CASE("SIREN: nine digits with a Luhn check") {
  CHECK(validate_siren("732829320").ok());   // 0+4+3+9+2+7+2+6+7 = 40
  CHECK(validate_siren("356000000").ok());   // La Poste: 0+0+0+0+0+0+6+1+3 = 10
  auto wrong = validate_siren("732829321");  // sum 41
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().fields.at(0).field == "siren");
  CHECK(wrong.error().fields.at(0).message.find("Luhn") != std::string::npos);
  for (const char* bad : {"", "73282932", "7328293200", "73282932a", " 73282932", "-73282932"}) {
    CAPTURE(bad);
    CHECK_FALSE(validate_siren(bad).ok());
  }
}

TEST_CASE("SIRET: fourteen digits with a Luhn check, except La Poste") {
  CHECK(validate_siret("73282932000074").ok());  // even positions 26 + doubled 24 = 50
  CHECK_FALSE(validate_siret("73282932000075").ok());
  // La Poste establishments: digit sum a multiple of 5 (3+5+6+4+9+8+3+7 = 45) …
  CHECK(validate_siret("35600000049837").ok());
  CHECK_FALSE(luhn_valid("35600000049837"));  // … even though Luhn fails
  CHECK_FALSE(validate_siret("35600000049838").ok());  // sum 46
  CHECK_FALSE(validate_siret("7328293200007").ok());
  CHECK_FALSE(validate_siret("7328293200007x").ok());
  CHECK(validate_siret("123", "suppliers[0].siret").error().fields.at(0).field == "suppliers[0].siret");
}
