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

TEST_CASE("a member's SIRET over HTTP: optional, its own SIREN's, cleared by null") {
  test::ApiServer s;
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto created = admin.post("/v1/members", json::object{{"code", "OPAL"},
                                                              {"name", "Office OPAL"},
                                                              {"siren", "270200017"},
                                                              {"siret", "27020001700019"},
                                                              {"department", "02"}});
  REQUIRE(created.result_int() == 201);
  CHECK(body_of(created).at("siret") == "27020001700019");
  const auto path = "/v1/members/" + std::to_string(test::id_of(created));
  const auto members = test::count_rows(*s.database, "members");
  const auto other = admin.post("/v1/members", json::object{{"code", "REIMS"},
                                                            {"name", "Reims Habitat"},
                                                            {"siren", "270510027"},
                                                            {"siret", "27020001700019"},  // OPAL's
                                                            {"department", "51"}});
  CHECK(other.result_int() == 400);
  CHECK(test::field_codes(other) == std::vector<std::string>{"member.siret.not_of_siren"});
  CHECK(test::count_rows(*s.database, "members") == members);
  const auto bad_key = admin.patch(path, json::object{{"siret", "27020001700018"}});
  CHECK(bad_key.result_int() == 400);
  CHECK(test::field_codes(bad_key) == std::vector<std::string>{"party.siret.check_digit"});
  CHECK(body_of(admin.get(path)).at("siret") == "27020001700019");
  const auto cleared = admin.patch(path, json::object{{"siret", nullptr}});
  REQUIRE(cleared.result_int() == 200);
  CHECK(body_of(cleared).at("siret").is_null());
  CHECK(body_of(admin.post("/v1/members", json::object{{"code", "OISE"},
                                                       {"name", "Oise Habitat"},
                                                       {"siren", "270600034"},
                                                       {"department", "60"}}))
            .at("siret")
            .is_null());
}
