#include "adapters/db/order_repository.hpp"

#include <cstdio>
#include <map>

#include "adapters/clock.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kInsertOrder =
    "INSERT INTO orders (reference, contract_id, status, ordered_on, sent_on, delivery_place, delivery_date, total, "
    "source, version, created_at) VALUES (:reference, :contract, :status, :ordered_on, :sent_on, :place, "
    ":delivery_date, :total, :source, 1, :now) RETURNING id";
constexpr std::string_view kSetOrderReference = "UPDATE orders SET reference = :reference WHERE id = :id";
constexpr std::string_view kInsertLine =
    "INSERT INTO order_lines (order_id, line_no, description, quantity, unit_price, amount, delivered, revision_id, "
    "budget_nature, budget_analytic) VALUES (:order_id, :line_no, :description, :quantity, :unit_price, :amount, 0, "
    ":revision, :nature, :analytic)";
// One row per line, the order's columns repeated; completed by one of the conditions below.
constexpr std::string_view kOrdersWithLines =
    "SELECT o.id, o.reference, o.contract_id, l.tender_id, c.lot_id, c.member_id, o.status, "
    "CAST(o.ordered_on AS TEXT), CAST(o.sent_on AS TEXT), CAST(o.delivered_on AS TEXT), "
    "CAST(o.invoiced_on AS TEXT), CAST(o.paid_on AS TEXT), CAST(o.cancelled_on AS TEXT), o.delivery_place, "
    "CAST(o.delivery_date AS TEXT), o.invoice_reference, o.invoiced_amount, o.cancel_reason, o.total, o.version, "
    "ol.line_no, ol.description, ol.quantity, ol.unit_price, ol.amount, ol.delivered, ol.revision_id, "
    "ol.budget_nature, ol.budget_analytic FROM orders o JOIN contracts c ON c.id = o.contract_id JOIN lots l ON l.id = c.lot_id "
    "JOIN order_lines ol ON ol.order_id = o.id WHERE ";
constexpr std::string_view kByOrder = "o.id = :id ORDER BY o.id, ol.line_no";
constexpr std::string_view kByContract = "o.contract_id = :id ORDER BY o.id, ol.line_no";
constexpr std::string_view kByLot = "c.lot_id = :id ORDER BY o.id, ol.line_no";
// A page: the filter, bound with 0 / '' for "any".
constexpr std::string_view kFilter =
    "(:member = 0 OR c.member_id = :member2) AND (:contract = 0 OR o.contract_id = :contract2) "
    "AND (:tender = 0 OR l.tender_id = :tender2) AND (:status = '' OR o.status = :status2)";
constexpr std::string_view kPageIds =
    "SELECT o.id FROM orders o JOIN contracts c ON c.id = o.contract_id JOIN lots l ON l.id = c.lot_id WHERE ";
constexpr std::string_view kPageIdsTail = " AND o.id < :before ORDER BY o.id DESC LIMIT :limit";
constexpr std::string_view kPageRange = " AND o.id BETWEEN :low AND :high ORDER BY o.id DESC, ol.line_no";
constexpr std::string_view kSaveOrderState =
    "UPDATE orders SET status = :status, sent_on = :sent_on, delivered_on = :delivered_on, invoiced_on = :invoiced_on, "
    "paid_on = :paid_on, cancelled_on = :cancelled_on, invoice_reference = :invoice_reference, "
    "invoiced_amount = :invoiced_amount, cancel_reason = :cancel_reason, version = version + 1 "
    "WHERE id = :id AND version = :version";
constexpr std::string_view kSaveDelivered =
    "UPDATE order_lines SET delivered = :delivered WHERE order_id = :order_id AND line_no = :line_no";
constexpr std::string_view kDeliveredLines =
    "SELECT o.id, c.member_id, c.lot_id, l.tender_id, l.cpv, o.status, CAST(o.delivered_on AS TEXT), "
    "CAST(o.paid_on AS TEXT), ol.description, ol.quantity, ol.unit_price, ol.amount, ol.delivered, "
    "ll.reference_unit_price FROM order_lines ol JOIN orders o ON o.id = ol.order_id "
    "JOIN contracts c ON c.id = o.contract_id JOIN lots l ON l.id = c.lot_id "
    "JOIN lot_lines ll ON ll.lot_id = c.lot_id AND ll.member_id = c.member_id "
    "WHERE ol.delivered > 0 AND o.status <> 'cancelled' AND (:member = 0 OR c.member_id = :member2) "
    "ORDER BY o.id, ol.line_no";

std::optional<Date> date_of(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok || text.empty()) return std::nullopt;
  return stored_date(text);
}

// Reads the rows of kOrdersWithLines (already bound) into orders, in row order.
std::vector<Order> read_orders(soci::statement& st, auto bind) {
  long long id = 0, contract = 0, tender = 0, lot = 0, member = 0, invoiced = 0, total = 0, version = 0, quantity = 0,
            price = 0, amount = 0, delivered = 0, revision = 0;
  int line_no = 0;
  std::string reference, status, ordered_on, sent_on, delivered_on, invoiced_on, paid_on, cancelled_on, place,
      delivery_date, invoice_reference, cancel_reason, description, nature, analytic;
  soci::indicator sent_ind, delivered_ind, invoiced_on_ind, paid_ind, cancelled_ind, delivery_ind, invoiced_ind,
      revision_ind, nature_ind, analytic_ind;
  st.exchange(soci::into(id));
  st.exchange(soci::into(reference));
  st.exchange(soci::into(contract));
  st.exchange(soci::into(tender));
  st.exchange(soci::into(lot));
  st.exchange(soci::into(member));
  st.exchange(soci::into(status));
  st.exchange(soci::into(ordered_on));
  st.exchange(soci::into(sent_on, sent_ind));
  st.exchange(soci::into(delivered_on, delivered_ind));
  st.exchange(soci::into(invoiced_on, invoiced_on_ind));
  st.exchange(soci::into(paid_on, paid_ind));
  st.exchange(soci::into(cancelled_on, cancelled_ind));
  st.exchange(soci::into(place));
  st.exchange(soci::into(delivery_date, delivery_ind));
  st.exchange(soci::into(invoice_reference));
  st.exchange(soci::into(invoiced, invoiced_ind));
  st.exchange(soci::into(cancel_reason));
  st.exchange(soci::into(total));
  st.exchange(soci::into(version));
  st.exchange(soci::into(line_no));
  st.exchange(soci::into(description));
  st.exchange(soci::into(quantity));
  st.exchange(soci::into(price));
  st.exchange(soci::into(amount));
  st.exchange(soci::into(delivered));
  st.exchange(soci::into(revision, revision_ind));
  st.exchange(soci::into(nature, nature_ind));
  st.exchange(soci::into(analytic, analytic_ind));
  bind(st);
  st.define_and_bind();
  st.execute();
  std::vector<Order> orders;
  while (st.fetch()) {
    if (orders.empty() || orders.back().id != id) {
      Order o;
      o.id = id;
      o.reference = reference;
      o.contract_id = contract;
      o.tender_id = tender;
      o.lot_id = lot;
      o.member_id = member;
      o.status = parse_order_status(status, "status").value();
      o.ordered_on = stored_date(ordered_on);
      o.sent_on = date_of(sent_on, sent_ind);
      o.delivered_on = date_of(delivered_on, delivered_ind);
      o.invoiced_on = date_of(invoiced_on, invoiced_on_ind);
      o.paid_on = date_of(paid_on, paid_ind);
      o.cancelled_on = date_of(cancelled_on, cancelled_ind);
      o.delivery_place = place;
      o.delivery_date = date_of(delivery_date, delivery_ind);
      o.invoice_reference = invoice_reference;
      if (invoiced_ind == soci::i_ok) o.invoiced_amount = Amount{invoiced};
      o.cancel_reason = cancel_reason;
      o.total = Amount{total};
      o.version = version;
      orders.push_back(std::move(o));
    }
    OrderLine line{description, Quantity{quantity}, UnitPrice{price}, Amount{amount}, Quantity{delivered}, {}, {}, {}};
    if (revision_ind == soci::i_ok) line.revision_id = revision;
    if (nature_ind == soci::i_ok) line.budget_nature = nature;
    if (analytic_ind == soci::i_ok) line.budget_analytic = analytic;
    orders.back().lines.push_back(std::move(line));
  }
  return orders;
}

std::vector<Order> orders_where(soci::session& sql, std::string_view condition, std::int64_t key) {
  long long id = key;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kOrdersWithLines) + std::string(condition));
  return read_orders(st, [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
}

struct FilterBinds {
  long long member = 0, contract = 0, tender = 0;
  std::string status;
  explicit FilterBinds(const OrderFilter& f)
      : member(f.member_id.value_or(0)),
        contract(f.contract_id.value_or(0)),
        tender(f.tender_id.value_or(0)),
        status(f.status ? std::string(to_string(*f.status)) : std::string()) {}
  void bind(soci::statement& st) {
    st.exchange(soci::use(member, "member"));
    st.exchange(soci::use(member, "member2"));
    st.exchange(soci::use(contract, "contract"));
    st.exchange(soci::use(contract, "contract2"));
    st.exchange(soci::use(tender, "tender"));
    st.exchange(soci::use(tender, "tender2"));
    st.exchange(soci::use(status, "status"));
    st.exchange(soci::use(status, "status2"));
  }
};

}  // namespace

void insert_order(soci::session& sql, Order& order, std::string_view source) {
  const std::string now = utc_timestamp_now();
  const std::string pending = "pending-" + now + "-" + std::to_string(order.contract_id);
  const std::string status(to_string(order.status)),
      ordered_on = to_string(order.ordered_on), sent_on = order.sent_on ? to_string(*order.sent_on) : std::string(),
      delivery = order.delivery_date ? to_string(*order.delivery_date) : std::string(), from(source);
  soci::indicator sent_ind = order.sent_on ? soci::i_ok : soci::i_null;
  soci::indicator delivery_ind = order.delivery_date ? soci::i_ok : soci::i_null;
  long long contract = order.contract_id, total = order.total.cents, id = 0;
  sql << kInsertOrder, soci::use(pending), soci::use(contract), soci::use(status), soci::use(ordered_on),
      soci::use(sent_on, sent_ind), soci::use(order.delivery_place), soci::use(delivery, delivery_ind),
      soci::use(total), soci::use(from), soci::use(now), soci::into(id);
  char reference[40];
  std::snprintf(reference, sizeof reference, "BC-%d-%05lld", to_civil(order.ordered_on).year, id);
  order.id = id;
  order.reference = reference;
  sql << kSetOrderReference, soci::use(order.reference), soci::use(id);
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    const auto& line = order.lines[i];
    int line_no = static_cast<int>(i) + 1;
    long long quantity = line.quantity.thousandths, price = line.unit_price.ten_thousandths, amount = line.amount.cents,
              revision = line.revision_id.value_or(0);
    soci::indicator revision_ind = line.revision_id ? soci::i_ok : soci::i_null;
    const std::string nature = line.budget_nature.value_or(""), analytic = line.budget_analytic.value_or("");
    soci::indicator nature_ind = line.budget_nature ? soci::i_ok : soci::i_null;
    soci::indicator analytic_ind = line.budget_analytic ? soci::i_ok : soci::i_null;
    sql << kInsertLine, soci::use(id), soci::use(line_no), soci::use(line.description), soci::use(quantity),
        soci::use(price), soci::use(amount), soci::use(revision, revision_ind), soci::use(nature, nature_ind),
        soci::use(analytic, analytic_ind);
  }
  order.version = 1;
}

std::optional<Order> load_order(soci::session& sql, std::int64_t order_id) {
  auto orders = orders_where(sql, kByOrder, order_id);
  if (orders.empty()) return std::nullopt;
  return std::move(orders.front());
}

std::vector<Order> contract_orders(soci::session& sql, std::int64_t contract_id) {
  return orders_where(sql, kByContract, contract_id);
}

std::vector<Order> lot_orders(soci::session& sql, std::int64_t lot_id) { return orders_where(sql, kByLot, lot_id); }

PageOf<Order> list_orders(soci::session& sql, const OrderFilter& filter, const Page& page) {
  FilterBinds binds(filter);
  long long before = page.before_id.value_or(INT64_MAX), limit = static_cast<long long>(page.limit) + 1;
  std::vector<long long> ids;
  {
    long long id = 0;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kPageIds) + std::string(kFilter) + std::string(kPageIdsTail));
    st.exchange(soci::into(id));
    binds.bind(st);
    st.exchange(soci::use(before, "before"));
    st.exchange(soci::use(limit, "limit"));
    st.define_and_bind();
    st.execute();
    while (st.fetch()) ids.push_back(id);
  }
  PageOf<Order> out;
  if (ids.size() > page.limit) {
    ids.resize(page.limit);
    out.next_before_id = ids.back();
  }
  if (ids.empty()) return out;
  long long low = ids.back(), high = ids.front();
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kOrdersWithLines) + std::string(kFilter) + std::string(kPageRange));
  out.items = read_orders(st, [&](soci::statement& s) {
    binds.bind(s);
    s.exchange(soci::use(low, "low"));
    s.exchange(soci::use(high, "high"));
  });
  return out;
}

bool save_order_state(soci::session& sql, const Order& order) {
  const auto text = [](const std::optional<Date>& d) { return d ? to_string(*d) : std::string(); };
  const auto ind = [](const auto& v) { return v ? soci::i_ok : soci::i_null; };
  const std::string status(to_string(order.status)), sent = text(order.sent_on), delivered = text(order.delivered_on),
                                                     invoiced_on = text(order.invoiced_on), paid = text(order.paid_on),
                                                     cancelled = text(order.cancelled_on);
  soci::indicator sent_ind = ind(order.sent_on), delivered_ind = ind(order.delivered_on),
                  invoiced_on_ind = ind(order.invoiced_on), paid_ind = ind(order.paid_on),
                  cancelled_ind = ind(order.cancelled_on), invoiced_ind = ind(order.invoiced_amount);
  long long invoiced = order.invoiced_amount ? order.invoiced_amount->cents : 0, id = order.id, version = order.version;
  soci::statement st = (sql.prepare << kSaveOrderState, soci::use(status), soci::use(sent, sent_ind),
                        soci::use(delivered, delivered_ind), soci::use(invoiced_on, invoiced_on_ind),
                        soci::use(paid, paid_ind), soci::use(cancelled, cancelled_ind),
                        soci::use(order.invoice_reference), soci::use(invoiced, invoiced_ind),
                        soci::use(order.cancel_reason), soci::use(id), soci::use(version));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    long long delivered_q = order.lines[i].delivered.thousandths;
    int line_no = static_cast<int>(i) + 1;
    sql << kSaveDelivered, soci::use(delivered_q), soci::use(id), soci::use(line_no);
  }
  return true;
}

std::vector<DeliveredLine> delivered_lines(soci::session& sql, std::optional<std::int64_t> member_id) {
  long long member = member_id.value_or(0), order_id = 0, member_of = 0, lot = 0, tender = 0, quantity = 0, price = 0,
            amount = 0, delivered = 0, reference = 0;
  std::string cpv, status, delivered_on, paid_on, description;
  soci::indicator delivered_ind, paid_ind;
  soci::statement st = (sql.prepare << kDeliveredLines, soci::use(member, "member"), soci::use(member, "member2"),
                        soci::into(order_id), soci::into(member_of), soci::into(lot), soci::into(tender),
                        soci::into(cpv), soci::into(status), soci::into(delivered_on, delivered_ind),
                        soci::into(paid_on, paid_ind), soci::into(description), soci::into(quantity), soci::into(price),
                        soci::into(amount), soci::into(delivered), soci::into(reference));
  st.execute();
  std::vector<DeliveredLine> lines;
  while (st.fetch()) {
    DeliveredLine d;
    d.order_id = order_id;
    d.member_id = member_of;
    d.lot_id = lot;
    d.tender_id = tender;
    d.cpv = cpv;
    d.status = parse_order_status(status, "status").value();
    d.delivered_on = date_of(delivered_on, delivered_ind);
    d.paid_on = date_of(paid_on, paid_ind);
    d.line = OrderLine{description, Quantity{quantity}, UnitPrice{price}, Amount{amount}, Quantity{delivered}, {}, {},
                       {}};
    d.reference_unit_price = UnitPrice{reference};
    lines.push_back(std::move(d));
  }
  return lines;
}

}  // namespace canopee::db
