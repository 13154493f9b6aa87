#pragma once
// Storage of purchase orders and their lines (schema/0018_framework_orders.sql).
// Session-level functions for usecases/orders.cpp; they load and save.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/page.hpp"
#include "engine/orders.hpp"

namespace canopee::db {

struct OrderFilter {
  std::optional<std::int64_t> member_id;  // a buyer's own member
  std::optional<std::int64_t> contract_id;
  std::optional<std::int64_t> tender_id;
  std::optional<OrderStatus> status;
};

// Inserts the order and its lines, gives it its reference (BC-<year>-<id>) and id.
void insert_order(soci::session& sql, Order& order, std::string_view source);
std::optional<Order> load_order(soci::session& sql, std::int64_t order_id);
// Every order of a contract, oldest first.
std::vector<Order> contract_orders(soci::session& sql, std::int64_t contract_id);
// Every order of the contracts of a lot, oldest first.
std::vector<Order> lot_orders(soci::session& sql, std::int64_t lot_id);
// Newest first, a page; `Page` as elsewhere.
PageOf<Order> list_orders(soci::session& sql, const OrderFilter& filter, const Page& page);
// Saves the order's state, dates, invoice and delivered quantities on the version
// read; false when it changed meanwhile.
bool save_order_state(soci::session& sql, const Order& order);

// Every order line delivered, with its contract's member, lot, reference price and
// order dates, for the realised savings (sent orders only).
struct DeliveredLine {
  std::int64_t order_id = 0;
  std::int64_t member_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t tender_id = 0;
  std::string cpv;
  OrderStatus status = OrderStatus::sent;
  std::optional<Date> delivered_on;
  std::optional<Date> paid_on;
  OrderLine line;
  UnitPrice reference_unit_price;
};
std::vector<DeliveredLine> delivered_lines(soci::session& sql, std::optional<std::int64_t> member_id);

}  // namespace canopee::db
