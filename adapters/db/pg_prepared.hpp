#pragma once
// The hottest reads on PostgreSQL, prepared once per connection and then run
// with their parameters in one round trip (PQexecPrepared). SOCI 4.0 prepares,
// executes and deallocates a statement on every call (three round trips, and a
// parse and plan each time); its one-time queries take one round trip but are
// still parsed and planned every time.
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"

struct pg_result;

namespace canopee::db {

using TextRow = std::vector<std::optional<std::string>>;  // NULL → nullopt

// Rows of the statement `name` (prepared from `text` on first use on this
// connection), parameters and results in PostgreSQL's text format. Throws a
// postgresql_soci_error, with its SQLSTATE, as SOCI would.
// A result's rows, text format, NULL as nullopt.
std::vector<TextRow> text_rows(const pg_result* result);

std::vector<TextRow> execute_prepared(Connection& connection, const char* name, const char* text,
                                      const std::vector<std::string>& parameters);

}  // namespace canopee::db
