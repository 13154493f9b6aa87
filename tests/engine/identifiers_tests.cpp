#include <doctest/doctest.h>

#include "engine/identifiers.hpp"
#include "engine/parties.hpp"

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
  CHECK(wrong.error().fields.at(0).code == "party.siren.check_digit");
  CHECK(validate_siren("73282932", "siren").error().fields.at(0).code == "party.siren.format");
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
  CHECK_FALSE(luhn_valid("35600000049837"));         // … even though Luhn fails
  auto la_poste = validate_siret("35600000049838");  // sum 46, and Luhn fails too
  REQUIRE_FALSE(la_poste.ok());
  CHECK(la_poste.error().fields.at(0).message.find("La Poste") != std::string::npos);
  CHECK(la_poste.error().fields.at(0).code == "party.siret.check_digit");
  CHECK_FALSE(luhn_valid("35600000049838"));
  CHECK_FALSE(validate_siret("7328293200007").ok());
  CHECK_FALSE(validate_siret("7328293200007x").ok());
  CHECK(validate_siret("123", "suppliers[0].siret").error().fields.at(0).field == "suppliers[0].siret");
}

// Issue 16, item 12: La Poste's head office was refused by the digit-sum rule.
TEST_CASE("SIRET: La Poste's head office follows Luhn, its other establishments the digit sum") {
  // 35600000000048: from the right 8, 4×2 = 8, then zeros, 6×2 = 12 → 3, 5, 3×2 = 6:
  // 8 + 8 + 3 + 5 + 6 = 30, Luhn-valid; its digit sum 3+5+6+4+8 = 26 is no multiple of 5.
  CHECK(luhn_valid("35600000000048"));
  CHECK(validate_siret("35600000000048").ok());
  // Its neighbours: …49 fails Luhn (31) and the digit sum (27); …45 has the digit sum
  // 23 — no La Poste rule lets either through.
  CHECK_FALSE(validate_siret("35600000000049").ok());
  CHECK_FALSE(validate_siret("35600000000045").ok());
  // Another La Poste SIRET that passes Luhn (from the right 4, 1×2 = 2, zeros,
  // 6×2 → 3, 5, 3×2 = 6: 20) but whose digit sum 3+5+6+1+4 = 19 is no multiple of 5:
  // Luhn is the head office's rule only.
  CHECK(luhn_valid("35600000000014"));
  CHECK_FALSE(validate_siret("35600000000014").ok());
  // A La Poste establishment by its rule: 3+5+6+5+1 = 20, although Luhn fails (16).
  CHECK_FALSE(luhn_valid("35600000000051"));
  CHECK(validate_siret("35600000000051").ok());
  // Ordinary SIRETs unchanged: Luhn only, whatever their digit sum.
  CHECK(validate_siret("73282932000074").ok());        // Luhn 50, digit sum 47
  CHECK_FALSE(validate_siret("73282932000072").ok());  // digit sum 45, Luhn 48
  CHECK(validate_siret("55208131766522").ok());
}

TEST_CASE("a member's SIRET is optional, valid, and of its own SIREN") {
  Member m;
  m.code = "OPAL";
  m.name = "Office OPAL";
  m.siren = "270200017";
  CHECK(validate_member(m).ok());
  m.siret = "27020001700019";  // the SIREN, NIC 00019, Luhn over the 14 digits
  CHECK(validate_member(m).ok());
  m.siret = "2702000170001";
  CHECK(validate_member(m).error().fields.at(0).code == "party.siret.format");
  m.siret = "27020001700018";
  CHECK(validate_member(m).error().fields.at(0).code == "party.siret.check_digit");
  m.siret = "27051002700013";  // a valid SIRET, but Reims's
  const auto other = validate_member(m);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().fields.at(0).field == "siret");
  CHECK(other.error().fields.at(0).code == "member.siret.not_of_siren");
}
