#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/cpv_repository.hpp"
#include "adapters/db/migrations.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

namespace {

int imported_count(db::Database& database) {
  auto connection = database.acquire();
  int n = -1;
  connection->sql() << "SELECT COUNT(*) FROM cpv_codes", soci::into(n);
  return n;
}

}  // namespace

TEST_CASE("importing the CPV CSV extends the starter nomenclature") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  REQUIRE(db::migrate(*database).ok());
  const auto starter = CpvNomenclature::starter().size();

  auto report = db::import_cpv_csv(*database,
                                   "CODE,FR\n03111000-2,Graines\n03111100-3,Graines de soja\n"
                                   "45442100-8,\"Travaux de peinture (libellé importé)\"\n");
  REQUIRE(report.ok());
  CHECK(report->imported == 3);
  auto nomenclature = db::load_nomenclature(*database);
  REQUIRE(nomenclature.ok());
  CHECK(nomenclature->size() == starter + 2);  // one code was already in the starter set
  CHECK(nomenclature->validate("03111100-3", "cpv").ok());
  CHECK(nomenclature->find(45442100)->label == "Travaux de peinture (libellé importé)");

  // a second import replaces the first
  REQUIRE(db::import_cpv_csv(*database, "CODE,FR\n03111000-2,Graines\n").ok());
  CHECK(imported_count(*database) == 1);
}

TEST_CASE("a CPV file with a bad row imports nothing and says where") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  REQUIRE(db::migrate(*database).ok());
  REQUIRE(db::import_cpv_csv(*database, "CODE,FR\n03111000-2,Graines\n").ok());

  auto bad = db::import_cpv_csv(*database, "CODE,FR\n03111100-3,Graines de soja\n0311110-3,Tronqué\n03111200-4,\n");
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.error().fields.size() == 2);
  CHECK(bad.error().fields[0].field == "line 3.code");
  CHECK(bad.error().fields[1].field == "line 4.label");
  CHECK(imported_count(*database) == 1);  // the earlier import is untouched

  CHECK_FALSE(db::import_cpv_csv(*database, "CODE;FR\n03111100-3;Graines\n").ok());  // no CODE column
  CHECK_FALSE(db::import_cpv_csv(*database, "CODE,FR\n").ok());                      // no rows
  CHECK_FALSE(db::import_cpv_csv(*database, "CODE,FR\n\"03111100-3,x\n").ok());      // unclosed quote
  CHECK(imported_count(*database) == 1);
}
