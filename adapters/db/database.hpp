#pragma once
// The connection pool. One Connection per unit of work; blocking, so callers
// run on a worker thread, never on an HTTP I/O thread.
//
// A connection on which an operation failed is marked suspect; the next lease
// checks it and reconnects if the server went away (SOCI's failover callback
// is not relied on).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "adapters/db/database_url.hpp"
#include "engine/result.hpp"

namespace soci {
class session;
}

namespace canopee::db {

class Database;

class Connection {
 public:
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  ~Connection();

  soci::session& sql();
  Backend backend() const;
  // Call when an operation on this connection failed: it is checked before reuse.
  void mark_suspect();
  // Whether a statement of that name was prepared on this connection's current
  // session (a reconnection forgets them all: the server dropped them).
  bool is_prepared(std::string_view name) const;
  void mark_prepared(std::string_view name);

 private:
  friend class Database;
  Connection(Database* database, std::size_t slot) : database_(database), slot_(slot) {}
  Database* database_;
  std::size_t slot_;
};

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::uint64_t acquired = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t connect_failures = 0;
};

struct PoolOptions {
  std::size_t size = 4;
  std::chrono::milliseconds acquire_timeout{5000};
};

class Database {
 public:
  Database(DatabaseUrl url, PoolOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A connected session from the pool, or `unavailable` when the database cannot
  // be reached or every connection stays busy past the acquire timeout.
  Result<Connection> acquire();
  // Opens every connection of the pool now rather than at its first use, so that
  // the first requests after a start do not each wait for a connection (the
  // server calls it before it listens). The first failure, if any; the pool stays
  // usable either way (a connection that failed is opened again when acquired).
  Status open_all();
  // Runs `SELECT 1` on a pooled connection.
  Status ping();
  // SQLite has one writer at a time: this process's writers queue here, in turn,
  // rather than poll the file lock (PostgreSQL: an empty lock, writers run together).
  std::unique_lock<std::mutex> serialize_writes();

  Backend backend() const { return url_.backend; }
  const DatabaseUrl& url() const { return url_; }
  PoolStats stats() const;

 private:
  friend class Connection;
  struct Slot;
  Status connect(Slot& slot);
  void release(std::size_t slot);

  DatabaseUrl url_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::mutex write_mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::size_t> free_;
  PoolStats stats_;
};

}  // namespace canopee::db
