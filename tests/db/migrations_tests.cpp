#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/migrations.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

namespace {

int table_count(soci::session& sql, db::Backend backend, const std::string& table) {
  int n = 0;
  if (backend == db::Backend::sqlite) {
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :t", soci::use(table), soci::into(n);
  } else {
    sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = :t", soci::use(table), soci::into(n);
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

TEST_CASE("0006 carries the old free bid fields over to the decision states") {
  // Before 0006 a bid had `status` (received, valid, irregular, rejected) and
  // `justification` (none, requested, accepted, refused). A bid `rejected` after
  // its justification was refused is a regular offer whose explanations were
  // refused; any other `rejected` bid had been eliminated: irregular.
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  const auto all = schema::embedded_migrations();
  std::size_t before_0006 = 0;
  while (before_0006 < all.size() && all[before_0006].version < 6) ++before_0006;
  REQUIRE(db::migrate(*database, all.first(before_0006)).ok());
  {
    auto c = database->acquire();
    REQUIRE(c.ok());
    auto& sql = c->sql();
    const std::string at = "2026-10-01T10:00:00Z";
    sql << "INSERT INTO members (code, name, siren, department, created_at, updated_at) "
           "VALUES ('OPAL', 'OPAL', '270200017', '02', :a, :b)",
        soci::use(at), soci::use(at);
    sql << "INSERT INTO suppliers (name, siret, department, created_at) VALUES ('A', '38901234500010', '02', :a)",
        soci::use(at);
    sql << "INSERT INTO suppliers (name, siret, department, created_at) VALUES ('B', '41234567000019', '02', :a)",
        soci::use(at);
    sql << "INSERT INTO suppliers (name, siret, department, created_at) VALUES ('C', '73282932000074', '02', :a)",
        soci::use(at);
    sql << "INSERT INTO suppliers (name, siret, department, created_at) VALUES ('D', '55208131766522', '02', :a)",
        soci::use(at);
    sql << "INSERT INTO suppliers (name, siret, department, created_at) VALUES ('E', '35600000000048', '02', :a)",
        soci::use(at);
    sql << "INSERT INTO tenders (reference, title, status, vehicle, coordinator_member_id, kind, procedure, contract_start, "
           "duration_months, price_formula, abnormally_low_method, created_at, updated_at) VALUES ('T-1', 'Peintures', "
           "'closed', 'groupement', 1, 'supplies', 'adapted', '2027-01-01', 12, 'proportional', 'two_pass_mean', :a, :b)",
        soci::use(at), soci::use(at);
    sql << "INSERT INTO lots (tender_id, number, lot_key, title, cpv, unit, quantity, estimated_value, status) "
           "VALUES (1, 1, 'k', 'Peintures', '44810000-1', 'l', 1000, 100, 'open')";
    // A second tender still receiving bids: the old form marked its bids valid by default.
    sql << "INSERT INTO tenders (reference, title, status, vehicle, coordinator_member_id, kind, procedure, contract_start, "
           "duration_months, price_formula, abnormally_low_method, created_at, updated_at) VALUES ('T-2', 'Peintures 2', "
           "'published', 'groupement', 1, 'supplies', 'adapted', '2027-01-01', 12, 'proportional', 'two_pass_mean', :a, :b)",
        soci::use(at), soci::use(at);
    sql << "INSERT INTO lots (tender_id, number, lot_key, title, cpv, unit, quantity, estimated_value, status) "
           "VALUES (2, 1, 'k', 'Peintures', '44810000-1', 'l', 1000, 100, 'open')";
    const char* rows[][2] = {{"received", "none"},
                             {"valid", "requested"},
                             {"irregular", "none"},
                             {"rejected", "refused"},
                             {"rejected", "none"}};
    for (int i = 0; i < 5; ++i) {
      std::string status = rows[i][0], justification = rows[i][1];
      long long supplier = i + 1;
      sql << "INSERT INTO bids (lot_id, supplier_id, status, justification, received_at) VALUES (1, :s, :st, :j, :a)",
          soci::use(supplier), soci::use(status), soci::use(justification), soci::use(at);
    }
  }
  {
    auto c = database->acquire();
    REQUIRE(c.ok());
    const std::string at = "2026-10-01T10:00:00Z";
    c->sql()
        << "INSERT INTO bids (lot_id, supplier_id, status, justification, received_at) VALUES (2, 1, 'valid', 'none', :a)",
        soci::use(at);
  }
  auto rest = db::migrate(*database);
  REQUIRE_MESSAGE(rest.ok(), (rest.ok() ? "" : rest.error().message));
  CHECK(rest->from_version == 5);
  auto c = database->acquire();
  REQUIRE(c.ok());
  std::vector<std::string> got;
  soci::rowset<soci::row> result = (c->sql().prepare << "SELECT regularity, price_review FROM bids ORDER BY id");
  for (const auto& row : result) got.push_back(row.get<std::string>(0) + "/" + row.get<std::string>(1));
  CHECK(got == std::vector<std::string>{"received/none", "valid/requested", "irregular/none", "valid/refused",
                                        "irregular/none", "received/none"});
}
