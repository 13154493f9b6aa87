#include "adapters/db/unit_of_work.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "adapters/clock.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kInsertAudit =
    "INSERT INTO audit_log (at, user_id, member_id, entity, entity_id, action, before_json, after_json, request_id) "
    "VALUES (:at, :user_id, :member_id, :entity, :entity_id, :action, :before_json, :after_json, :request_id)";

// What a client is told: the driver's own words stay in the log.
constexpr const char* kDiskFull =
    "le disque de la base de données est plein : les écritures sont refusées tant que l’exploitation n’a pas libéré de la place";
constexpr const char* kReadOnly =
    "la base de données est en lecture seule : les écritures sont refusées tant que l’exploitation ne l’a pas rendue inscriptible";

constexpr const char* kDuplicate = "un enregistrement avec les mêmes valeurs d’identification existe déjà";
constexpr const char* kReference = "un enregistrement référencé n’existe pas, ou l’enregistrement est encore référencé";
constexpr const char* kCheck = "une valeur enfreint une règle des données enregistrées";
constexpr const char* kUnavailable = "la base de données est indisponible";

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

Error map_database_error(const std::exception& error, Backend backend) {
  const std::string what = error.what();
  // The driver's text goes on to quote the statement with its bound values
  // (e-mail addresses, hashes): only the part before it is logged.
  spdlog::warn("database error: {}", what.substr(0, what.find(" while executing")));
  if (backend == Backend::postgresql) {
    if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
      const std::string state = pg->sqlstate();
      if (state == "23505") return Error::of(ErrorCode::conflict, kDuplicate, "database.duplicate");
      if (state == "23503") return Error::of(ErrorCode::conflict, kReference, "database.reference");
      if (state == "23514" || state == "23502" || state.rfind("22", 0) == 0) {
        return Error::of(ErrorCode::invalid, kCheck, "database.check");
      }
      if (state == "40001" || state == "40P01")
        return Error::of(ErrorCode::conflict, "une modification concurrente est passée avant ; réessayer",
                         "database.concurrent_change");
      if (state == "53100") return Error::of(ErrorCode::unavailable, kDiskFull, "database.disk_full");
      if (state == "25006") return Error::of(ErrorCode::unavailable, kReadOnly, "database.read_only");
      if (state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0 || state.rfind("53", 0) == 0) {
        return Error::of(ErrorCode::unavailable, kUnavailable, "database.unavailable");
      }
    }
    // Connection failures often come without a SQLSTATE.
    if (contains(what, "server closed the connection") || contains(what, "no connection") ||
        contains(what, "connection to server") || contains(what, "terminating connection") ||
        contains(what, "Connection refused") || contains(what, "could not send")) {
      return Error::of(ErrorCode::unavailable, kUnavailable, "database.unavailable");
    }
  } else {
    if (contains(what, "UNIQUE constraint failed"))
      return Error::of(ErrorCode::conflict, kDuplicate, "database.duplicate");
    if (contains(what, "FOREIGN KEY constraint failed"))
      return Error::of(ErrorCode::conflict, kReference, "database.reference");
    if (contains(what, "CHECK constraint failed") || contains(what, "NOT NULL constraint failed")) {
      return Error::of(ErrorCode::invalid, kCheck, "database.check");
    }
    if (contains(what, "database or disk is full"))
      return Error::of(ErrorCode::unavailable, kDiskFull, "database.disk_full");
    if (contains(what, "readonly database")) return Error::of(ErrorCode::unavailable, kReadOnly, "database.read_only");
    if (contains(what, "database is locked") || contains(what, "disk I/O error") || contains(what, "unable to open")) {
      return Error::of(ErrorCode::unavailable, kUnavailable, "database.unavailable");
    }
  }
  return Error::of(ErrorCode::unavailable, "la base de données n’a pas pu mener l’opération à bien", "database.failed");
}

void write_audit(soci::session& sql, const Actor& actor, std::string_view entity, std::int64_t entity_id,
                 std::string_view action, const std::string& before_json, const std::string& after_json) {
  const std::string at = utc_timestamp_now();
  long long user = actor.user_id.value_or(0);
  long long member = actor.member_id.value_or(0);
  soci::indicator user_ind = actor.user_id ? soci::i_ok : soci::i_null;
  soci::indicator member_ind = actor.member_id ? soci::i_ok : soci::i_null;
  const std::string entity_text(entity);
  const std::string action_text(action);
  long long id = entity_id;
  soci::indicator before_ind = before_json.empty() ? soci::i_null : soci::i_ok;
  soci::indicator after_ind = after_json.empty() ? soci::i_null : soci::i_ok;
  soci::indicator request_ind = actor.request_id.empty() ? soci::i_null : soci::i_ok;
  sql << kInsertAudit, soci::use(at), soci::use(user, user_ind), soci::use(member, member_ind), soci::use(entity_text),
      soci::use(id), soci::use(action_text), soci::use(before_json, before_ind), soci::use(after_json, after_ind),
      soci::use(actor.request_id, request_ind);
}

Date stored_date(std::string_view text) { return parse_date(text.substr(0, 10), "date").value(); }

std::string normalize_timestamp(std::string text) {
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  if (text.size() >= 3 && text.compare(text.size() - 3, 3, "+00") == 0) text.replace(text.size() - 3, 3, "Z");
  return text;
}

soci::statement single_trip(soci::session& sql, const std::string& query) {
  soci::statement statement(sql);
  statement.alloc();
  statement.prepare(query, soci::details::st_one_time_query);
  return statement;
}

WriteTransaction::WriteTransaction(soci::session& sql, Backend backend) : sql_(sql) {
  sql_ << (backend == Backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

WriteTransaction::WriteTransaction(soci::session& sql, Backend backend, ReadOnly) : sql_(sql) {
  sql_ << (backend == Backend::sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

WriteTransaction::~WriteTransaction() {
  if (done_) return;
  try {
    sql_ << "ROLLBACK";
  } catch (const std::exception&) {
    // The connection is gone or the transaction already ended: nothing to undo here.
  }
}

void WriteTransaction::commit() {
  sql_ << "COMMIT";
  done_ = true;
}

}  // namespace canopee::db
