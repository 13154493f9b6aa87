#include "engine/orders.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "engine/enum_names.hpp"
#include "engine/need.hpp"
#include "engine/text.hpp"

namespace canopee {
namespace {

constexpr auto kStatusNames = enum_names<OrderStatus>("draft", "sent", "partially_delivered", "delivered", "invoiced",
                                                      "paid", "cancelled");
constexpr auto kStatusLabels = enum_names<OrderStatus>("brouillon", "envoyé", "livré en partie", "livré", "facturé",
                                                       "payé", "annulé");

Error transition_error(const Order& order, std::string_view step) {
  return Error::rule_broken(ErrorCode::conflict, "order.transition", "status",
                            "Le bon de commande est « " + std::string(french_label(order.status)) +
                                " » : il ne peut pas être " + std::string(step) + ".");
}

Status check_day(std::optional<Date> previous, Date day, Date today, std::string_view field,
                 std::string_view previous_label) {
  if (day > today)
    return Error::invalid(std::string(field), "la date " + to_french(day) + " est dans le futur", "order.date.future");
  if (previous && day < *previous) {
    return Error::invalid(std::string(field),
                          "la date " + to_french(day) + " précède " + std::string(previous_label) + " (" +
                              to_french(*previous) + ")",
                          "order.date.before_previous");
  }
  return ok_status();
}

std::string grouped(std::string digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00a0";
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string_view to_string(OrderStatus status) { return kStatusNames(status); }
Result<OrderStatus> parse_order_status(std::string_view text, std::string_view field) {
  return parse_value(kStatusNames, text, field);
}
std::string_view french_label(OrderStatus status) { return kStatusLabels(status); }

bool consumes_maximum(OrderStatus status) { return status != OrderStatus::draft && status != OrderStatus::cancelled; }

std::int64_t consumption(const Order& order, MaximumBasis basis) {
  if (basis == MaximumBasis::value) return order.total.cents;
  std::int64_t quantity = 0;
  for (const auto& line : order.lines) quantity += line.quantity.thousandths;
  return quantity;
}

Status validate_order(const Order& order) {
  std::vector<FieldError> errors;
  if (order.lines.empty() || order.lines.size() > kMaxOrderLines) {
    errors.push_back({"lines", "un bon de commande compte de 1 à " + std::to_string(kMaxOrderLines) + " lignes",
                      "order.lines.count"});
  }
  for (std::size_t i = 0; i < order.lines.size() && i < kMaxOrderLines; ++i) {
    const auto& line = order.lines[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    if (line.quantity.thousandths <= 0 || line.quantity.thousandths > kMaxQuantity)
      errors.push_back({at + ".quantity", "la quantité est positive", "order.quantity.range"});
    const auto length = text_length(line.description, false);
    if (!length || *length > kMaxOrderText) {
      errors.push_back({at + ".description",
                        "un texte d’au plus " + std::to_string(kMaxOrderText) + " caractères, sur une ligne",
                        "order.text.invalid"});
    }
  }
  const auto place = text_length(order.delivery_place, true);
  if (!place || *place > kMaxOrderText || word_characters(order.delivery_place) == 0) {
    errors.push_back({"delivery_place",
                      "le lieu de livraison est requis (au plus " + std::to_string(kMaxOrderText) + " caractères)",
                      "order.delivery_place.invalid"});
  }
  if (order.delivery_date && *order.delivery_date < order.ordered_on) {
    errors.push_back(
        {"delivery_date", "la livraison demandée précède la commande", "order.delivery_date.before_order"});
  }
  if (errors.empty()) return ok_status();
  Error error{ErrorCode::invalid, "bon de commande invalide", std::move(errors), "order.invalid"};
  if (error.fields.size() == 1) {
    error.message = error.fields.front().field + " : " + error.fields.front().message;
    error.rule = error.fields.front().code;
  }
  return error;
}

std::optional<Date> ContractPeriod::end() const {
  if (!notified_on) return std::nullopt;
  return add_days(add_months(*notified_on, months), -1);
}

Status check_order_period(const ContractPeriod& period, Date day) {
  if (!period.notified_on) {
    return Error::rule_broken(ErrorCode::conflict, "order.contract_not_in_force", "contract_id",
                              "Le marché n’est pas encore notifié : il ne prend effet qu’à sa notification (R2182-4), "
                              "aucune commande avant.");
  }
  if (day < *period.notified_on) {
    return Error::rule_broken(ErrorCode::conflict, "order.contract_not_in_force", "ordered_on",
                              "Le marché prend effet le " + to_french(*period.notified_on) +
                                  " (notification, R2182-4) : aucune commande avant.");
  }
  if (day > *period.end()) {
    return Error::rule_broken(ErrorCode::conflict, "order.contract_ended", "ordered_on",
                              "Le marché a pris fin le " + to_french(*period.end()) +
                                  " (durée et reconductions comprises) : plus de commande.");
  }
  return ok_status();
}

std::string french_in_basis(MaximumBasis basis, std::int64_t figure) {
  if (basis == MaximumBasis::value) return to_french_euros(Amount{figure});
  std::string text = to_string(Quantity{figure});
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.erase(0, 1);
  const auto dot = text.find('.');
  std::string out = grouped(text.substr(0, dot));
  if (dot != std::string::npos) out += "," + text.substr(dot + 1);
  return (negative ? "-" : "") + out;
}

Result<MaximumCheck> check_against_maximum(MaximumBasis basis, std::int64_t maximum, std::int64_t consumed_before,
                                           std::int64_t order, std::int64_t warning_bp) {
  MaximumCheck check{maximum, consumed_before, order, maximum - consumed_before - order, false};
  if (consumed_before + order > maximum) {
    const std::int64_t remaining = std::max<std::int64_t>(maximum - consumed_before, 0);
    Error error{ErrorCode::conflict,
                "Cette commande (" + french_in_basis(basis, order) + ") dépasse le maximum restant du membre : " +
                    french_in_basis(basis, remaining) + " sur " + french_in_basis(basis, maximum) + " (déjà commandé " +
                    french_in_basis(basis, consumed_before) + "). Les commandes s’arrêtent au maximum (R2162-4).",
                {},
                "order.maximum_exceeded"};
    error.fields.push_back({"maximum", std::to_string(maximum), "order.maximum_exceeded"});
    error.fields.push_back({"ordered", std::to_string(consumed_before), "order.maximum_exceeded"});
    error.fields.push_back({"remaining", std::to_string(remaining), "order.maximum_exceeded"});
    error.fields.push_back({"order", std::to_string(order), "order.maximum_exceeded"});
    return error;
  }
  const int128 reached = static_cast<int128>(consumed_before + order) * 10'000;
  check.warning = maximum > 0 && reached >= static_cast<int128>(maximum) * warning_bp;
  return check;
}

Status check_send(const Order& order, Date sent_on, Date today) {
  if (order.status != OrderStatus::draft) return transition_error(order, "envoyé");
  return check_day(order.ordered_on, sent_on, today, "sent_on", "la commande");
}

Result<Order> apply_delivery(const Order& order, std::span<const Quantity> delivered_now, Date delivered_on,
                             Date today) {
  if (order.status != OrderStatus::sent && order.status != OrderStatus::partially_delivered)
    return transition_error(order, "livré");
  CANOPEE_TRY_STATUS(check_day(order.delivered_on ? order.delivered_on : order.sent_on, delivered_on, today,
                               "delivered_on", "l’envoi ou la livraison précédente"));
  if (delivered_now.size() != order.lines.size()) {
    return Error::invalid("lines", "une quantité livrée par ligne du bon (" + std::to_string(order.lines.size()) + ")",
                          "order.delivery.lines");
  }
  Order after = order;
  std::vector<FieldError> errors;
  bool any = false;
  for (std::size_t i = 0; i < after.lines.size(); ++i) {
    auto& line = after.lines[i];
    const Quantity now = delivered_now[i];
    if (now.thousandths < 0) {
      errors.push_back(
          {"lines[" + std::to_string(i) + "]", "une quantité livrée est positive ou nulle", "order.delivery.negative"});
      continue;
    }
    if (line.delivered.thousandths + now.thousandths > line.quantity.thousandths) {
      errors.push_back({"lines[" + std::to_string(i) + "]",
                        "livré au-delà de la quantité commandée (" + to_string(line.quantity) + ")",
                        "order.delivery.beyond_ordered"});
      continue;
    }
    any = any || now.thousandths > 0;
    line.delivered += now;
  }
  if (errors.empty() && !any) errors.push_back({"lines", "aucune quantité livrée", "order.delivery.nothing"});
  if (!errors.empty()) {
    Error error{ErrorCode::invalid, "livraison invalide", std::move(errors), "order.delivery.invalid"};
    if (error.fields.size() == 1) {
      error.message = error.fields.front().message;
      error.rule = error.fields.front().code;
    }
    return error;
  }
  const bool whole = std::all_of(after.lines.begin(), after.lines.end(),
                                 [](const OrderLine& line) { return line.delivered == line.quantity; });
  after.status = whole ? OrderStatus::delivered : OrderStatus::partially_delivered;
  after.delivered_on = delivered_on;
  return after;
}

Status check_invoice(const Order& order, Date invoiced_on, Amount amount, std::string_view reference, Date today) {
  if (order.status != OrderStatus::delivered && order.status != OrderStatus::partially_delivered)
    return transition_error(order, "facturé");
  CANOPEE_TRY_STATUS(check_day(order.delivered_on, invoiced_on, today, "invoiced_on", "la livraison"));
  if (amount.cents <= 0 || amount.cents > kMaxAmount)
    return Error::invalid("amount", "le montant facturé est positif", "order.invoice.amount");
  const auto length = text_length(reference, false);
  if (!length || *length > kMaxOrderText || word_characters(reference) == 0)
    return Error::invalid("invoice_reference", "la référence de la facture est requise", "order.invoice.reference");
  return ok_status();
}

Status check_payment(const Order& order, Date paid_on, Date today) {
  if (order.status != OrderStatus::invoiced) return transition_error(order, "payé");
  return check_day(order.invoiced_on, paid_on, today, "paid_on", "la facture");
}

Status check_cancel(const Order& order, std::string_view reason, Date /*today*/) {
  if (order.status != OrderStatus::draft && order.status != OrderStatus::sent) return transition_error(order, "annulé");
  const auto length = text_length(reason, true);
  if (!length || *length > kMaxJustificationLength || word_characters(reason) < kMinReasonCharacters) {
    return Error::invalid("reason", "dire pourquoi la commande est annulée (au moins 10 lettres ou chiffres)",
                          "order.cancel.reason_required");
  }
  return ok_status();
}

Status price_order(Order& order) {
  Amount total;
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    auto amount = line_amount(order.lines[i].quantity, order.lines[i].unit_price);
    if (!amount)
      return Error::invalid("lines[" + std::to_string(i) + "].quantity", "montant hors limites", "order.amount.range");
    order.lines[i].amount = *amount;
    total += *amount;
    if (total.cents > kMaxAmount) return Error::invalid("lines", "montant hors limites", "order.amount.range");
  }
  order.total = total;
  return ok_status();
}

Amount realised_saving(const OrderLine& line, UnitPrice reference) {
  const auto at_reference = line_amount(line.delivered, reference);
  const auto at_price = line_amount(line.delivered, line.unit_price);
  if (!at_reference || !at_price) return Amount{};
  return *at_reference - *at_price;
}

ContractLedger contract_ledger(std::int64_t contract_id, MaximumBasis basis, std::int64_t maximum,
                               std::optional<std::int64_t> minimum, const ContractPeriod& period,
                               std::span<const Order> orders, Date today) {
  ContractLedger ledger;
  ledger.contract_id = contract_id;
  ledger.basis = basis;
  ledger.maximum = maximum;
  ledger.minimum = minimum;
  ledger.start = period.notified_on;
  ledger.end = period.end();
  std::map<std::pair<int, unsigned>, LedgerMonth> months;
  const auto month_of = [&](Date day) -> LedgerMonth& {
    const auto civil = to_civil(day);
    auto& m = months[{civil.year, civil.month}];
    m.year = civil.year;
    m.month = civil.month;
    return m;
  };
  for (const auto& order : orders) {
    if (!consumes_maximum(order.status)) continue;
    if (ledger.lot_id == 0) {
      ledger.lot_id = order.lot_id;
      ledger.member_id = order.member_id;
    }
    ++ledger.orders;
    ledger.ordered += consumption(order, basis);
    ledger.ordered_value += order.total;
    Amount delivered;
    for (const auto& line : order.lines) {
      ledger.ordered_quantity += line.quantity;
      ledger.delivered_quantity += line.delivered;
      if (auto value = line_amount(line.delivered, line.unit_price)) delivered += *value;
    }
    ledger.delivered_value += delivered;
    if (order.sent_on) month_of(*order.sent_on).ordered += order.total;
    if (order.delivered_on) month_of(*order.delivered_on).delivered += delivered;
    if (order.invoiced_amount) {
      ledger.invoiced_value += *order.invoiced_amount;
      if (order.invoiced_on) month_of(*order.invoiced_on).invoiced += *order.invoiced_amount;
      if (order.status == OrderStatus::paid) {
        ledger.paid_value += *order.invoiced_amount;
        if (order.paid_on) month_of(*order.paid_on).paid += *order.invoiced_amount;
      }
    }
  }
  ledger.remaining = maximum - ledger.ordered;
  if (minimum) ledger.minimum_due = std::max<std::int64_t>(*minimum - ledger.ordered, 0);
  for (auto& [key, m] : months) ledger.months.push_back(m);
  // The pace: elapsed days since notification (the day itself counts) × maximum / ordered.
  if (ledger.start && ledger.ordered > 0 && today >= *ledger.start) {
    const std::int64_t elapsed = today.days - ledger.start->days + 1;
    const int128 days_to_max = static_cast<int128>(elapsed) * maximum / ledger.ordered;  // whole days, truncated
    const Date exhaustion = add_days(*ledger.start, static_cast<int>(std::min<int128>(days_to_max, 1'000'000)) - 1);
    ledger.projected_exhaustion = exhaustion;
    ledger.exhausts_before_end = ledger.end && exhaustion < *ledger.end;
  }
  return ledger;
}

}  // namespace canopee
