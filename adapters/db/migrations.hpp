#pragma once
// Applies the embedded schema migrations in order, each in its own transaction,
// recording them in schema_migrations. Re-running is a no-op; a database at a
// newer version than this binary is refused.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/db/database.hpp"
#include "embedded_migrations.hpp"

namespace canopee::db {

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names of the migrations applied now
};

Result<MigrationReport> migrate(Database& database, std::span<const schema::EmbeddedMigration> migrations);
Result<MigrationReport> migrate(Database& database);  // the embedded migrations

// The dialect layer of the migrations, small and visible: {{id}}, {{timestamp}},
// {{date}} and {{json}} become each backend's type. Throws std::logic_error on
// an unknown placeholder (a programming error, caught by the tests).
std::string render_sql(std::string_view sql, Backend backend);

// Splits a script into statements at semicolons that end a line, keeping
// BEGIN … END; blocks (trigger bodies) whole.
std::vector<std::string> split_statements(std::string_view script);

}  // namespace canopee::db
