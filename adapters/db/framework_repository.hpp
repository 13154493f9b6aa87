#pragma once
// Storage of a framework agreement's terms and bounds (schema/0018_framework_orders.sql),
// and what a member's contract may consume: its maximum on the lot as the engine
// derives it (engine/framework.hpp) and its period. Session-level functions for the
// use cases; they load and save, the engine decides.
#include <soci/soci.h>

#include <cstdint>
#include <optional>

#include "engine/framework.hpp"
#include "engine/orders.hpp"
#include "engine/tender.hpp"

namespace canopee::db {

// Replaces the tender's terms and bounds with `terms` (validated by the caller).
void save_framework_terms(soci::session& sql, std::int64_t tender_id, const FrameworkTerms& terms);

// A member contract's bounds as awarded: its maximum on the lot, in the lot's basis,
// without the modifications recorded since (adapters/db/modification_repository.hpp).
struct ContractBounds {
  std::int64_t contract_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  std::int64_t tender_id = 0;
  MaximumBasis basis = MaximumBasis::value;
  std::int64_t maximum = 0;
  std::optional<std::int64_t> minimum;
  Amount value;                    // the maximum in euros HT
  bool framework = false;          // the tender is a framework agreement
  ContractPeriod period;           // from its notification, renewals included
  UnitPrice unit_price;            // as awarded
  Amount amount;                   // as awarded (quantity × unit price)
  UnitPrice reference_unit_price;  // the member's reference price on the lot
};
std::optional<ContractBounds> contract_bounds(soci::session& sql, std::int64_t contract_id);
// The same for a contract whose tender is already read.
std::optional<ContractBounds> contract_bounds(soci::session& sql, std::int64_t contract_id, const Tender& tender);

// What the contract's orders consume of its maximum: sent and not cancelled, in the basis.
std::int64_t contract_consumed(soci::session& sql, std::int64_t contract_id, MaximumBasis basis);

}  // namespace canopee::db
