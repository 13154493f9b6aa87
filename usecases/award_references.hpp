#pragma once
// The reference of an award's savings (issue 19 item 2): each member line's reference, need by
// need, actualised by its index to the award date or replaced by the average of the offers
// (engine/reference.hpp computes it). award_lot freezes what it returns into savings_references
// and passes the actualised amounts to compute_savings.
#include <soci/soci.h>

#include <cstdint>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/reference_repository.hpp"
#include "engine/evaluation.hpp"
#include "engine/reference.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

// Inside the award's unit of work: the lot's needs and the index values they name, read on
// `sql`. Errors: reference.index_missing, reference.date_after_award, reference.no_valid_offer
// (409), reference.amount.too_large.
Result<std::vector<MemberReference>> actualised_references(soci::session& sql, const Tender& tender, const Lot& lot,
                                                           const LotEvaluation& evaluation, Date awarded_on);

// The references an award froze for a lot, by member then need (empty before its award); the
// caller checked the lot is visible.
Result<std::vector<db::StoredReference>> lot_references(db::Database& database, std::int64_t lot_id);

}  // namespace canopee::usecases
