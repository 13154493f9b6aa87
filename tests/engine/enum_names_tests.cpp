// The enumeration-name tables: each name reads back as its value, an unknown name
// is refused with the field, its code and the accepted names.
#include <doctest/doctest.h>

#include "engine/cost_split.hpp"
#include "engine/enum_names.hpp"
#include "engine/evaluation.hpp"
#include "engine/need.hpp"
#include "engine/tender.hpp"

using namespace canopee;

namespace {
enum class Colour { red, green, blue };
constexpr auto kColours = enum_names<Colour>("red", "green", "blue");
}  // namespace

TEST_CASE("enum names: name, parse and the accepted list") {
  static_assert(kColours(Colour::green) == "green");
  static_assert(kColours.parse("blue") == Colour::blue);
  static_assert(!kColours.parse("Blue").has_value());
  CHECK(kColours.listed() == "red, green, blue");
  CHECK(kColours.listed(" | ") == "red | green | blue");

  auto refused = parse_value(kColours, "purple", "colour");
  REQUIRE_FALSE(refused);
  REQUIRE(refused.error().fields.size() == 1);
  CHECK(refused.error().fields[0].field == "colour");
  CHECK(refused.error().fields[0].code == "value.unknown");
  CHECK(refused.error().fields[0].message == "doit être l’une des valeurs red, green, blue");
  CHECK(*parse_value(kColours, "red", "colour") == Colour::red);
}

TEST_CASE("enum names: every value of the domain's enumerations reads back") {
  for (auto s : {TenderStatus::draft, TenderStatus::published, TenderStatus::closed, TenderStatus::awarded,
                 TenderStatus::cancelled})
    CHECK(*parse_tender_status(to_string(s), "status") == s);
  CHECK(to_string(TenderStatus::cancelled) == "cancelled");
  for (auto s : {NeedStatus::draft, NeedStatus::submitted, NeedStatus::pooled, NeedStatus::tendered,
                 NeedStatus::awarded, NeedStatus::withdrawn})
    CHECK(*parse_need_status(to_string(s), "status") == s);
  CHECK(parse_need_status("Draft", "status").error().fields.at(0).code == "need.status.unknown");
  CHECK(parse_need_status("x", "status").error().fields.at(0).message ==
        "doit être l’un de draft, submitted, pooled, tendered, awarded, withdrawn");
  for (auto k : {CostKey::contract_value, CostKey::quantity, CostKey::equal, CostKey::fixed})
    CHECK(*parse_cost_key(to_string(k), "key") == k);
  CHECK(parse_cost_key("", "key").error().fields.at(0).message ==
        "doit être l’une des clés contract_value, quantity, equal, fixed");
  for (auto r : {PriceReview::none, PriceReview::questioned, PriceReview::requested, PriceReview::answered,
                 PriceReview::accepted, PriceReview::refused})
    CHECK(*parse_price_review(to_string(r), "price_review") == r);
  CHECK(french_label(TenderStatus::published) == "publiée");
}
