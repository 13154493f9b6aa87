#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/migrations.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

namespace {

int table_count(soci::session& sql, db::Backend backend, const std::string& table) {
  int n = 0;
  if (backend == db::Backend::sqlite) {
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :t", soci::use(table),
        soci::into(n);
  } else {
    sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = :t", soci::use(table),
        soci::into(n);
  }
  return n;
}

}  // namespace

TEST_CASE("migrations apply in order, once, and are recorded") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  const auto migrations = schema::embedded_migrations();
  REQUIRE_FALSE(migrations.empty());

  auto first = db::migrate(*database);
  REQUIRE(first.ok());
  CHECK(first->from_version == 0);
  CHECK(first->to_version == migrations.back().version);
  CHECK(first->applied.size() == migrations.size());

  auto again = db::migrate(*database);
  REQUIRE(again.ok());
  CHECK(again->applied.empty());
  CHECK(again->from_version == again->to_version);

  auto connection = database->acquire();
  REQUIRE(connection.ok());
  CHECK(table_count(connection->sql(), fixture.backend(), "settings") == 1);
  int recorded = 0;
  connection->sql() << "SELECT COUNT(*) FROM schema_migrations", soci::into(recorded);
  CHECK(recorded == static_cast<int>(migrations.size()));
}

TEST_CASE("a database newer than the binary is refused with a clear message") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  REQUIRE(db::migrate(*database).ok());
  {
    auto connection = database->acquire();
    REQUIRE(connection.ok());
    connection->sql() << "INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (9999, '9999_future', '2030-01-01T00:00:00Z')";
  }
  auto refused = db::migrate(*database);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().message.find("9999") != std::string::npos);
  CHECK(refused.error().message.find("newer") != std::string::npos);
}

TEST_CASE("a failing migration leaves nothing of itself behind") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  const schema::EmbeddedMigration broken[] = {
      {1, "0001_good", "CREATE TABLE good_one (id INTEGER PRIMARY KEY);"},
      {2, "0002_bad", "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nSELECT no_such_column FROM good_one;"},
  };
  auto result = db::migrate(*database, broken);
  REQUIRE_FALSE(result.ok());
  auto connection = database->acquire();
  REQUIRE(connection.ok());
  CHECK(table_count(connection->sql(), fixture.backend(), "good_one") == 1);
  CHECK(table_count(connection->sql(), fixture.backend(), "half_done") == 0);
  int version = -1;
  connection->sql() << "SELECT MAX(version) FROM schema_migrations", soci::into(version);
  CHECK(version == 1);
}

TEST_CASE("the dialect layer renders placeholders per backend and rejects unknown ones") {
  CHECK(db::render_sql("id {{id}}, at {{timestamp}}", db::Backend::sqlite) ==
        "id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT");
  CHECK(db::render_sql("at {{timestamp}} on {{date}} {{json}}", db::Backend::postgresql) ==
        "at TIMESTAMPTZ on DATE JSONB");
  CHECK_THROWS_AS(db::render_sql("{{nope}}", db::Backend::sqlite), std::logic_error);
  CHECK_THROWS_AS(db::render_sql("{{id", db::Backend::sqlite), std::logic_error);
}

TEST_CASE("scripts split into statements, keeping trigger bodies whole") {
  const auto statements = db::split_statements(
      "-- a comment\n"
      "CREATE TABLE a (x INTEGER);\n"
      "\n"
      "CREATE TRIGGER t BEFORE UPDATE ON a\n"
      "BEGIN\n"
      "  SELECT RAISE(ABORT, 'no');\n"
      "END;\n"
      "CREATE INDEX i ON a (x);\n");
  REQUIRE(statements.size() == 3);
  CHECK(statements[0] == "CREATE TABLE a (x INTEGER)");
  CHECK(statements[1].find("RAISE(ABORT, 'no');") != std::string::npos);
  CHECK(statements[1].find("END") != std::string::npos);
  CHECK(statements[2] == "CREATE INDEX i ON a (x)");
}
