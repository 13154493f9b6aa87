#pragma once
// Storage of the modifications of member contracts (avenants, schema/0020_modifications.sql):
// append-only, numbered per contract. Session-level functions for the use cases
// (usecases/modifications.cpp) and for the orders and the ledger, which apply the
// modifications' effect to the contract's maximum (modification_effect).
#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/actor.hpp"
#include "engine/date.hpp"
#include "engine/modification.hpp"

namespace canopee::db {

struct ModificationEffect {
  std::int64_t amount_change = 0;
  int months_change = 0;
  int count = 0;
};
// The cumulative effect of a contract's recorded modifications (its maximum in its basis, its duration).
ModificationEffect modification_effect(soci::session& sql, std::int64_t contract_id);

struct StoredModification {
  std::int64_t id = 0;
  std::int64_t contract_id = 0;
  Modification modification;
  std::string recorded_at;  // RFC 3339
  std::optional<std::int64_t> recorded_by;
};

// A contract's modifications by number.
std::vector<StoredModification> load_modifications(soci::session& sql, std::int64_t contract_id);
// The modifications of several contracts, by contract id then number (one query).
std::map<std::int64_t, std::vector<Modification>> load_modifications_of(soci::session& sql,
                                                                        const std::vector<std::int64_t>& contract_ids);
// Appends `modification` (its number as given) recorded at `recorded_at` by the actor's user.
StoredModification insert_modification(soci::session& sql, std::int64_t contract_id, const Modification& modification,
                                       const Actor& actor, Instant recorded_at);

}  // namespace canopee::db
