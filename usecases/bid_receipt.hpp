#pragma once
// Recording a bid received for a lot of a published tender: its supplier must be
// known, then the repository checks the receipt against the publication and the
// deadline (check_bid_receipt, R2151-5: a late offer is eliminated) and the lot's
// quantity (check_bid_fits_lot), and stores it with its audit row.
#include <optional>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/date.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

// `bid.received_at` (RFC 3339) or, when empty, the clock; `clock` is the instant of
// the recording (the wall clock when none).
Result<Bid> record_bid(db::Database& database, const db::Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                       const Bid& bid, std::optional<Instant> clock = std::nullopt);

}  // namespace canopee::usecases
