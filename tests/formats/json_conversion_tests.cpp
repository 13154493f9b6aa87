// Records convert with boost::json::value_from, alone and inside containers, to the
// representation the API answers.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <map>
#include <vector>

#include "adapters/formats/json_mapping.hpp"

using namespace canopee;

TEST_CASE("records convert with boost::json::value_from, in containers too") {
  Member opal;
  opal.id = 7;
  opal.code = "OPAL";
  opal.name = "OPAL Aisne";
  opal.siren = "273200017";
  opal.department = *parse_department("02", "department");
  const auto alone = boost::json::value_from(opal);
  CHECK(alone == formats::to_json(opal));
  CHECK(alone.at("code") == "OPAL");
  CHECK(alone.at("department") == "02");
  CHECK(alone.at("id") == 7);

  User user;
  user.id = 3;
  user.email = "achat@opal.fr";
  user.role = Role::buyer;
  user.member_id = 7;
  const auto list = boost::json::value_from(std::vector<User>{user, user});
  REQUIRE(list.as_array().size() == 2);
  CHECK(list.as_array()[1].at("role") == "buyer");
  CHECK(list.as_array()[1].at("member_id") == 7);

  const auto by_code = boost::json::value_from(std::map<std::string, Member>{{"OPAL", opal}});
  CHECK(by_code.at("OPAL").at("name") == "OPAL Aisne");
}
