#include "usecases/orders_import.hpp"

#include <charconv>

#include "adapters/db/party_repository.hpp"
#include "adapters/formats/orders_csv.hpp"

namespace canopee::usecases {
namespace {

namespace f = formats;

// "orders[2].lines[1].quantity" → 2 and "lines[1].quantity"; none for another field.
std::optional<std::pair<std::size_t, std::string>> order_field(std::string_view field) {
  constexpr std::string_view kPrefix = "orders[";
  if (!field.starts_with(kPrefix)) return std::nullopt;
  const auto close = field.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  std::size_t index = 0;
  const auto digits = field.substr(kPrefix.size(), close - kPrefix.size());
  if (std::from_chars(digits.data(), digits.data() + digits.size(), index).ec != std::errc{}) return std::nullopt;
  auto rest = field.substr(close + 1);
  if (rest.starts_with('.')) rest.remove_prefix(1);
  return std::pair{index, std::string(rest)};
}

// A field of place_orders named in the file: its line and column.
std::string file_field(const f::ImportedOrder& order, const std::string& field) {
  const auto at = [&](std::string_view column) { return f::import_field(order.first_line, column); };
  if (field == "contract_id") return at(f::kColContract);
  if (field == "ordered_on") return at(f::kColOrderedOn);
  if (field == "delivery_place") return at(f::kColDeliveryPlace);
  if (field == "delivery_date") return at(f::kColDeliveryDate);
  if (field == "sent_on") return at(f::kColSent);
  if (field.starts_with("lines[")) {
    std::size_t j = 0;
    const auto close = field.find(']');
    const std::string_view digits(field.data() + 6, close == std::string::npos ? 0 : close - 6);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), j).ec == std::errc{} && j < order.lines.size()) {
      const auto line = order.lines[j].line;
      if (field.ends_with(".quantity")) return f::import_field(line, f::kColQuantity);
      if (field.ends_with(".description")) return f::import_field(line, f::kColDescription);
      if (field.ends_with(".budget_nature")) return f::import_field(line, f::kColBudgetNature);
      if (field.ends_with(".budget_analytic")) return f::import_field(line, f::kColBudgetAnalytic);
      return f::import_field(line);
    }
  }
  return at(f::kColQuantity);  // the maximum's figures: the order's quantities
}

// place_orders' error, "orders[i]…", named by the file's lines and columns. An unknown
// contract is the file's fault: invalid (400), on its cell.
Error on_file_lines(Error error, const std::vector<f::ImportedOrder>& orders) {
  std::optional<std::size_t> index;
  for (const auto& e : error.fields) {
    if (auto parsed = order_field(e.field); parsed && parsed->first < orders.size()) {
      index = parsed->first;
      break;
    }
  }
  if (!index) return error;
  const auto& order = orders[*index];
  const std::string where = "Ligne " + std::to_string(order.first_line) + " (bon « " + order.internal_reference +
                            " ») : " + error.message;
  if (error.code == ErrorCode::not_found) {
    return Error{ErrorCode::invalid,
                 where,
                 {{f::import_field(order.first_line, f::kColContract),
                   "le marché " + std::to_string(order.contract_id) +
                       " n’existe pas ou n’est pas celui de votre membre",
                   error.rule.empty() ? "contract.not_found" : error.rule}},
                 "orders_import.contract.unknown"};
  }
  if (error.rule == "order.maximum_exceeded") {
    // One field with the figures in French, rather than four raw ones.
    return Error{error.code, where, {{file_field(order, ""), error.message, error.rule}}, error.rule};
  }
  std::vector<FieldError> fields;
  for (auto& e : error.fields) {
    auto parsed = order_field(e.field);
    const std::string field = parsed && parsed->first < orders.size()
                                  ? (parsed->second.empty() ? f::import_field(orders[parsed->first].first_line)
                                                            : file_field(orders[parsed->first], parsed->second))
                                  : e.field;
    fields.push_back({field, std::move(e.message), std::move(e.code)});
  }
  return Error{error.code, where, std::move(fields), std::move(error.rule)};
}

}  // namespace

Result<OrdersImport> import_orders(db::Database& database, const db::Actor& actor, std::int64_t member_id,
                                   std::string_view csv, Date today) {
  CANOPEE_TRY(orders, f::parse_orders_csv(csv));
  std::vector<OrderRequest> requests;
  requests.reserve(orders.size());
  for (const auto& o : orders) {
    OrderRequest request;
    request.contract_id = o.contract_id;
    request.delivery_place = o.delivery_place;
    request.delivery_date = o.delivery_date;
    request.send = o.send;
    request.ordered_on = o.ordered_on;
    for (const auto& line : o.lines)
      request.lines.push_back({line.description, line.quantity, line.budget_nature, line.budget_analytic});
    requests.push_back(std::move(request));
  }
  auto placed = place_orders(database, actor, requests, member_id, today, "import");
  if (!placed) return on_file_lines(std::move(placed).error(), orders);
  OrdersImport out;
  for (std::size_t i = 0; i < placed->size(); ++i) {
    auto& p = (*placed)[i];
    out.lines += p.order.lines.size();
    out.orders.push_back(
        {p.order.id, p.order.reference, orders[i].internal_reference, orders[i].first_line, std::move(p.warnings)});
  }
  return out;
}

Result<OrdersImport> import_member_orders(db::Database& database, const db::Actor& actor, std::string_view member_code,
                                          std::string_view csv, Date today) {
  CANOPEE_TRY(member, db::get_member_by_code(database, std::string(member_code)));
  return import_orders(database, actor, member.id, csv, today);
}

}  // namespace canopee::usecases
