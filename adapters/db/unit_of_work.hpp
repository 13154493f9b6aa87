#pragma once
// One unit of work: a pooled connection, one transaction, committed when the work
// returns a value, rolled back when it returns an error or throws. Driver errors
// become typed errors (a duplicate → conflict, a broken constraint → invalid, a
// lost or busy database → unavailable); their text is logged, never returned.
#include <soci/soci.h>

#include <functional>
#include <optional>
#include <string>

#include "adapters/db/actor.hpp"
#include "adapters/db/database.hpp"
#include "engine/date.hpp"

namespace canopee::db {

// Maps an exception thrown by SOCI to a typed error.
Error map_database_error(const std::exception& error, Backend backend);

// A write transaction. On SQLite it takes the write lock at BEGIN (IMMEDIATE):
// two deferred transactions that both read, then both want to write, would
// otherwise leave one "database is locked" at once, whatever the busy timeout.
// `ReadOnly` opens a snapshot instead: every read of the work sees the same
// committed state (PostgreSQL REPEATABLE READ READ ONLY; on SQLite a deferred
// transaction, whose first read fixes the snapshot).
class WriteTransaction {
 public:
  struct ReadOnly {};
  WriteTransaction(soci::session& sql, Backend backend);
  WriteTransaction(soci::session& sql, Backend backend, ReadOnly);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();  // rolls back unless committed
  void commit();

 private:
  soci::session& sql_;
  bool done_ = false;
};

template <class T>
Result<T> in_transaction(Database& database, const std::function<Result<T>(soci::session&)>& work) {
  const auto writer = database.serialize_writes();
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    WriteTransaction tx(connection->sql(), database.backend());
    auto result = work(connection->sql());
    if (result) tx.commit();  // otherwise the destructor rolls back
    return result;
  } catch (const std::exception& e) {
    auto error = map_database_error(e, database.backend());
    if (error.code == ErrorCode::unavailable) connection->mark_suspect();
    return error;
  }
}

// A write of exactly one statement: on PostgreSQL the statement alone, which commits
// by itself (atomic; two round trips fewer than BEGIN … COMMIT); on SQLite inside a
// write transaction as any other write (BEGIN IMMEDIATE, the writers' lock).
template <class T>
Result<T> in_one_statement(Database& database, const std::function<Result<T>(soci::session&)>& work) {
  if (database.backend() != Backend::postgresql) return in_transaction<T>(database, work);
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    return work(connection->sql());
  } catch (const std::exception& e) {
    auto error = map_database_error(e, database.backend());
    if (error.code == ErrorCode::unavailable) connection->mark_suspect();
    return error;
  }
}

// Read-only work that reads several tables: one snapshot, so that a write
// committed meanwhile (an award, a cost) is seen whole or not at all.
template <class T>
Result<T> in_snapshot(Database& database, const std::function<Result<T>(soci::session&)>& work) {
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    WriteTransaction tx(connection->sql(), database.backend(), WriteTransaction::ReadOnly{});
    auto result = work(connection->sql());
    tx.commit();  // nothing was written: ending it either way is the same
    return result;
  } catch (const std::exception& e) {
    auto error = map_database_error(e, database.backend());
    if (error.code == ErrorCode::unavailable) connection->mark_suspect();
    return error;
  }
}

// Read-only work on a pooled connection: no explicit transaction.
template <class T>
Result<T> with_pooled_connection(Database& database, const std::function<Result<T>(Connection&)>& work) {
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    return work(*connection);
  } catch (const std::exception& e) {
    auto error = map_database_error(e, database.backend());
    if (error.code == ErrorCode::unavailable) connection->mark_suspect();
    return error;
  }
}

// Read-only work: no explicit transaction.
template <class T>
Result<T> with_connection(Database& database, const std::function<Result<T>(soci::session&)>& work) {
  return with_pooled_connection<T>(database, [&work](Connection& connection) { return work(connection.sql()); });
}

// Appends to the audit log inside the caller's transaction.
void write_audit(soci::session& sql, const Actor& actor, std::string_view entity, std::int64_t entity_id,
                 std::string_view action, const std::string& before_json, const std::string& after_json);

// PostgreSQL prints timestamps as "2026-11-29 04:10:29.123456+00"; the API speaks RFC 3339.
std::string normalize_timestamp(std::string text);

// A date column read with CAST(x AS TEXT): "2026-11-29" on both backends (a stored
// timestamp gives its first ten characters). The database holds only valid dates.
Date stored_date(std::string_view text);

// A statement sent with its parameters in one round trip (PQexecParams on
// PostgreSQL) instead of SOCI's default for a prepared statement, which is three
// (PREPARE, EXECUTE, DEALLOCATE): the hot reads use it. Bind with exchange(),
// then define_and_bind(), execute() and fetch() as usual.
soci::statement single_trip(soci::session& sql, const std::string& query);

}  // namespace canopee::db
