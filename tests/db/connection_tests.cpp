#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/database.hpp"
#include "adapters/db/migrations.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

TEST_CASE("a pooled connection runs a query on the configured backend") {
  test::TestDatabase fixture;
  auto database = fixture.open(2);
  CHECK(database->backend() == fixture.backend());
  auto connection = database->acquire();
  REQUIRE(connection.ok());
  int sum = 0;
  connection->sql() << "SELECT 40 + 2", soci::into(sum);
  CHECK(sum == 42);
  CHECK(database->ping().ok());
}

TEST_CASE("the pool hands out each connection once and waits, then times out") {
  test::TestDatabase fixture;
  auto parsed = db::parse_database_url(fixture.url());
  REQUIRE(parsed.ok());
  db::Database database(parsed.value(), db::PoolOptions{1, std::chrono::milliseconds(50)});
  auto first = database.acquire();
  REQUIRE(first.ok());
  auto second = database.acquire();
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == ErrorCode::unavailable);
  CHECK(database.stats().timeouts == 1);
  CHECK(database.stats().in_use == 1);
}

TEST_CASE("the pool opens every connection at once when asked, and they all go back to it") {
  test::TestDatabase fixture;
  auto parsed = db::parse_database_url(fixture.url());
  REQUIRE(parsed.ok());
  db::Database database(parsed.value(), db::PoolOptions{3, std::chrono::milliseconds(200)});
  const auto sessions = [&database] {
    auto connection = database.acquire();
    REQUIRE(connection.ok());
    long long n = 0;
    connection->sql() << "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", soci::into(n);
    return n;
  };
  if (fixture.backend() == db::Backend::postgresql) CHECK(sessions() == 1);  // opened when first used
  REQUIRE(database.open_all().ok());
  CHECK(database.stats().in_use == 0);
  if (fixture.backend() == db::Backend::postgresql) CHECK(sessions() == 3);
  // All three can be held at once without opening anything more.
  auto a = database.acquire(), b = database.acquire(), c = database.acquire();
  CHECK((a.ok() && b.ok() && c.ok()));
  CHECK(database.stats().connect_failures == 0);
}

TEST_CASE("an unreachable database is reported as unavailable, not thrown") {
  const auto url = test::test_backend() == db::Backend::sqlite
                       ? std::string("sqlite:///proc/no-such-dir/x.db")
                       : std::string("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  auto parsed = db::parse_database_url(url);
  REQUIRE(parsed.ok());
  db::Database database(parsed.value(), db::PoolOptions{1, std::chrono::milliseconds(100)});
  auto status = database.ping();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == ErrorCode::unavailable);
  CHECK(database.stats().in_use == 0);  // the failed lease went back to the pool
  auto opened = database.open_all();
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::unavailable);
  CHECK(database.stats().in_use == 0);
}

TEST_CASE("SQLite connections enforce foreign keys") {
  if (test::test_backend() != db::Backend::sqlite) return;
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  auto connection = database->acquire();
  REQUIRE(connection.ok());
  int enabled = 0;
  connection->sql() << "PRAGMA foreign_keys", soci::into(enabled);
  CHECK(enabled == 1);
}

TEST_CASE("database URLs select the backend and keep passwords out of logs") {
  auto sqlite = db::parse_database_url("sqlite:///var/lib/canopee/data.db");
  REQUIRE(sqlite.ok());
  CHECK(sqlite->backend == db::Backend::sqlite);
  CHECK(sqlite->sqlite_path == "/var/lib/canopee/data.db");

  auto relative = db::parse_database_url("sqlite://var/canopee.db");
  REQUIRE(relative.ok());
  CHECK(relative->sqlite_path == "var/canopee.db");

  auto pg = db::parse_database_url("postgresql://app:s3cret@db.internal:5433/canopee");
  REQUIRE(pg.ok());
  CHECK(pg->backend == db::Backend::postgresql);
  CHECK(pg->redacted == "postgresql://app:***@db.internal:5433/canopee");
  CHECK(pg->redacted.find("s3cret") == std::string::npos);

  // The password given as a query parameter is masked as well, other parameters kept.
  auto query = db::parse_database_url(
      "postgresql://app@db.internal/canopee?sslmode=require&password=s3cret&application_name=x");
  REQUIRE(query.ok());
  CHECK(query->redacted == "postgresql://app@db.internal/canopee?sslmode=require&password=***&application_name=x");
  auto both = db::parse_database_url("postgresql://app:one@db/canopee?password=two");
  REQUIRE(both.ok());
  CHECK(both->redacted == "postgresql://app:***@db/canopee?password=***");

  CHECK(pg->connect_string ==
        "user='app' password='s3cret' host='db.internal' port='5433' dbname='canopee' connect_timeout='5'");
  auto escaped = db::parse_database_url("postgresql://o%27brien:p%20w@localhost/db?sslmode=require");
  REQUIRE(escaped.ok());
  CHECK(escaped->connect_string ==
        "user='o\\'brien' password='p w' host='localhost' dbname='db' sslmode='require' connect_timeout='5'");
  auto timeout = db::parse_database_url("postgresql://h/db?connect_timeout=2");
  REQUIRE(timeout.ok());
  CHECK(timeout->connect_string == "host='h' dbname='db' connect_timeout='2'");
  CHECK_FALSE(db::parse_database_url("postgresql://h/db?bad key=1").ok());
  CHECK(db::parse_database_url("postgres://h/db").ok());
  CHECK_FALSE(db::parse_database_url("mysql://h/db").ok());
  CHECK_FALSE(db::parse_database_url("sqlite://").ok());
  CHECK_FALSE(db::parse_database_url("sqlite://:memory:").ok());
  CHECK_FALSE(db::parse_database_url("").ok());
}
