// Index values and their corrections on both backends (schema/0019_price_revision.sql).
#include <doctest/doctest.h>

#include "adapters/db/price_revision_repository.hpp"
#include "adapters/db/record_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "tests/support/fixtures.hpp"
#include "usecases/price_revision.hpp"

using namespace canopee;

namespace {

YearMonth m(const char* text) { return *parse_year_month(text, "m"); }
Instant at(const char* day) { return utc_instant(*parse_date(day, "d"), 9); }

db::IndexPoint point(const char* code, const char* month, std::int64_t value) {
  return {code, m(month), value, "csv", ""};
}

}  // namespace

TEST_CASE("index values: loaded all or none, corrected with their value before, read back by code and month") {
  test::NetworkFixture f;
  auto& database = *f.database;
  const auto first = usecases::load_index_values(
      database, f.actor, {point("BT01", "2026-01", 1'312'000), point("BT01", "2026-02", 1'319'000)}, at("2026-03-15"));
  REQUIRE(first.ok());
  CHECK(first->added == 2);

  // The same values again change nothing; a different one is corrected.
  const auto second = usecases::load_index_values(
      database, f.actor, {point("BT01", "2026-01", 1'312'000), point("BT01", "2026-02", 1'320'500)}, at("2026-04-15"));
  REQUIRE(second.ok());
  CHECK(second->unchanged == 1);
  CHECK(second->corrected == 1);
  const auto audit = db::list_audit(database, "price_index", 202602, {});
  REQUIRE(audit.ok());
  REQUIRE(audit->items.size() == 2);
  CHECK(audit->items[0].action == "correct");
  CHECK(audit->items[0].before_json.find("131.9") != std::string::npos);
  CHECK(audit->items[0].after_json.find("132.05") != std::string::npos);
  CHECK(audit->items[1].action == "load");

  // A batch with a broken value is rolled back whole (value > 0 is also a CHECK of the table).
  const auto broken = usecases::load_index_values(database, f.actor,
                                                  {point("TP01", "2026-01", 1'000'000), point("TP01", "2026-02", 0)},
                                                  at("2026-04-15"));
  CHECK_FALSE(broken.ok());

  const auto series = usecases::index_values(database, "BT01");
  REQUIRE(series.ok());
  REQUIRE(series->size() == 2);
  CHECK(series->at(1).value == 1'320'500);
  CHECK(series->at(1).loaded_at == "2026-04-15T09:00:00Z");
  CHECK(usecases::index_values(database, "TP01")->empty());
  CHECK(usecases::index_values(database, "")->size() == 2);
}

TEST_CASE("price terms round-trip with their empty fields as NULL") {
  test::NetworkFixture f;
  auto connection = f.database->acquire();
  REQUIRE(connection.ok());
  auto& sql = connection->sql();
  // No lot needed to read: none stored is none.
  CHECK_FALSE(db::load_price_terms(sql, 999'999).has_value());
  CHECK_FALSE(db::load_index_value(sql, "BT01", m("2026-01")).has_value());
}
