// Purchase orders under framework agreements and the ledgers of their maxima
// (usecases/orders.hpp): POST/GET /v1/orders, the steps of an order, its form as a
// PDF, GET /v1/contracts/{id}/ledger and GET /v1/tenders/{id}/lots/{lot}/ledger.
#include <boost/json.hpp>

#include "adapters/formats/json_mapping.hpp"
#include "adapters/formats/pdf_document.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "engine/budget.hpp"
#include "engine/order_form.hpp"
#include "usecases/orders.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::value placed_json(const usecases::PlacedOrder& placed) {
  bj::value out = formats::to_json(placed.order);
  bj::array warnings;
  for (const auto& w : placed.warnings) warnings.push_back(bj::object{{"code", w.code}, {"message", w.message}});
  out.as_object()["warnings"] = std::move(warnings);
  return out;
}

bj::value ledger_json(const usecases::LedgerView& view) {
  const auto& l = view.ledger;
  bj::array months;
  for (const auto& m : l.months) {
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02u", m.year, m.month);
    months.push_back(bj::object{{"month", month},
                                {"ordered", to_string(m.ordered)},
                                {"delivered", to_string(m.delivered)},
                                {"invoiced", to_string(m.invoiced)},
                                {"paid", to_string(m.paid)}});
  }
  const std::int64_t share = l.maximum > 0
                                 ? static_cast<std::int64_t>(
                                       divide_round_half_away(static_cast<int128>(l.ordered) * 10'000, l.maximum))
                                 : 0;
  return bj::object{{"contract_id", l.contract_id},
                    {"lot_id", l.lot_id},
                    {"member_id", l.member_id},
                    {"basis", to_string(l.basis)},
                    {"maximum", to_string(l.basis, l.maximum)},
                    {"minimum", l.minimum ? bj::value(to_string(l.basis, *l.minimum)) : bj::value(nullptr)},
                    {"ordered", to_string(l.basis, l.ordered)},
                    {"remaining", to_string(l.basis, l.remaining)},
                    {"minimum_due", to_string(l.basis, l.minimum_due)},
                    {"share_ordered_bp", share},
                    {"ordered_value", to_string(l.ordered_value)},
                    {"delivered_value", to_string(l.delivered_value)},
                    {"invoiced_value", to_string(l.invoiced_value)},
                    {"paid_value", to_string(l.paid_value)},
                    {"ordered_quantity", to_string(l.ordered_quantity)},
                    {"delivered_quantity", to_string(l.delivered_quantity)},
                    {"orders", l.orders},
                    {"months", std::move(months)},
                    {"start", date_or_null(l.start)},
                    {"end", date_or_null(l.end)},
                    {"projected_exhaustion", date_or_null(l.projected_exhaustion)},
                    {"exhausts_before_end", l.exhausts_before_end},
                    {"unit_price_in_force", to_string(view.unit_price_in_force)},
                    {"price_explanation", view.price_explanation}};
}

std::optional<Date> read_date(JsonInput& in, const char* field, bool required) {
  if (auto text = in.text(field, required, 10)) return in.take(parse_date(*text, in.name(field)));
  return std::nullopt;
}

// The body of POST /v1/orders.
usecases::OrderRequest read_order(JsonInput& in) {
  usecases::OrderRequest request;
  if (auto id = in.integer("contract_id", true, 1, INT64_MAX)) request.contract_id = *id;
  if (auto place = in.text("delivery_place", true, 2000)) request.delivery_place = *place;
  request.delivery_date = read_date(in, "delivery_date", false);
  if (auto send = in.boolean("send", false)) request.send = *send;
  const auto* lines = in.raw("lines");
  if (lines == nullptr || !lines->is_array() || lines->as_array().empty()) {
    in.fail("lines", "doit être une liste non vide de {description, quantity}", "input.not_list");
    return request;
  }
  if (lines->as_array().size() > kMaxOrderLines) {
    in.fail("lines", "au plus " + std::to_string(kMaxOrderLines) + " lignes", "order.lines.count");
    return request;
  }
  for (std::size_t i = 0; i < lines->as_array().size(); ++i) {
    const std::string at = "lines[" + std::to_string(i) + "]";
    auto item = JsonInput::from(lines->as_array()[i], {"description", "quantity", "budget_nature", "budget_analytic"},
                                at + ".");
    if (!item) {
      in.fail(at, "doit être un objet", "input.not_object");
      continue;
    }
    usecases::OrderLineRequest line;
    if (auto d = item->text("description", false, 2000)) line.description = *d;
    if (auto q = item->decimal("quantity", true)) {
      if (auto parsed = item->take(parse_quantity(*q, item->name("quantity")))) line.quantity = *parsed;
    }
    if (auto n = item->text("budget_nature", false, kMaxBudgetCodeLength)) line.budget_nature = *n;
    if (auto a = item->text("budget_analytic", false, kMaxBudgetCodeLength)) line.budget_analytic = *a;
    for (auto& e : item->errors()) in.errors().push_back(e);
    request.lines.push_back(std::move(line));
  }
  return request;
}

// One step of an order: POST /v1/orders/{id}/<step>.
Response order_step(RequestContext& c, usecases::OrderStep step) {
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  CANOPEE_TRY_RESPOND(expected, if_match(c));
  usecases::StepRequest request;
  request.step = step;
  request.on = c.services.today();
  using S = usecases::OrderStep;
  Result<JsonInput> parsed = Error{};
  switch (step) {
    case S::send: parsed = JsonInput::parse(c.request.body(), {"sent_on"}); break;
    case S::deliver: parsed = JsonInput::parse(c.request.body(), {"delivered_on", "lines"}); break;
    case S::invoice: parsed = JsonInput::parse(c.request.body(), {"invoiced_on", "amount", "invoice_reference"}); break;
    case S::pay: parsed = JsonInput::parse(c.request.body(), {"paid_on"}); break;
    case S::cancel: parsed = JsonInput::parse(c.request.body(), {"reason"}); break;
  }
  CANOPEE_TRY_RESPOND(in, std::move(parsed));
  switch (step) {
    case S::send:
      if (auto on = read_date(in, "sent_on", false)) request.on = *on;
      break;
    case S::deliver: {
      if (auto on = read_date(in, "delivered_on", true)) request.on = *on;
      const auto* lines = in.raw("lines");
      if (lines == nullptr || !lines->is_array() || lines->as_array().empty()) {
        in.fail("lines", "une quantité livrée par ligne du bon, dans l’ordre", "input.not_list");
        break;
      }
      for (std::size_t i = 0; i < lines->as_array().size() && i <= kMaxOrderLines; ++i) {
        const auto& v = lines->as_array()[i];
        const std::string at = "lines[" + std::to_string(i) + "]";
        if (!v.is_string()) {
          in.fail(at, "une quantité en texte décimal, « 12.5 »", "input.not_decimal");
          continue;
        }
        if (auto q = in.take(parse_quantity(std::string(v.as_string()), at))) request.delivered.push_back(*q);
      }
      break;
    }
    case S::invoice: {
      if (auto on = read_date(in, "invoiced_on", true)) request.on = *on;
      if (auto a = in.decimal("amount", true)) {
        if (auto amount = in.take(parse_amount(*a, "amount"))) request.invoiced_amount = *amount;
      }
      if (auto ref = in.text("invoice_reference", true, 2000)) request.text = *ref;
      break;
    }
    case S::pay:
      if (auto on = read_date(in, "paid_on", true)) request.on = *on;
      break;
    case S::cancel:
      if (auto reason = in.text("reason", true, 16000)) request.text = *reason;
      break;
  }
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  return versioned(usecases::step_order(c.services.database, c.actor, id, expected, request, member_scope(c),
                                        c.services.today()),
                   placed_json);
}

formats::Table orders_table(const std::vector<Order>& orders) {
  formats::Table table;
  table.title = "Bons de commande";
  using K = formats::CellKind;
  table.columns = {{"Référence", K::text},
                   {"Marché", K::integer},
                   {"Lot", K::integer},
                   {"Membre", K::integer},
                   {"État", K::text},
                   {"Commandé le", K::text},
                   {"Envoyé le", K::text},
                   {"Livré le", K::text},
                   {"Facturé le", K::text},
                   {"Payé le", K::text},
                   {"Lieu de livraison", K::text},
                   {"Montant HT", K::money},
                   {"Facturé HT", K::money}};
  const auto date = [](const std::optional<Date>& d) { return d ? to_string(*d) : std::string(); };
  Amount total, invoiced;
  for (const auto& o : orders) {
    table.rows.push_back({o.reference, o.contract_id, o.lot_id, o.member_id, std::string(french_label(o.status)),
                          to_string(o.ordered_on), date(o.sent_on), date(o.delivered_on), date(o.invoiced_on),
                          date(o.paid_on), o.delivery_place, o.total.cents,
                          o.invoiced_amount ? o.invoiced_amount->cents : std::int64_t{0}});
    if (o.status != OrderStatus::cancelled) total += o.total;
    if (o.invoiced_amount) invoiced += *o.invoiced_amount;
  }
  table.totals.push_back({std::string("Total (hors annulés)"), std::string(), std::string(), std::string(),
                          std::string(), std::string(), std::string(), std::string(), std::string(), std::string(),
                          std::string(), total.cents, invoiced.cents});
  table.notes = {{"Montants", "Hors taxes (HT), en euros, au prix du marché en vigueur le jour de la commande."},
                 {"Maximum", "Une commande compte dans le maximum du membre dès son envoi (R2162-4)."}};
  return table;
}

Result<db::OrderFilter> order_filter(RequestContext& c) {
  db::OrderFilter filter;
  filter.member_id = member_scope(c);
  std::vector<FieldError> errors;
  const auto id_param = [&](const char* name, std::optional<std::int64_t>& into) {
    auto text = query_param(c, name);
    if (!text) {
      errors.push_back({name, "paramètre répété", "query.repeated"});
    } else if (*text) {
      into = parse_integer(**text);
      if (!into || *into < 1) errors.push_back({name, "un identifiant", "query.not_integer"});
    }
  };
  id_param("contract_id", filter.contract_id);
  id_param("tender_id", filter.tender_id);
  std::optional<std::int64_t> member;
  id_param("member_id", member);
  if (member) {
    if (filter.member_id && *filter.member_id != *member) filter.contract_id = -1;  // nothing of another member
    else filter.member_id = member;
  }
  if (auto status = query_param(c, "status"); status && *status) {
    if (auto s = parse_order_status(**status, "status")) filter.status = *s;
    else errors.push_back({"status", "état inconnu", "value.unknown"});
  }
  if (!errors.empty()) return Error{ErrorCode::invalid, "paramètres invalides", std::move(errors), "query.invalid"};
  return filter;
}

}  // namespace

void add_order_routes(Router& router) {
  router.add(http::verb::post, "/v1/orders", {Role::buyer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(),
                                             {"contract_id", "delivery_place", "delivery_date", "lines", "send"}));
    const auto request = read_order(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return versioned(usecases::place_order(c.services.database, c.actor, request, member_scope(c), c.services.today()),
                     placed_json, http::status::created);
  });

  router.add(http::verb::get, "/v1/orders", {Role::buyer, Role::officer, Role::finance}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(
        allowed_query(c, {"contract_id", "tender_id", "member_id", "status", "limit", "cursor", "csv"}));
    auto format = negotiate(c);
    if (!format) return not_acceptable();
    CANOPEE_TRY_RESPOND(filter, order_filter(c));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    if (*format != Format::json) {
      // A download holds every order the filters select, not one page.
      page.limit = db::kMaxPageSize;
      std::vector<Order> all;
      for (;;) {
        CANOPEE_TRY_RESPOND(part, usecases::orders_page(c.read_database(), filter, page));
        for (auto& o : part.items) all.push_back(std::move(o));
        if (!part.next_before_id) break;
        page.before_id = part.next_before_id;
      }
      return table_response(c, orders_table(all), *format, "bons-de-commande");
    }
    return page_response(usecases::orders_page(c.read_database(), filter, page),
                         [](const Order& o) { return formats::to_json(o); });
  });

  router.add(http::verb::get, "/v1/orders/{id}", {Role::buyer, Role::officer, Role::finance}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return versioned(usecases::order_of(c.read_database(), id, member_scope(c)),
                     [](const Order& o) { return formats::to_json(o); });
  });

  router.add(http::verb::get, "/v1/orders/{id}/form", {Role::buyer, Role::officer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
               CANOPEE_TRY_RESPOND(facts, usecases::order_form_facts(c.services.database, id, member_scope(c)));
               Response response{http::status::ok, 11};
               response.set(http::field::content_type, "application/pdf");
               response.set(http::field::content_disposition,
                            "attachment; filename=\"" + facts.order.reference + ".pdf\"");
               response.set(http::field::cache_control, "private, no-store");
               response.body() = formats::render_pdf(order_form(facts));
               response.prepare_payload();
               return response;
             });

  using S = usecases::OrderStep;
  router.add(http::verb::post, "/v1/orders/{id}/send", {Role::buyer},
             [](RequestContext& c) { return order_step(c, S::send); });
  router.add(http::verb::post, "/v1/orders/{id}/delivery", {Role::buyer},
             [](RequestContext& c) { return order_step(c, S::deliver); });
  router.add(http::verb::post, "/v1/orders/{id}/invoice", {Role::buyer, Role::finance},
             [](RequestContext& c) { return order_step(c, S::invoice); });
  router.add(http::verb::post, "/v1/orders/{id}/payment", {Role::buyer, Role::finance},
             [](RequestContext& c) { return order_step(c, S::pay); });
  router.add(http::verb::post, "/v1/orders/{id}/cancel", {Role::buyer},
             [](RequestContext& c) { return order_step(c, S::cancel); });

  router.add(http::verb::get, "/v1/contracts/{id}/ledger", {Role::buyer, Role::officer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
               return respond(usecases::contract_ledger_of(c.services.database, id, member_scope(c),
                                                           c.services.today()),
                              ledger_json);
             });

  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/ledger", {Role::buyer, Role::officer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(tender, visible_tender(c));
               CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
               return respond(usecases::lot_ledger_of(c.services.database, tender.id, lot->id, member_scope(c),
                                                      c.services.today()),
                              [](const usecases::LotLedger& l) {
                                bj::array members;
                                for (const auto& m : l.members) members.push_back(ledger_json(m));
                                return bj::object{{"tender_id", l.tender_id},
                                                  {"lot_id", l.lot_id},
                                                  {"basis", to_string(l.basis)},
                                                  {"maximum", to_string(l.basis, l.maximum)},
                                                  {"ordered", to_string(l.basis, l.ordered)},
                                                  {"members", std::move(members)}};
                              });
             });
}

}  // namespace canopee::api
