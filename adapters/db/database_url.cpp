#include "adapters/db/database_url.hpp"

#include <boost/url/parse.hpp>

#include <cctype>

namespace canopee::db {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite://";

// A password in the query (…?password=secret&sslmode=require): its value masked.
std::string redact_query_password(std::string url) {
  const auto question = url.find('?');
  if (question == std::string::npos) return url;
  std::size_t pos = question + 1;
  while (pos < url.size()) {
    auto end = url.find('&', pos);
    if (end == std::string::npos) end = url.size();
    const auto equals = url.find('=', pos);
    if (equals != std::string::npos && equals < end) {
      std::string key = url.substr(pos, equals - pos);
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (key == "password" || key == "passfile" || key == "sslpassword") {
        url.replace(equals + 1, end - equals - 1, "***");
        end = equals + 4;
      }
    }
    pos = end + 1;
  }
  return url;
}

std::string redact_password(std::string_view url) {
  // scheme://user:password@host → scheme://user:***@host, and ?password=… masked
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return redact_query_password(std::string(url));
  const auto authority_start = scheme_end + 3;
  const auto at = url.find('@', authority_start);
  const auto slash = url.find('/', authority_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return redact_query_password(std::string(url));
  }
  const auto colon = url.find(':', authority_start);
  if (colon == std::string_view::npos || colon > at) return redact_query_password(std::string(url));
  return redact_query_password(std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at)));
}

// libpq keyword/value syntax: single quotes, with \ and ' escaped.
std::string libpq_value(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// SOCI's PostgreSQL backend reparses its connect string for options of its own,
// which breaks libpq URIs; so the URL becomes keyword='value' pairs here.
Result<std::string> libpq_keywords(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Error::invalid("database", "malformed postgresql URL: " + parsed.error().message());
  const auto& u = *parsed;
  std::string out;
  const auto add = [&out](std::string_view key, std::string_view value) {
    if (!out.empty()) out.push_back(' ');
    out.append(key).push_back('=');
    out += libpq_value(value);
  };
  if (u.has_userinfo()) {
    add("user", u.user());
    if (u.has_password()) add("password", u.password());
  }
  if (!u.host().empty()) add("host", u.host_name().empty() ? u.host() : u.host_name());
  if (u.has_port()) add("port", u.port());
  std::string path = u.path();
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (!path.empty()) add("dbname", path);
  bool timeout_given = false;
  for (const auto& param : u.params()) {
    if (param.key.empty() || param.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return Error::invalid("database", "malformed postgresql URL parameter: " + param.key);
    }
    timeout_given = timeout_given || param.key == "connect_timeout";
    add(param.key, param.value);
  }
  // A server that stops answering must not hold a connection attempt (and the
  // readiness probe) for minutes: 5 s unless the URL says otherwise.
  if (!timeout_given) add("connect_timeout", "5");
  return out;
}

std::string quote_soci_value(std::string_view value) {
  // SOCI's connection-string parser accepts quoted values; a quote inside is not supported.
  return "\"" + std::string(value) + "\"";
}

}  // namespace

std::string_view backend_name(Backend backend) { return backend == Backend::sqlite ? "sqlite3" : "postgresql"; }

Result<DatabaseUrl> parse_database_url(std::string_view url) {
  if (url.starts_with(kSqlitePrefix)) {
    std::string path(url.substr(kSqlitePrefix.size()));
    if (path.empty()) {
      return Error::invalid("database", "sqlite URL has no file path (sqlite:///path/to/file.db)");
    }
    if (path.find('"') != std::string::npos) {
      return Error::invalid("database", "sqlite file path must not contain a double quote");
    }
    if (path == ":memory:") {
      // Each pooled session would get its own empty database.
      return Error::invalid("database", "in-memory SQLite is not supported; use a file path");
    }
    DatabaseUrl parsed;
    parsed.backend = Backend::sqlite;
    parsed.sqlite_path = path;
    parsed.connect_string = "db=" + quote_soci_value(path) + " timeout=10";
    parsed.redacted = std::string(url);
    return parsed;
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto keywords = libpq_keywords(url);
    if (!keywords) return std::move(keywords).error();
    DatabaseUrl parsed;
    parsed.backend = Backend::postgresql;
    parsed.connect_string = std::move(keywords).value();
    parsed.redacted = redact_password(url);
    return parsed;
  }
  return Error::invalid("database", "unsupported database URL (expected sqlite://PATH or postgresql://…)");
}

}  // namespace canopee::db
