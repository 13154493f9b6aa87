#pragma once
// The database a db.* or api.* test runs against, chosen by CANOPEE_TEST_BACKEND:
// a fresh SQLite file, or a fresh schema-less database on the throwaway PostgreSQL
// server named by CANOPEE_TEST_PG_URL (created per test, dropped afterwards).
#include <memory>
#include <string>

#include "adapters/db/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace canopee::test {

class TestDatabase {
 public:
  TestDatabase();  // an empty database
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  db::Backend backend() const { return backend_; }
  // A pool on this database (a new one each call).
  std::unique_ptr<db::Database> open(std::size_t pool_size = 4) const;

 private:
  db::Backend backend_;
  std::string url_;
  std::string admin_url_;
  std::string pg_name_;
  TempDir dir_;
};

// The backend this test process runs against.
db::Backend test_backend();

}  // namespace canopee::test
