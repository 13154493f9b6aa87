#pragma once
// The counters that say whether something derived from stored data is still what a
// server computed before (schema/0028_derived_versions.sql): triggers move them in
// the same transaction as every change of what they count. Each read is one round
// trip (a statement prepared once per PostgreSQL connection).
#include <cstdint>
#include <optional>

#include "adapters/db/database.hpp"

namespace canopee::db {

// A tender's evaluation inputs as one number, growing with every change of the
// tender, its criteria, lots, bids (tiers, marks, decisions), draws, member lines
// and awards; none when there is no such tender.
Result<std::optional<std::int64_t>> tender_derived_version(Database& database, std::int64_t tender_id);

// The savings report's inputs as one number, network-wide: savings lines, contracts,
// shared costs and their splits, aided projects and their links, settings, and the
// lot, tender and member fields the report prints.
Result<std::int64_t> finance_version(Database& database);

}  // namespace canopee::db
