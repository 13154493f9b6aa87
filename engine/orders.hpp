#pragma once
// Purchase orders (bons de commande) a member places against its contract under a
// framework agreement, and the ledger of each member's maximum (R2162-4: orders stop
// at the maximum). An order is drafted, sent to the supplier, delivered (in part or
// whole), invoiced and paid, or cancelled with a reason before any delivery.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/framework.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class OrderStatus : std::uint8_t { draft, sent, partially_delivered, delivered, invoiced, paid, cancelled };
std::string_view to_string(OrderStatus status);
Result<OrderStatus> parse_order_status(std::string_view text, std::string_view field);
std::string_view french_label(OrderStatus status);  // « brouillon », « envoyé », …

struct OrderLine {
  std::string description;
  Quantity quantity;
  UnitPrice unit_price;  // the contract's price in force on the order's day (revised when a revision applies)
  Amount amount;         // quantity × unit price, to the cent
  Quantity delivered;
  std::optional<std::int64_t> revision_id;  // the price revision applied, if any
  // The member's budget codes (engine/budget.hpp): by default those its needs in the lot agree on.
  std::optional<std::string> budget_nature{}, budget_analytic{};
  bool operator==(const OrderLine&) const = default;
};

struct Order {
  std::int64_t id = 0;
  std::string reference;
  std::int64_t contract_id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  OrderStatus status = OrderStatus::draft;
  Date ordered_on;  // the day of the order (drafted)
  std::optional<Date> sent_on, delivered_on, invoiced_on, paid_on, cancelled_on;
  std::string delivery_place;
  std::optional<Date> delivery_date;  // the delivery asked for
  std::string invoice_reference;
  std::optional<Amount> invoiced_amount;
  std::string cancel_reason;
  std::vector<OrderLine> lines;
  Amount total;  // Σ lines
  std::int64_t version = 1;
};

inline constexpr std::size_t kMaxOrderLines = 500;
inline constexpr std::size_t kMaxOrderText = 300;  // code points, description and place
inline constexpr std::int64_t kDefaultOrderWarningBp = 8000;

// What an order consumes of its member's maximum: its amount or its quantity.
std::int64_t consumption(const Order& order, MaximumBasis basis);
// Whether an order counts against the maximum: sent and not cancelled.
bool consumes_maximum(OrderStatus status);

// Lines: 1 to kMaxOrderLines, each a positive quantity and a description of at most
// kMaxOrderText characters; the delivery place likewise; the delivery date not before
// the order's day. Errors name "lines[i].quantity", … with codes order.*.
Status validate_order(const Order& order);

// The period an order may be placed in: from the contract's notification (it takes
// effect then, R2182-4) to the end of its duration with renewals. Conflict
// `order.contract_not_in_force` (not notified yet, or `day` before it) or
// `order.contract_ended`.
struct ContractPeriod {
  std::optional<Date> notified_on;
  int months = 0;                   // renewals included
  std::optional<Date> end() const;  // the last day: notified_on + months − 1 day
};
Status check_order_period(const ContractPeriod& period, Date day);

// Where a member stands against its maximum after an order.
struct MaximumCheck {
  std::int64_t maximum = 0;
  std::int64_t consumed_before = 0;  // sent orders not cancelled, before this one
  std::int64_t order = 0;
  std::int64_t remaining_after = 0;
  bool warning = false;  // at or beyond the warning share of the maximum
};
// R2162-4: conflict `order.maximum_exceeded` when the order takes the member beyond
// its maximum, with the figures in the message (formatted in the basis) and fields
// "maximum", "ordered", "remaining", "order"; otherwise the check, `warning` set when
// the member reaches `warning_bp` of its maximum.
Result<MaximumCheck> check_against_maximum(MaximumBasis basis, std::int64_t maximum, std::int64_t consumed_before,
                                           std::int64_t order, std::int64_t warning_bp);

// The transitions, each dated (not in the future, not before the previous step):
// send (draft → sent), deliver (sent/partially delivered → partially delivered or
// delivered, by the quantities delivered per line, never beyond the ordered ones),
// invoice (delivered or partially delivered → invoiced, with the invoice's reference
// and amount), pay (invoiced → paid), cancel (draft or sent, nothing delivered, with a
// reason). Conflict `order.transition` for a step the status does not allow.
Status check_send(const Order& order, Date sent_on, Date today);
Result<Order> apply_delivery(const Order& order, std::span<const Quantity> delivered_now, Date delivered_on,
                             Date today);
Status check_invoice(const Order& order, Date invoiced_on, Amount amount, std::string_view reference, Date today);
Status check_payment(const Order& order, Date paid_on, Date today);
Status check_cancel(const Order& order, std::string_view reason, Date today);

// Prices the lines: each line's amount and the order's total. Invalid when an amount
// overflows the limits (engine/money.hpp).
Status price_order(Order& order);

// ---- The ledger of a member's contract ----
struct LedgerMonth {
  int year = 0;
  unsigned month = 0;
  Amount ordered;  // sent in that month
  Amount delivered;
  Amount invoiced;
  Amount paid;
};

struct ContractLedger {
  std::int64_t contract_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  MaximumBasis basis = MaximumBasis::value;
  std::int64_t maximum = 0;  // in the basis, modifications included
  std::optional<std::int64_t> minimum;
  std::int64_t ordered = 0;  // in the basis
  std::int64_t remaining = 0;
  std::int64_t minimum_due = 0;  // what is still to order to reach the minimum
  Amount ordered_value, delivered_value, invoiced_value, paid_value;
  Quantity ordered_quantity, delivered_quantity;
  std::size_t orders = 0;  // not cancelled
  std::vector<LedgerMonth> months;
  // The pace: at the rate ordered since notification, the day the maximum would be
  // reached, when that is before the contract's end (a member exhausting its maximum
  // early is flagged).
  std::optional<Date> start, end;
  std::optional<Date> projected_exhaustion;
  bool exhausts_before_end = false;
};

// The ledger from the contract's orders (any order; cancelled and drafts count only
// in no figure), as of `today`.
ContractLedger contract_ledger(std::int64_t contract_id, MaximumBasis basis, std::int64_t maximum,
                               std::optional<std::int64_t> minimum, const ContractPeriod& period,
                               std::span<const Order> orders, Date today);

// The saving an order line realised against the member's reference price: the
// delivered quantity at the reference price minus at the price paid (to the cent).
Amount realised_saving(const OrderLine& line, UnitPrice reference);

// A quantity or an amount in the basis, in French: « 1 234,50 € » or « 1 234,5 ».
std::string french_in_basis(MaximumBasis basis, std::int64_t figure);

}  // namespace canopee
