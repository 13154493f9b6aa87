#pragma once
// Moving a joint tender through its procedure: publication (the notice sent), the
// closing of bids, cancellation — each one unit of work with its audit row, checked
// by the engine (check_transition) before it is saved.
#include <optional>
#include <string>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/date.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee::usecases {

struct TransitionFacts {
  std::optional<Instant> now;  // the caller's clock; else the start of `today` in Paris
  std::string reason;          // closing before the deadline requires one
  // The built-in thresholds: publication reads the settings' rows over them (the
  // thresholds in force) for the advice it freezes; ThresholdTable::defaults() alone when null.
  const ThresholdTable* built_in = nullptr;
};

// publish, close or cancel, on the version read (`version`, when given). Publishing
// sends the notice on `today` at `facts.now`: the launch date becomes `today`, the
// procedure advice is computed again at it and stored, and the deadline must leave
// the procedure's minimum time limit (check_publishable); the needs become tendered.
// Closing before the deadline records `facts.reason`. Cancelling gives the needs back.
Result<Tender> transition_tender(db::Database& database, const db::Actor& actor, std::int64_t id, TenderStatus to,
                                 std::optional<std::int64_t> version, Date today, const TransitionFacts& facts = {});

}  // namespace canopee::usecases
