#include "adapters/db/pg_prepared.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <memory>

namespace canopee::db {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void fail(PGconn* conn, const PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  throw soci::postgresql_soci_error(PQerrorMessage(conn), state != nullptr ? state : "");
}

}  // namespace

std::vector<TextRow> text_rows(const PGresult* result) {
  const int rows = PQntuples(result);
  const int columns = PQnfields(result);
  std::vector<TextRow> out(static_cast<std::size_t>(rows), TextRow(static_cast<std::size_t>(columns)));
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c) == 0) {
        out[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].emplace(PQgetvalue(result, r, c),
                                                                              static_cast<std::size_t>(
                                                                                  PQgetlength(result, r, c)));
      }
    }
  }
  return out;
}

std::vector<TextRow> execute_prepared(Connection& connection, const char* name, const char* text,
                                      const std::vector<std::string>& parameters) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(connection.sql().get_backend());
  PGconn* conn = backend->conn_;
  const int count = static_cast<int>(parameters.size());
  if (!connection.is_prepared(name)) {
    ResultPtr prepared(PQprepare(conn, name, text, count, nullptr), &PQclear);
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(conn, prepared.get());
    connection.mark_prepared(name);
  }
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& p : parameters) values.push_back(p.c_str());
  ResultPtr result(PQexecPrepared(conn, name, count, values.data(), nullptr, nullptr, 0), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) fail(conn, result.get());
  return text_rows(result.get());
}

}  // namespace canopee::db
