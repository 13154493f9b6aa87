// The other obligations of 21 August 2026 (issue 16 item 15, loi 2021-1104 art. 35):
// environmental execution conditions for every contract (L2112-2 as amended) and
// social considerations at or above the EU thresholds (L2112-2-1, with exceptions),
// checked at publication on the launch date.
#include <doctest/doctest.h>

#include "engine/tender.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }

// A tender that publishes on any launch date but for the execution conditions: two
// lots, a price and an environmental criterion, a deadline well after any minimum.
Tender tender(Procedure procedure) {
  Tender t;
  t.procedure = procedure;
  t.criteria = {{"prix", 60, true, false}, {"environnement", 40, false, true}};
  t.bid_deadline = "2027-06-01T12:00:00Z";
  Lot lot;
  lot.number = 1;
  lot.cpv = "09310000-5";
  lot.quantity = *parse_quantity("1", "q");
  lot.estimated_value = Amount{300'000'00};
  t.lots.push_back(lot);
  lot.number = 2;
  t.lots.push_back(lot);
  return t;
}

Status publish_on(const Tender& t, const char* launch) {
  return check_publishable(t, day(launch), utc_instant(day(launch)));
}

std::vector<std::string> codes(const Status& status) {
  std::vector<std::string> out;
  if (!status) {
    for (const auto& e : status.error().fields) out.push_back(e.code);
  }
  return out;
}

}  // namespace

TEST_CASE("execution conditions: none required for a launch on 2026-08-20, whatever the procedure") {
  CHECK(execution_conditions_date() == day("2026-08-21"));
  for (const auto p : {Procedure::no_competition, Procedure::adapted, Procedure::formal}) {
    CHECK(publish_on(tender(p), "2026-08-20"));
    CHECK(execution_condition_errors(tender(p), p, day("2026-08-20")).empty());
  }
}

TEST_CASE("execution conditions: environmental conditions required from 2026-08-21 for every procedure (L2112-2)") {
  for (const auto p : {Procedure::no_competition, Procedure::adapted, Procedure::formal}) {
    auto t = tender(p);
    t.social_considerations = "insertion : 5 % des heures";
    const auto refused = publish_on(t, "2026-08-21");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::conflict);
    CHECK(refused.error().rule == "tender.environmental_conditions.missing");
    REQUIRE(refused.error().fields.size() == 1);
    CHECK(refused.error().fields[0].field == "environmental_conditions");
    CHECK(refused.error().fields[0].message.find("L2112-2") != std::string::npos);
    // The only problem: the message is the rule's.
    CHECK(refused.error().message == refused.error().fields[0].message);
    t.environmental_conditions = "   \n";  // spaces say nothing
    CHECK(codes(publish_on(t, "2026-08-21")) == std::vector<std::string>{"tender.environmental_conditions.missing"});
    t.environmental_conditions = "livraisons groupées, véhicules à faibles émissions";
    CHECK(publish_on(t, "2026-08-21"));
  }
}

TEST_CASE(
    "execution conditions: social considerations or their exception from 2026-08-21 for a formal procedure (L2112-2-1)") {
  auto formal = tender(Procedure::formal);
  formal.environmental_conditions = "emballages repris par le titulaire";
  CHECK(publish_on(formal, "2026-08-20"));
  const auto refused = publish_on(formal, "2026-08-21");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().rule == "tender.social_considerations.missing");
  REQUIRE(refused.error().fields.size() == 1);
  CHECK(refused.error().fields[0].field == "social_considerations");
  CHECK(refused.error().fields[0].message.find("L2112-2-1") != std::string::npos);

  auto with_clause = formal;
  with_clause.social_considerations = "insertion : 5 % des heures de livraison";
  CHECK(publish_on(with_clause, "2026-08-21"));
  auto with_exception = formal;
  with_exception.social_exception = "fourniture d'électricité par le réseau : aucune main-d'œuvre d'exécution";
  CHECK(publish_on(with_exception, "2026-08-21"));

  // Both missing: both named, the environmental one first.
  auto bare = tender(Procedure::formal);
  CHECK(codes(publish_on(bare, "2026-08-21")) ==
        std::vector<std::string>{"tender.environmental_conditions.missing", "tender.social_considerations.missing"});
}

TEST_CASE("execution conditions: social considerations optional below the EU thresholds") {
  for (const auto p : {Procedure::no_competition, Procedure::adapted}) {
    auto t = tender(p);
    t.environmental_conditions = "emballages repris par le titulaire";
    CHECK(publish_on(t, "2026-08-21"));
    CHECK(publish_on(t, "2027-03-01"));
  }
  // The procedure given decides, not the stored one (publication checks the advice frozen then).
  auto adapted = tender(Procedure::adapted);
  adapted.environmental_conditions = "emballages repris";
  CHECK(execution_condition_errors(adapted, Procedure::adapted, day("2026-08-21")).empty());
  const auto errors = execution_condition_errors(adapted, Procedure::formal, day("2026-08-21"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == "tender.social_considerations.missing");
}

TEST_CASE("execution conditions: texts are UTF-8, at most 4,000 characters") {
  auto t = tender(Procedure::formal);
  CHECK(validate_execution_conditions(t));
  t.environmental_conditions = std::string(4000, 'e');
  t.social_considerations = "ligne 1\nligne 2\tavec tabulation";
  CHECK(validate_execution_conditions(t));
  // 4,000 characters of two bytes each: counted in characters, not bytes.
  std::string accents;
  for (int i = 0; i < 4000; ++i) accents += "é";
  t.social_exception = accents;
  CHECK(validate_execution_conditions(t));
  t.social_exception += "é";
  auto too_long = validate_execution_conditions(t);
  REQUIRE_FALSE(too_long);
  REQUIRE(too_long.error().fields.size() == 1);
  CHECK(too_long.error().fields[0].field == "social_exception");
  t.social_exception.clear();
  t.environmental_conditions = std::string(4001, 'e');
  t.social_considerations = "\xC3\x28";  // malformed UTF-8
  auto both = validate_execution_conditions(t);
  REQUIRE_FALSE(both);
  CHECK(both.error().code == ErrorCode::invalid);
  REQUIRE(both.error().fields.size() == 2);
  CHECK(both.error().fields[0].field == "environmental_conditions");
  CHECK(both.error().fields[1].field == "social_considerations");
  t.environmental_conditions = "bell \x07";  // a control character
  t.social_considerations.clear();
  CHECK_FALSE(validate_execution_conditions(t));
}
