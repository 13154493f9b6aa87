#pragma once
// The costs a joint tender shares between its members (publicity, legal advice,
// the coordinator's work): recorded, removed, and split again — each cost on its
// own, by its key, with the CGLLS subsidy capped over the tender (engine/cost_split).
#include <soci/soci.h>

#include <vector>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/cost_split.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

// Refused (invalid, naming the field) when the tender cannot split it: see
// check_cost_for_tender. Every cost of the tender is split again, each on its own.
Result<db::StoredCost> add_shared_cost(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                       const SharedCost& cost);
// Removes a cost recorded by mistake (a correction is a removal and a new cost),
// with an audit row keeping it and its split as they were; the tender's other
// costs are split again. Allowed in every status but cancelled (a cancelled
// tender's figures stay as they were). Returns the costs left.
Result<std::vector<db::StoredCost>> remove_shared_cost(db::Database& database, const db::Actor& actor,
                                                       std::int64_t tender_id, std::int64_t cost_id);

// Inside a unit of work: every shared cost of the tender split again from its
// lots and the contracts so far. A cost with nothing to split by yet (no contract
// value) keeps no split rows and leaves the others whole.
void resplit_costs(soci::session& sql, const Tender& tender);

}  // namespace canopee::usecases
