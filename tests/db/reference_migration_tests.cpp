// Migration 0023 (issue 19 item 2) on both backends: needs recorded before it become historical
// prices dated the day they were recorded, without an index.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/migrations.hpp"
#include "adapters/db/need_repository.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

TEST_CASE("0023 dates the existing needs' references the day they were recorded") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  const auto all = schema::embedded_migrations();
  std::size_t before_0023 = 0;
  while (before_0023 < all.size() && all[before_0023].version < 23) ++before_0023;
  REQUIRE(db::migrate(*database, all.first(before_0023)).ok());
  {
    auto c = database->acquire();
    REQUIRE(c.ok());
    auto& sql = c->sql();
    const std::string at = "2026-03-04T10:00:00Z";
    sql << "INSERT INTO members (code, name, siren, department, created_at, updated_at) "
           "VALUES ('OPAL', 'OPAL', '270200017', '02', :a, :b)",
        soci::use(at), soci::use(at);
    sql << "INSERT INTO needs (member_id, cpv, title, description, quantity, unit, reference_unit_price, department, "
           "period_start, period_end, recurring, status, version, created_at, updated_at) VALUES (1, '44810000-1', "
           "'Peinture', '', 100000, 'l', 50000, '02', '2027-01-01', '2027-12-31', 0, 'submitted', 1, :a, :b)",
        soci::use(at), soci::use(at);
  }
  const auto rest = db::migrate(*database);
  REQUIRE_MESSAGE(rest.ok(), (rest.ok() ? "" : rest.error().message));
  const auto need = db::get_need(*database, 1);
  REQUIRE(need.ok());
  CHECK(need->reference_source == ReferenceSource::historical_price);
  REQUIRE(need->reference_date.has_value());
  CHECK(to_string(*need->reference_date) == "2026-03-04");
  CHECK(need->reference_index.empty());
  CHECK(to_string(need->reference_unit_price) == "5.0000");
}
