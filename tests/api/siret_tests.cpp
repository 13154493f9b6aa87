// Issue 16, item 12 over HTTP: La Poste's head-office SIRET accepted, a La Poste
// SIRET failing its digit-sum rule refused, Luhn kept for everyone else.
#include <doctest/doctest.h>

#include "tests/support/api_server.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;

TEST_CASE("suppliers over HTTP: La Poste's head office accepted, its digit-sum rule kept, Luhn for the others") {
  test::ApiServer s;
  const Call officer{s.client, s.user(Role::officer, std::nullopt, "officer@x.example")};
  const auto supplier = [&](const char* name, const char* siret) {
    return officer.post("/v1/suppliers", json::object{{"name", name}, {"siret", siret}, {"department", "75"}});
  };
  const auto head_office = supplier("La Poste (siège)", "35600000000048");
  REQUIRE(head_office.result_int() == 201);
  CHECK(body_of(head_office).at("siret").as_string() == "35600000000048");
  CHECK(supplier("La Poste (établissement)", "35600000049837").result_int() == 201);  // digit sum 45
  const auto suppliers = test::count_rows(*s.database, "suppliers");
  const auto refused = supplier("La Poste ?", "35600000049838");  // digit sum 46
  CHECK(refused.result_int() == 400);
  CHECK(test::first_error_field(refused) == "siret");
  CHECK(body_of(refused).at("errors").at(0).at("message").as_string().find("La Poste") != std::string::npos);
  CHECK(supplier("Autre", "73282932000072").result_int() == 400);  // digit sum 45, but Luhn fails
  CHECK(test::count_rows(*s.database, "suppliers") == suppliers);
  CHECK(supplier("Autre", "73282932000074").result_int() == 201);
}
