#include "tests/support/test_database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace canopee::test {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string unique_name() {
  static std::atomic<int> counter{0};
  static const auto salt = std::random_device{}();
  return "canopee_test_" + std::to_string(getpid()) + "_" + std::to_string(salt % 100000) + "_" +
         std::to_string(counter.fetch_add(1));
}

// Replaces the database name (the path after the authority) of a postgresql:// URL.
std::string with_database(const std::string& url, const std::string& name) {
  const auto authority = url.find("://") + 3;
  const auto slash = url.find('/', authority);
  const auto query = url.find('?', authority);
  std::string base = url.substr(0, slash == std::string::npos ? std::min(query, url.size()) : slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + name + rest;
}

std::string connect_string(const std::string& url) {
  auto parsed = db::parse_database_url(url);
  if (!parsed) throw std::runtime_error(parsed.error().message);
  return parsed->connect_string;
}

}  // namespace

db::Backend test_backend() {
  const auto name = env_or_empty("CANOPEE_TEST_BACKEND");
  if (name.empty() || name == "sqlite") return db::Backend::sqlite;
  if (name == "postgresql") return db::Backend::postgresql;
  throw std::runtime_error("CANOPEE_TEST_BACKEND must be sqlite or postgresql");
}

TestDatabase::TestDatabase() : backend_(test_backend()) {
  if (backend_ == db::Backend::sqlite) {
    url_ = "sqlite://" + (dir_.path() / "test.db").string();
    return;
  }
  admin_url_ = env_or_empty("CANOPEE_TEST_PG_URL");
  if (admin_url_.empty()) {
    throw std::runtime_error(
        "CANOPEE_TEST_PG_URL is not set: run scripts/test (it starts a throwaway PostgreSQL), "
        "or exclude these tests with ctest -LE postgresql");
  }
  pg_name_ = unique_name();
  soci::session admin(*soci::factory_postgresql(), connect_string(admin_url_));
  admin << "CREATE DATABASE " + pg_name_;  // a generated identifier, not user input
  url_ = with_database(admin_url_, pg_name_);
}

TestDatabase::~TestDatabase() {
  if (pg_name_.empty()) return;
  try {
    soci::session admin(*soci::factory_postgresql(), connect_string(admin_url_));
    admin << "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)";
  } catch (...) {
    // A leftover database dies with the throwaway server.
  }
}

std::unique_ptr<db::Database> TestDatabase::open(std::size_t pool_size) const {
  auto parsed = db::parse_database_url(url_);
  if (!parsed) throw std::runtime_error(parsed.error().message);
  return std::make_unique<db::Database>(std::move(parsed).value(),
                                        db::PoolOptions{pool_size, std::chrono::milliseconds(5000)});
}

}  // namespace canopee::test
