#pragma once
// CANOPEE_DATABASE_URL: which SOCI backend to use and how to reach it.
//   sqlite:///absolute/path.db   sqlite://relative/path.db
//   postgresql://user:pass@host:port/dbname   (postgres:// is accepted too)
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace canopee::db {

enum class Backend { sqlite, postgresql };

struct DatabaseUrl {
  Backend backend = Backend::sqlite;
  std::string sqlite_path;     // sqlite only
  std::string connect_string;  // what SOCI's backend is opened with
  std::string redacted;        // the URL with any password masked, for logs
};

Result<DatabaseUrl> parse_database_url(std::string_view url);

// The embedded default: a file under ./var/.
inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite://var/canopee.db";

std::string_view backend_name(Backend backend);

}  // namespace canopee::db
