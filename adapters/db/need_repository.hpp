#pragma once
// Needs and their attributes. Listings are keyset pages over indexed columns;
// edits and withdrawals follow the need status machine; the bulk path loads many
// needs in one transaction (COPY on PostgreSQL), all or none.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/pg_async.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/aggregation.hpp"
#include "engine/need.hpp"

namespace canopee::db {

struct NeedFilter {
  std::optional<std::int64_t> member_id;
  std::optional<NeedStatus> status;
  std::string cpv_prefix;    // leading digits
  std::optional<Date> from;  // the need's period overlaps [from, to]
  std::optional<Date> to;
};

// `need.member_id` and `need.status` (draft or submitted) are set by the caller.
Result<Need> create_need(Database& database, const Actor& actor, const Need& need);
Result<Need> get_need(Database& database, std::int64_t id);
// get_need's statement on PostgreSQL (for the asynchronous path, pg_async.hpp),
// and the need read back from its rows (none: no such need).
AsyncStatement need_statement(std::int64_t id);
std::optional<Need> need_from_rows(std::span<const TextRow> rows);
// list_needs's statement on PostgreSQL, and the page read back from its rows.
AsyncStatement needs_page_statement(const NeedFilter& filter, const Page& page);
PageOf<Need> needs_page_from_rows(const std::vector<TextRow>& rows, const Page& page);
Result<PageOf<Need>> list_needs(Database& database, const NeedFilter& filter, const Page& page);
// Replaces the editable fields; `need.version` is the version read. Only draft and
// submitted needs may change (conflict otherwise).
Result<Need> update_need(Database& database, const Actor& actor, const Need& need);
// Withdraws a draft or submitted need (conflict once pooled).
Result<Need> withdraw_need(Database& database, const Actor& actor, std::int64_t id,
                           std::optional<std::int64_t> version);

// Inserts every need (already validated, member and status set) in one
// transaction, or none; returns their ids in order. One audit row for the import.
Result<std::vector<std::int64_t>> insert_needs_bulk(Database& database, const Actor& actor,
                                                    std::span<const Need> needs);

// The submitted needs matching an aggregation filter, for propose_aggregation.
Result<std::vector<Need>> select_submitted_needs(Database& database, const AggregationFilter& filter);

// The same needs, reduced to what pooling reads and streamed row by row into the
// compact input (single-row mode on PostgreSQL): memory grows by the 64 bytes of a
// PoolableNeed a need, never by a whole result set or whole needs. In need id order,
// read in one snapshot.
Result<PoolableNeeds> select_poolable_needs(Database& database, const AggregationFilter& filter);

}  // namespace canopee::db
