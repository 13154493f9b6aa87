// Issue 16, item 11 over HTTP: "mL" refused as ambiguous (millilitre or mètre
// linéaire) and nothing stored; the mètre linéaire spelt out accepted as the metre.
#include <doctest/doctest.h>

#include "tests/support/api_server.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;

TEST_CASE("needs over HTTP: \"mL\" is refused as ambiguous, \"m linéaire\" is the metre") {
  test::ApiServer s;
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = test::id_of(test::post_member(admin, "A", "270200017"));
  const Call buyer{s.client, s.user(Role::buyer, member, "buyer@x.example")};
  const auto need = [&](const char* unit) {
    return buyer.post("/v1/needs", test::need_body("45442100-8", "120", unit, "14.50"));
  };
  const auto needs = test::count_rows(*s.database, "needs");
  for (const char* ambiguous : {"mL", "ml"}) {
    INFO(std::string(ambiguous));
    const auto refused = need(ambiguous);
    CHECK(refused.result_int() == 400);
    CHECK(test::first_error_field(refused) == "unit");
    CHECK(std::string(body_of(refused).at("errors").at(0).at("code").as_string()) == "unit.ambiguous");
    CHECK(std::string(body_of(refused).at("errors").at(0).at("message").as_string()).rfind("« ml » est ambigu", 0) ==
          0);
  }
  CHECK(test::count_rows(*s.database, "needs") == needs);
  for (const char* metre : {"m linéaire", "ml (mètre linéaire)", "ML (mètres linéaires)"}) {
    const auto created = need(metre);
    REQUIRE_MESSAGE(created.result_int() == 201, metre, " ", created.body());
    CHECK(body_of(created).at("unit").as_string() == "m");
  }
}
