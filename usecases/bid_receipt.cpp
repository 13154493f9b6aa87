#include "usecases/bid_receipt.hpp"

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/party_repository.hpp"

namespace canopee::usecases {

Result<Bid> record_bid(db::Database& database, const db::Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                       const Bid& bid, std::optional<Instant> clock) {
  if (auto found = db::get_supplier(database, bid.supplier_id); !found) {
    if (found.error().code != ErrorCode::not_found) return std::move(found).error();
    return Error::invalid("supplier_id", "ce fournisseur n’existe pas", "supplier.not_found");
  }
  return db::create_bid(database, actor, tender_id, lot_id, bid, clock);
}

}  // namespace canopee::usecases
