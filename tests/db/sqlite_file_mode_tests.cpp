// The SQLite files the product creates are its owner's only (0600): they hold the
// token hashes and every member's figures. A file the operator made keeps its mode.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/db/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

namespace {

// The permission bits of a file, or -1 when it does not exist.
int mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// The umask for the test's duration: a permissive one, so that the modes checked
// come from the product, not from the environment's umask.
class Umask {
 public:
  explicit Umask(mode_t mask) : previous_(::umask(mask)) {}
  ~Umask() { ::umask(previous_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t previous_;
};

std::unique_ptr<db::Database> open_sqlite(const std::filesystem::path& file) {
  auto url = db::parse_database_url("sqlite://" + file.string());
  REQUIRE(url.ok());
  return std::make_unique<db::Database>(url.value(), db::PoolOptions{2, std::chrono::milliseconds(2000)});
}

void write_something(db::Database& database) {
  auto connection = database.acquire();
  REQUIRE(connection.ok());
  connection->sql() << "CREATE TABLE t (x INTEGER)";
  connection->sql() << "INSERT INTO t VALUES (1)";
}

}  // namespace

TEST_CASE("a SQLite database the product creates is 0600, and so are its -wal and -shm") {
  if (test::test_backend() != db::Backend::sqlite) return;
  const Umask permissive(0);
  test::TempDir dir;
  const auto file = dir.path() / "sub" / "canopee.db";  // the directory is created too
  auto database = open_sqlite(file);
  REQUIRE(database->ping().ok());
  CHECK(mode_of(file) == 0600);
  write_something(*database);  // WAL mode: the write creates canopee.db-wal and -shm
  CHECK(mode_of(file.string() + "-wal") == 0600);
  CHECK(mode_of(file.string() + "-shm") == 0600);
  CHECK(mode_of(file) == 0600);
}

TEST_CASE("an existing SQLite file keeps the mode its operator chose") {
  if (test::test_backend() != db::Backend::sqlite) return;
  const Umask permissive(0);
  test::TempDir dir;
  const auto file = dir.path() / "canopee.db";
  std::ofstream{file}.close();  // an empty file is an empty database to SQLite
  std::filesystem::permissions(file, std::filesystem::perms(0640));
  auto database = open_sqlite(file);
  write_something(*database);
  CHECK(mode_of(file) == 0640);
  CHECK(mode_of(file.string() + "-wal") == 0640);  // SQLite gives its files the database's mode
}
