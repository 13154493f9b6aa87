#pragma once
// A member's purchase orders against its contract under a framework agreement
// (engine/orders.hpp): placed by a buyer of that member, priced at the contract's price
// in force on the order's day, refused beyond the member's remaining maximum
// (R2162-4), then sent, delivered, invoiced and paid, or cancelled with a reason; and
// the ledger of each contract and lot. Every write is one unit of work with its audit
// row, on the lot's lock: two orders racing for the last of a maximum run one after
// the other, and the second sees the first.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/order_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/order_form.hpp"
#include "engine/orders.hpp"

namespace canopee::usecases {

struct OrderLineRequest {
  std::string description;
  Quantity quantity;
  // The member's budget codes (usecases/budget.hpp); when absent, those its needs in the lot agree on.
  std::optional<std::string> budget_nature{}, budget_analytic{};
};

struct OrderRequest {
  std::int64_t contract_id = 0;
  std::string delivery_place;
  std::optional<Date> delivery_date;
  std::vector<OrderLineRequest> lines;
  bool send = false;               // sent at once (today), else kept as a draft
  std::optional<Date> ordered_on;  // imports: the day of the order in the member's system; today otherwise
};

struct Warning {
  std::string code;
  std::string message;
};

struct PlacedOrder {
  Order order;
  std::vector<Warning> warnings;  // order.maximum_near
  std::int64_t version = 0;       // the order's, for its ETag
};

// `acting_member`: the buyer's member (only its own contracts; not found otherwise);
// none for a server command.
Result<PlacedOrder> place_order(db::Database& database, const db::Actor& actor, const OrderRequest& request,
                                std::optional<std::int64_t> acting_member, Date today);

// Several orders at once, all or none (the CSV import): errors name "orders[i]…".
Result<std::vector<PlacedOrder>> place_orders(db::Database& database, const db::Actor& actor,
                                              const std::vector<OrderRequest>& requests,
                                              std::optional<std::int64_t> acting_member, Date today,
                                              std::string_view source);

enum class OrderStep : std::uint8_t { send, deliver, invoice, pay, cancel };
struct StepRequest {
  OrderStep step = OrderStep::send;
  Date on;                          // the day of the step
  std::vector<Quantity> delivered;  // deliver: per line, delivered now
  Amount invoiced_amount;           // invoice
  std::string text;                 // invoice: its reference; cancel: the reason
};
// `acting_member` as above: a buyer steps its own member's orders; finance (none) any.
Result<PlacedOrder> step_order(db::Database& database, const db::Actor& actor, std::int64_t order_id,
                               std::optional<std::int64_t> version, const StepRequest& request,
                               std::optional<std::int64_t> acting_member, Date today);

Result<Order> order_of(db::Database& database, std::int64_t order_id, std::optional<std::int64_t> member_scope);
Result<db::PageOf<Order>> orders_page(db::Database& database, const db::OrderFilter& filter, const db::Page& page);

// The maximum of a contract as it applies: as awarded, plus its modifications.
struct LedgerView {
  ContractLedger ledger;
  UnitPrice unit_price_in_force;
  std::string price_explanation;  // how it was revised, in French; empty when as awarded
};
Result<LedgerView> contract_ledger_of(db::Database& database, std::int64_t contract_id,
                                      std::optional<std::int64_t> member_scope, Date today);
struct LotLedger {
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  MaximumBasis basis = MaximumBasis::value;
  std::int64_t maximum = 0;
  std::int64_t ordered = 0;
  std::vector<LedgerView> members;  // by contract
};
Result<LotLedger> lot_ledger_of(db::Database& database, std::int64_t tender_id, std::int64_t lot_id,
                                std::optional<std::int64_t> member_scope, Date today);

// What the order form says (engine/order_form.hpp).
Result<OrderFormFacts> order_form_facts(db::Database& database, std::int64_t order_id,
                                        std::optional<std::int64_t> member_scope);

}  // namespace canopee::usecases
