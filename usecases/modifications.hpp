#pragma once
// Modifications of a member's contract (avenants, engine/modification.hpp): what a
// contract's modifications add up to, and recording a new one. A recording is one unit
// of work with its audit row, on the lock of the contract's lot, so that an order and a
// modification of the same contract never interleave: each sees the other whole.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "adapters/db/actor.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/modification_repository.hpp"
#include "adapters/formats/open_data.hpp"
#include "engine/modification.hpp"
#include "engine/thresholds.hpp"

namespace canopee::usecases {

struct ContractModifications {
  std::int64_t contract_id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  bool framework = false;     // the initial figure is the member's maximum (else the contract's amount)
  ModifiedContract contract;  // the initial figures, the notification, what was ordered
  std::vector<db::StoredModification> modifications;
  ModificationSummary summary;
};

// The contract's modifications and their cumulative effect; contract.not_found for a
// contract that does not exist or, when `member_scope` is set, is another member's.
Result<ContractModifications> contract_modifications(db::Database& database, std::int64_t contract_id,
                                                     std::optional<std::int64_t> member_scope = std::nullopt);

// Records `proposed` (its number is the next one) once check_modification allows it,
// against the EU threshold in force on its day for the purchase's kind (`built_in`
// with the dated settings over it), recorded at `now`.
Result<ContractModifications> record_modification(db::Database& database, const db::Actor& actor,
                                                  const ThresholdTable& built_in, std::int64_t contract_id,
                                                  Modification proposed, Instant now, Date today);

// The modifications of `contract_ids` as the DECP publishes them (formats::decp_export),
// their change valued in euros HT; contracts without modification are left out.
Result<std::map<std::int64_t, std::vector<formats::DecpModification>>> decp_modifications(
    db::Database& database, const std::vector<std::int64_t>& contract_ids);

}  // namespace canopee::usecases
