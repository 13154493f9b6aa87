#include "usecases/orders.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "adapters/db/award_chain_repository.hpp"
#include "adapters/db/framework_repository.hpp"
#include "adapters/db/modification_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "engine/cost_split.hpp"
#include "engine/units.hpp"
#include "usecases/budget.hpp"
#include "usecases/price_revision.hpp"

namespace canopee::usecases {
namespace {

// ---- SQL ----
constexpr std::string_view kWarningShare = "SELECT value FROM settings WHERE key = 'order_warning_share'";

Error order_not_found() { return Error{ErrorCode::not_found, "bon de commande introuvable", {}, "order.not_found"}; }
Error contract_not_found() { return Error{ErrorCode::not_found, "marché introuvable", {}, "contract.not_found"}; }
Error order_changed() {
  return Error::rule_broken(ErrorCode::stale, "order.stale", "",
                            "le bon de commande a changé depuis votre lecture : relisez-le et recommencez");
}

// The share of the maximum at which a member is warned (setting `order_warning_share`,
// a percentage, 80 by default).
std::int64_t warning_bp(soci::session& sql) {
  std::string value;
  soci::indicator ind = soci::i_null;
  sql << kWarningShare, soci::into(value, ind);
  if (sql.got_data() && ind == soci::i_ok) {
    if (auto bp = parse_percent(value, "order_warning_share"); bp && *bp > 0 && *bp <= 10'000) return *bp;
  }
  return kDefaultOrderWarningBp;
}

// The maximum as it applies today: as awarded, with the modifications recorded since
// (usecases/modifications.hpp, R2194-1 to R2194-9).
std::int64_t applied_maximum(soci::session& sql, const db::ContractBounds& bounds) {
  return bounds.maximum + db::modification_effect(sql, bounds.contract_id).amount_change;
}

// The contract's period with the months its modifications added.
ContractPeriod applied_period(soci::session& sql, const db::ContractBounds& bounds) {
  ContractPeriod period = bounds.period;
  period.months += db::modification_effect(sql, bounds.contract_id).months_change;
  return period;
}

// The contract's price on `day`: as awarded, or as revised by the latest revision recorded
// on or before that day (R2112-13, usecases/price_revision.hpp).
PriceInForce price_on(soci::session& sql, const db::ContractBounds& bounds, Date day) {
  return price_in_force(sql, bounds.contract_id, day);
}

// The contract read after its lot's lock, seen by `acting_member` (not found otherwise).
Result<db::ContractBounds> lock_contract(soci::session& sql, std::int64_t contract_id,
                                         std::optional<std::int64_t> acting_member) {
  const auto first = db::contract_bounds(sql, contract_id);
  if (!first || (acting_member && *acting_member != first->member_id)) return contract_not_found();
  CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, first->tender_id, first->lot_id));
  const auto bounds = db::contract_bounds(sql, contract_id, tender);
  if (!bounds) return contract_not_found();
  return *bounds;
}

Warning near_warning(const db::ContractBounds& bounds, const MaximumCheck& check) {
  return {"order.maximum_near", "Après cette commande, le membre a commandé " +
                                    french_in_basis(bounds.basis, check.consumed_before + check.order) +
                                    " sur un maximum de " + french_in_basis(bounds.basis, check.maximum) +
                                    " : il reste " + french_in_basis(bounds.basis, check.remaining_after) + "."};
}

// The maximum check of an order being sent; its warning when the member nears the maximum.
Result<std::vector<Warning>> check_sending(soci::session& sql, const db::ContractBounds& bounds, const Order& order) {
  CANOPEE_TRY(check, check_against_maximum(bounds.basis, applied_maximum(sql, bounds),
                                           db::contract_consumed(sql, bounds.contract_id, bounds.basis),
                                           consumption(order, bounds.basis), warning_bp(sql)));
  std::vector<Warning> warnings;
  if (check.warning) warnings.push_back(near_warning(bounds, check));
  return warnings;
}

Result<PlacedOrder> place_in(soci::session& sql, const db::Actor& actor, const OrderRequest& request,
                             std::optional<std::int64_t> acting_member, Date today, std::string_view source) {
  CANOPEE_TRY(bounds, lock_contract(sql, request.contract_id, acting_member));
  if (!bounds.framework) {
    return Error::rule_broken(ErrorCode::conflict, "order.not_framework", "contract_id",
                              "Ce marché n’est pas un accord-cadre à bons de commande : il s’exécute sans commande.");
  }
  const Date day = request.ordered_on.value_or(today);
  if (day > today) return Error::invalid("ordered_on", "la date de commande est dans le futur", "order.date.future");
  CANOPEE_TRY_STATUS(check_order_period(applied_period(sql, bounds), day));
  Order order;
  order.contract_id = bounds.contract_id;
  order.tender_id = bounds.tender_id;
  order.lot_id = bounds.lot_id;
  order.member_id = bounds.member_id;
  order.ordered_on = day;
  order.delivery_place = request.delivery_place;
  order.delivery_date = request.delivery_date;
  const PriceInForce price = price_on(sql, bounds, day);
  const db::NeedCodes agreed = default_line_codes(sql, bounds.lot_id, bounds.member_id);
  const bool coded = std::any_of(request.lines.begin(), request.lines.end(),
                                 [](const OrderLineRequest& l) { return l.budget_nature || l.budget_analytic; });
  const auto member_codes = coded ? db::list_budget_codes(sql, bounds.member_id) : std::vector<BudgetCode>{};
  for (std::size_t i = 0; i < request.lines.size(); ++i) {
    const auto& line = request.lines[i];
    CANOPEE_TRY_STATUS(check_line_codes(member_codes, {line.budget_nature, line.budget_analytic},
                                        "lines[" + std::to_string(i) + "]."));
    order.lines.push_back({line.description,
                           line.quantity,
                           price.unit_price,
                           {},
                           {},
                           price.revision_id,
                           line.budget_nature ? line.budget_nature : agreed.nature,
                           line.budget_analytic ? line.budget_analytic : agreed.analytic});
  }
  CANOPEE_TRY_STATUS(validate_order(order));
  CANOPEE_TRY_STATUS(price_order(order));
  PlacedOrder placed;
  if (request.send) {
    CANOPEE_TRY(warnings, check_sending(sql, bounds, order));
    placed.warnings = std::move(warnings);
    order.status = OrderStatus::sent;
    order.sent_on = day;
  }
  db::insert_order(sql, order, source);
  db::write_audit(sql, actor, "order", order.id, "create", "", formats::to_json_text(order));
  placed.version = order.version;
  placed.order = std::move(order);
  return placed;
}

Result<Order> visible_order(soci::session& sql, std::int64_t order_id, std::optional<std::int64_t> member_scope) {
  auto order = db::load_order(sql, order_id);
  if (!order || (member_scope && *member_scope != order->member_id)) return order_not_found();
  return std::move(*order);
}

Result<LedgerView> ledger_in(soci::session& sql, const db::ContractBounds& bounds, Date today) {
  const auto orders = db::contract_orders(sql, bounds.contract_id);
  LedgerView view;
  view.ledger = contract_ledger(bounds.contract_id, bounds.basis, applied_maximum(sql, bounds), bounds.minimum,
                                applied_period(sql, bounds), orders, today);
  view.ledger.lot_id = bounds.lot_id;
  view.ledger.member_id = bounds.member_id;
  const PriceInForce price = price_on(sql, bounds, today);
  view.unit_price_in_force = price.unit_price;
  view.price_explanation = price.explanation;
  return view;
}

}  // namespace

Result<PlacedOrder> place_order(db::Database& database, const db::Actor& actor, const OrderRequest& request,
                                std::optional<std::int64_t> acting_member, Date today) {
  return db::in_transaction<PlacedOrder>(database, [&](soci::session& sql) {
    return place_in(sql, actor, request, acting_member, today, "web");
  });
}

Result<std::vector<PlacedOrder>> place_orders(db::Database& database, const db::Actor& actor,
                                              const std::vector<OrderRequest>& requests,
                                              std::optional<std::int64_t> acting_member, Date today,
                                              std::string_view source) {
  return db::in_transaction<std::vector<PlacedOrder>>(
      database, [&](soci::session& sql) -> Result<std::vector<PlacedOrder>> {
        std::vector<PlacedOrder> placed;
        for (std::size_t i = 0; i < requests.size(); ++i) {
          auto one = place_in(sql, actor, requests[i], acting_member, today, source);
          if (!one) {
            Error error = std::move(one).error();
            const std::string prefix = "orders[" + std::to_string(i) + "]";
            for (auto& f : error.fields) f.field = f.field.empty() ? prefix : prefix + "." + f.field;
            if (error.fields.empty()) error.fields.push_back({prefix, error.message, error.rule});
            return error;
          }
          placed.push_back(std::move(*one));
        }
        return placed;
      });
}

Result<PlacedOrder> step_order(db::Database& database, const db::Actor& actor, std::int64_t order_id,
                               std::optional<std::int64_t> version, const StepRequest& request,
                               std::optional<std::int64_t> acting_member, Date today) {
  return db::in_transaction<PlacedOrder>(database, [&](soci::session& sql) -> Result<PlacedOrder> {
    CANOPEE_TRY(read, visible_order(sql, order_id, acting_member));
    CANOPEE_TRY(bounds, lock_contract(sql, read.contract_id, std::nullopt));
    CANOPEE_TRY(order, visible_order(sql, order_id, acting_member));  // as it stands after the lock
    if (version && *version != order.version) return order_changed();
    Order after = order;
    PlacedOrder placed;
    switch (request.step) {
      case OrderStep::send: {
        CANOPEE_TRY_STATUS(check_send(order, request.on, today));
        CANOPEE_TRY_STATUS(check_order_period(applied_period(sql, bounds), request.on));
        CANOPEE_TRY(warnings, check_sending(sql, bounds, order));
        placed.warnings = std::move(warnings);
        after.status = OrderStatus::sent;
        after.sent_on = request.on;
        break;
      }
      case OrderStep::deliver: {
        CANOPEE_TRY(delivered, apply_delivery(order, request.delivered, request.on, today));
        after = std::move(delivered);
        break;
      }
      case OrderStep::invoice:
        CANOPEE_TRY_STATUS(check_invoice(order, request.on, request.invoiced_amount, request.text, today));
        after.status = OrderStatus::invoiced;
        after.invoiced_on = request.on;
        after.invoiced_amount = request.invoiced_amount;
        after.invoice_reference = request.text;
        break;
      case OrderStep::pay:
        CANOPEE_TRY_STATUS(check_payment(order, request.on, today));
        after.status = OrderStatus::paid;
        after.paid_on = request.on;
        break;
      case OrderStep::cancel:
        CANOPEE_TRY_STATUS(check_cancel(order, request.text, today));
        after.status = OrderStatus::cancelled;
        after.cancelled_on = today;
        after.cancel_reason = request.text;
        break;
    }
    if (!db::save_order_state(sql, after)) return order_changed();
    static constexpr std::array<std::string_view, 5> kActions{"send", "deliver", "invoice", "pay", "cancel"};
    db::write_audit(sql, actor, "order", order.id, kActions.at(static_cast<std::size_t>(request.step)),
                    formats::to_json_text(order), formats::to_json_text(after));
    ++after.version;
    placed.version = after.version;
    placed.order = std::move(after);
    return placed;
  });
}

Result<Order> order_of(db::Database& database, std::int64_t order_id, std::optional<std::int64_t> member_scope) {
  return db::with_connection<Order>(database,
                                    [&](soci::session& sql) { return visible_order(sql, order_id, member_scope); });
}

Result<db::PageOf<Order>> orders_page(db::Database& database, const db::OrderFilter& filter, const db::Page& page) {
  return db::in_snapshot<db::PageOf<Order>>(database, [&](soci::session& sql) -> Result<db::PageOf<Order>> {
    return db::list_orders(sql, filter, page);
  });
}

Result<LedgerView> contract_ledger_of(db::Database& database, std::int64_t contract_id,
                                      std::optional<std::int64_t> member_scope, Date today) {
  return db::in_snapshot<LedgerView>(database, [&](soci::session& sql) -> Result<LedgerView> {
    const auto bounds = db::contract_bounds(sql, contract_id);
    if (!bounds || (member_scope && *member_scope != bounds->member_id)) return contract_not_found();
    return ledger_in(sql, *bounds, today);
  });
}

Result<LotLedger> lot_ledger_of(db::Database& database, std::int64_t tender_id, std::int64_t lot_id,
                                std::optional<std::int64_t> member_scope, Date today) {
  return db::in_snapshot<LotLedger>(database, [&](soci::session& sql) -> Result<LotLedger> {
    const auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    const Lot* lot = find_lot(*tender, lot_id);
    if (lot == nullptr) return Error{ErrorCode::not_found, "lot introuvable", {}, "lot.not_found"};
    LotLedger out;
    out.tender_id = tender_id;
    out.lot_id = lot_id;
    out.basis = lot_maximum(*tender, *lot).basis;
    for (const auto& contract : db::lot_contracts(sql, lot_id)) {
      if (member_scope && *member_scope != contract.member_id) continue;
      const auto bounds = db::contract_bounds(sql, contract.id, *tender);
      if (!bounds) continue;
      CANOPEE_TRY(view, ledger_in(sql, *bounds, today));
      out.maximum += view.ledger.maximum;
      out.ordered += view.ledger.ordered;
      out.members.push_back(std::move(view));
    }
    return out;
  });
}

Result<OrderFormFacts> order_form_facts(db::Database& database, std::int64_t order_id,
                                        std::optional<std::int64_t> member_scope) {
  return db::in_snapshot<OrderFormFacts>(database, [&](soci::session& sql) -> Result<OrderFormFacts> {
    CANOPEE_TRY(order, visible_order(sql, order_id, member_scope));
    OrderFormFacts facts;
    const auto tender = db::load_tender(sql, order.tender_id);
    if (!tender) return db::tender_not_found();
    const Lot* lot = find_lot(*tender, order.lot_id);
    const auto contract = db::load_contract_dates(sql, order.contract_id);
    if (const auto member = db::load_member(sql, order.member_id)) facts.member_name = member->name;
    if (contract) {
      if (const auto supplier = db::load_supplier(sql, contract->supplier_id)) facts.supplier_name = supplier->name;
    }
    facts.tender_reference = tender->reference;
    facts.tender_title = tender->title;
    if (lot != nullptr) {
      facts.lot_number = lot->number;
      facts.lot_title = lot->title;
      facts.unit = lot->unit;
    }
    facts.order = std::move(order);
    return facts;
  });
}

}  // namespace canopee::usecases
