#include "adapters/db/derived_versions.hpp"

#include <soci/soci.h>

#include <string>

#include "adapters/db/pg_prepared.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

// The tender's counter plus its lots' (which only ever grow, never go away, and start
// at 1): any change moves the sum.
constexpr const char* kTenderVersion =
    "SELECT CAST(t.derived_version + COALESCE((SELECT SUM(l.derived_version) FROM lots l WHERE l.tender_id = t.id), "
    "0) AS BIGINT) FROM tenders t WHERE t.id = $1";
constexpr const char* kTenderVersionSqlite =
    "SELECT t.derived_version + COALESCE((SELECT SUM(l.derived_version) FROM lots l WHERE l.tender_id = t.id), 0) "
    "FROM tenders t WHERE t.id = :id";
constexpr const char* kFinanceVersion = "SELECT version FROM derived_versions WHERE name = 'finance'";

}  // namespace

Result<std::optional<std::int64_t>> tender_derived_version(Database& database, std::int64_t tender_id) {
  using Out = std::optional<std::int64_t>;
  return with_pooled_connection<Out>(database, [&](Connection& connection) -> Result<Out> {
    if (connection.backend() == Backend::postgresql) {
      const auto rows = execute_prepared(connection, "tender_derived_version", kTenderVersion,
                                         {std::to_string(tender_id)});
      if (rows.empty() || !rows.front().at(0)) return Out{};
      return Out{std::stoll(*rows.front().at(0))};
    }
    long long version = 0, id = tender_id;
    soci::indicator found = soci::i_null;
    connection.sql() << kTenderVersionSqlite, soci::use(id), soci::into(version, found);
    if (!connection.sql().got_data() || found != soci::i_ok) return Out{};
    return Out{version};
  });
}

Result<std::int64_t> finance_version(Database& database) {
  return with_pooled_connection<std::int64_t>(database, [&](Connection& connection) -> Result<std::int64_t> {
    if (connection.backend() == Backend::postgresql) {
      const auto rows = execute_prepared(connection, "finance_version", kFinanceVersion, {});
      if (rows.empty() || !rows.front().at(0)) return std::int64_t{0};
      return std::int64_t{std::stoll(*rows.front().at(0))};
    }
    long long version = 0;
    connection.sql() << kFinanceVersion, soci::into(version);
    return std::int64_t{version};
  });
}

}  // namespace canopee::db
