#include "adapters/db/database.hpp"

#include <fcntl.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

namespace canopee::db {

struct Database::Slot {
  soci::session session;
  bool opened = false;
  bool suspect = false;
  std::set<std::string, std::less<>> prepared;  // statements prepared on this session
};

namespace {

void configure_session(soci::session& sql, Backend backend) {
  if (backend == Backend::sqlite) {
    // Foreign keys are off by default and per connection in SQLite.
    sql << "PRAGMA foreign_keys = ON";
    sql << "PRAGMA journal_mode = WAL";
    sql << "PRAGMA synchronous = NORMAL";
    // A writer waits up to 5 s for another (another pool connection or process)
    // to commit, rather than failing at once.
    sql << "PRAGMA busy_timeout = 5000";
  } else {
    sql << "SET TIME ZONE 'UTC'";
    sql << "SET DateStyle = 'ISO, YMD'";
  }
}

// Why a SQLite file cannot be opened, when the reason is the storage rather than
// the file: SQLite's own message ("unable to open database file") does not say.
std::string sqlite_open_failure(const std::string& path) {
  auto directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  struct statvfs fs {};
  if (::statvfs(directory.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
    return "la base de données est sur un système de fichiers en lecture seule (" + directory.string() +
           ") : il doit être inscriptible";
  }
  if (::access(directory.c_str(), W_OK) != 0) {
    return "le répertoire de la base de données n’est pas inscriptible par ce processus (" + directory.string() + ")";
  }
  return "la base de données est injoignable";
}

// A new SQLite database file is readable by its owner only (0600): it holds the
// token hashes and every member's figures. Creating it here, empty, before SQLite
// opens it is what sets the mode (SQLite would create it 0644 less the umask);
// its -wal and -shm files then take the same mode, SQLite copies it from the
// database file. An existing file is left as the operator made it (O_EXCL).
void create_private_sqlite_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // otherwise it exists already, or SQLite's open reports why not
}

}  // namespace

Database::Database(DatabaseUrl url, PoolOptions options) : url_(std::move(url)), options_(options) {
  if (options_.size == 0) options_.size = 1;
  if (url_.backend == Backend::sqlite) {
    const auto parent = std::filesystem::path(url_.sqlite_path).parent_path();
    if (!parent.empty()) {
      std::error_code ignored;  // a failure shows up as a connect error, with its reason
      std::filesystem::create_directories(parent, ignored);
    }
  }
  for (std::size_t i = 0; i < options_.size; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    free_.push_back(options_.size - 1 - i);
  }
  stats_.size = options_.size;
}

Database::~Database() = default;

Status Database::connect(Slot& slot) {
  try {
    if (!slot.opened) {
      const soci::backend_factory& factory = url_.backend == Backend::sqlite ? *soci::factory_sqlite3()
                                                                             : *soci::factory_postgresql();
      if (url_.backend == Backend::sqlite) create_private_sqlite_file(url_.sqlite_path);
      slot.session.open(factory, url_.connect_string);
      slot.opened = true;
      slot.prepared.clear();
      configure_session(slot.session, url_.backend);
    } else if (slot.suspect && !slot.session.is_connected()) {
      slot.prepared.clear();
      slot.session.reconnect();
      configure_session(slot.session, url_.backend);
      std::lock_guard lock(mutex_);
      ++stats_.reconnects;
    }
    slot.suspect = false;
    return ok_status();
  } catch (const std::exception& e) {
    slot.suspect = true;
    {
      std::lock_guard lock(mutex_);
      ++stats_.connect_failures;
    }
    spdlog::warn("database unreachable: {}", e.what());
    return Error::of(ErrorCode::unavailable,
                     url_.backend == Backend::sqlite ? sqlite_open_failure(url_.sqlite_path)
                                                     : "la base de données est injoignable",
                     "database.unreachable");
  }
}

Result<Connection> Database::acquire() {
  std::size_t index = 0;
  {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, options_.acquire_timeout, [&] { return !free_.empty(); })) {
      ++stats_.timeouts;
      return Error::of(ErrorCode::unavailable, "toutes les connexions à la base de données sont occupées",
                       "database.pool_exhausted");
    }
    index = free_.back();
    free_.pop_back();
    ++stats_.in_use;
    ++stats_.acquired;
  }
  Slot& slot = *slots_[index];
  if (!slot.opened || slot.suspect) {
    if (auto status = connect(slot); !status) {
      release(index);
      return std::move(status).error();
    }
  }
  return Connection(this, index);
}

void Database::release(std::size_t slot) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(slot);
    --stats_.in_use;
  }
  available_.notify_one();
}

Status Database::open_all() {
  std::vector<Connection> held;  // held together, so that each acquire takes another slot
  held.reserve(options_.size);
  for (std::size_t i = 0; i < options_.size; ++i) {
    auto connection = acquire();
    if (!connection) return std::move(connection).error();
    held.push_back(std::move(connection).value());
  }
  return ok_status();
}

Status Database::ping() {
  auto connection = acquire();
  if (!connection) return std::move(connection).error();
  try {
    int one = 0;
    connection->sql() << "SELECT 1", soci::into(one);
    if (one != 1)
      return Error::of(ErrorCode::unavailable, "la base de données a mal répondu à SELECT 1", "database.unreachable");
    return ok_status();
  } catch (const std::exception& e) {
    connection->mark_suspect();
    spdlog::warn("database ping failed: {}", e.what());
    return Error::of(ErrorCode::unavailable, "la base de données est injoignable", "database.unreachable");
  }
}

PoolStats Database::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

Connection::Connection(Connection&& other) noexcept : database_(other.database_), slot_(other.slot_) {
  other.database_ = nullptr;
}

Connection::~Connection() {
  if (database_ != nullptr) database_->release(slot_);
}

soci::session& Connection::sql() { return database_->slots_[slot_]->session; }
Backend Connection::backend() const { return database_->backend(); }
void Connection::mark_suspect() { database_->slots_[slot_]->suspect = true; }

std::unique_lock<std::mutex> Database::serialize_writes() {
  if (url_.backend != Backend::sqlite) return {};
  return std::unique_lock(write_mutex_);
}

bool Connection::is_prepared(std::string_view name) const {
  const auto& prepared = database_->slots_[slot_]->prepared;
  return prepared.find(name) != prepared.end();
}

void Connection::mark_prepared(std::string_view name) { database_->slots_[slot_]->prepared.emplace(name); }

}  // namespace canopee::db
