#pragma once
// Price revision of framework agreements in execution (R2112-9 to R2112-14): the price form
// of a lot set with the consultation, index values loaded by an admin, the revisions an
// officer records on an awarded lot (engine/price_revision.hpp computes them), and the price
// in force on a day, which orders use. Each write is one unit of work with its audit rows.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/actor.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/price_revision_repository.hpp"
#include "engine/price_revision.hpp"

namespace canopee::usecases {

// A lot's price form and its version (1 while none was set: the lot is at firm price).
struct LotPriceTerms {
  PriceTerms terms;
  std::int64_t version = 1;
};
Result<LotPriceTerms> lot_price_terms(db::Database& database, std::int64_t tender_id, std::int64_t lot_id);
// Sets the lot's price form, while the tender is a draft (price_terms.tender_launched after),
// on the version read when one is given (price_terms.stale otherwise).
Result<LotPriceTerms> set_lot_price_terms(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                          std::int64_t lot_id, const PriceTerms& terms,
                                          std::optional<std::int64_t> expected_version = std::nullopt);

struct IndexImport {
  int added = 0;
  int corrected = 0;  // a value already loaded, changed (its audit row holds before and after)
  int unchanged = 0;
};
// Index values, all or none; `source` is typed or csv; loaded at `now`.
Result<IndexImport> load_index_values(db::Database& database, const db::Actor& actor,
                                      const std::vector<db::IndexPoint>& points, Instant now);
Result<std::vector<db::IndexPoint>> index_values(db::Database& database, const std::string& code);

// The revision of the awarded lot dated `effective_on` (on the lot's schedule, not after
// `today`, its index values loaded), recorded for every member contract of the lot.
Result<db::StoredRevision> record_revision(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                           std::int64_t lot_id, Date effective_on, Instant now, Date today);
Result<std::vector<db::StoredRevision>> lot_revisions(db::Database& database, std::int64_t tender_id,
                                                      std::int64_t lot_id);

struct PriceInForce {
  UnitPrice unit_price;                     // the contract's price on that day, revised if a revision applies
  std::optional<std::int64_t> revision_id;  // the revision applied, none = the contract's price
  std::string explanation;                  // French, empty when none
};
// Inside the caller's transaction. The contract's unit price is contracts.unit_price; a
// revision applies from its effective date once recorded (record_revision). Throws
// std::out_of_range when the contract does not exist (the caller has read it).
PriceInForce price_in_force(soci::session& sql, std::int64_t contract_id, Date day);

}  // namespace canopee::usecases
