#pragma once
// Storage of the savings references (schema/0023_reference_sources.sql): the needs behind a lot
// as the reference computation reads them at the award, and what each savings line's reference
// was computed from, need by need. Session-level functions for the award use case; they only
// load and save.
#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/need.hpp"
#include "engine/reference.hpp"

namespace canopee::db {

// The needs locked into `lot_id`, by member then id.
struct LotNeed {
  std::int64_t need_id = 0;
  std::int64_t member_id = 0;
  Quantity quantity;
  Unit unit = Unit::u;
  UnitPrice reference_unit_price;
  bool recurring = false;
  ReferenceSource source = ReferenceSource::historical_price;
  Date reference_date;
  std::string index_code;  // empty: none
};
std::vector<LotNeed> load_lot_needs(soci::session& sql, std::int64_t lot_id);

// A stored reference part with its lot and member.
struct StoredReference {
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  ReferencePart part;
  std::string explanation;
};
void insert_references(soci::session& sql, std::int64_t lot_id, const std::vector<MemberReference>& references);
// The references of an awarded lot by member then need (empty before its award).
std::vector<StoredReference> load_references(soci::session& sql, std::int64_t lot_id);

}  // namespace canopee::db
