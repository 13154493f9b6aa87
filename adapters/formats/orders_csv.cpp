#include "adapters/formats/orders_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "engine/budget.hpp"
#include "engine/cpv.hpp"
#include "engine/need.hpp"
#include "engine/orders.hpp"

namespace canopee::formats {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr std::size_t kShownCodePoints = 40;  // of a value quoted in a message

// The columns, in this order; the required ones first.
enum Column : std::uint8_t {
  reference,
  contract,
  ordered_on,
  description,
  quantity,
  place,
  delivery_date,
  sent,
  budget_nature,
  budget_analytic
};
constexpr std::array<std::string_view, 10> kNames{kColInternalReference, kColContract, kColOrderedOn,
                                                  kColDescription,       kColQuantity, kColDeliveryPlace,
                                                  kColDeliveryDate,      kColSent,     kColBudgetNature,
                                                  kColBudgetAnalytic};
constexpr std::size_t kRequired = 6;  // reference … place

struct Alias {
  std::string_view name;  // folded (fold_header): lower case, no accent, '_' for spaces and dashes
  Column column;
};
constexpr std::array<Alias, 30> kAliases{{
    {"reference_interne", reference},
    {"ref_interne", reference},
    {"internal_reference", reference},
    {"reference_commande", reference},
    {"marche", contract},
    {"contrat", contract},
    {"contract", contract},
    {"contract_id", contract},
    {"date_commande", ordered_on},
    {"date_de_commande", ordered_on},
    {"ordered_on", ordered_on},
    {"order_date", ordered_on},
    {"designation", description},
    {"description", description},
    {"quantite", quantity},
    {"quantity", quantity},
    {"lieu_livraison", place},
    {"lieu_de_livraison", place},
    {"delivery_place", place},
    {"date_livraison", delivery_date},
    {"date_de_livraison", delivery_date},
    {"delivery_date", delivery_date},
    {"envoye", sent},
    {"sent", sent},
    {"code_nature", budget_nature},
    {"compte", budget_nature},
    {"budget_nature", budget_nature},
    {"code_analytique", budget_analytic},
    {"analytique", budget_analytic},
    {"budget_analytic", budget_analytic},
}};

std::optional<Column> column_of(std::string_view header) {
  const std::string name = fold_header(header);  // « Quantité » → quantite
  for (const auto& alias : kAliases) {
    if (alias.name == name) return alias.column;
  }
  return std::nullopt;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

// A value quoted in a message: its first kShownCodePoints code points, control
// characters shown as '?', in « ».
std::string shown(std::string_view value) {
  std::string out = "« ";
  std::size_t points = 0;
  for (const char byte : value) {
    const auto c = static_cast<unsigned char>(byte);
    if ((c & 0xC0) != 0x80 && ++points > kShownCodePoints) {
      out += "…";
      break;
    }
    out.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
  }
  return out + " »";
}

// One row's cells, read.
struct RowValues {
  std::size_t line = 0;
  std::string reference;
  std::optional<std::int64_t> contract;
  std::optional<Date> ordered_on;
  std::string description;
  std::optional<Quantity> quantity;
  std::string place;
  std::optional<Date> delivery_date;
  std::optional<bool> sent;
  std::optional<std::string> budget_nature, budget_analytic;
  std::array<std::string, kNames.size()> raw;  // trimmed, for the agreement of an order's rows
};

class RowReader {
 public:
  RowReader(std::vector<FieldError>& errors, bool french) : errors_(errors), french_(french) {}

  RowValues read(const CsvRow& row, const std::array<std::size_t, kNames.size()>& columns) {
    RowValues v;
    v.line = row.line;
    for (std::size_t k = 0; k < kNames.size(); ++k) {
      if (columns[k] != kNone) v.raw[k] = trimmed(row.fields[columns[k]]);
    }
    v.reference = v.raw[reference];
    text(v, reference, v.reference, kMaxInternalReference);
    if (const auto& c = v.raw[contract]; c.empty()) {
      fail(v.line, contract, "est obligatoire : le numéro du marché", "orders_import.contract.required");
    } else if (c.size() > 18 || c.find_first_not_of("0123456789") != std::string::npos ||
               c == std::string(c.size(), '0')) {
      fail(v.line, contract, "doit être le numéro du marché (un entier positif), pas " + shown(c),
           "orders_import.contract.format");
    } else {
      std::int64_t id = 0;
      std::from_chars(c.data(), c.data() + c.size(), id);
      v.contract = id;
    }
    v.ordered_on = date(v, ordered_on, true);
    v.description = v.raw[description];
    text(v, description, v.description, kMaxOrderText);
    if (const auto& q = v.raw[quantity]; q.empty()) {
      fail(v.line, quantity, "est obligatoire", "orders_import.quantity.required");
    } else if (auto parsed = parse_quantity(french_decimal(q, french_), kColQuantity); !parsed) {
      fail(v.line, quantity,
           "doit être une quantité décimale positive (au plus 3 décimales" +
               std::string(french_ ? ", virgule décimale acceptée" : "") + "), pas " + shown(q),
           "orders_import.quantity.format");
    } else if (parsed->thousandths <= 0) {
      fail(v.line, quantity, "doit être positive, pas " + shown(q), "orders_import.quantity.range");
    } else {
      v.quantity = *parsed;
    }
    v.place = v.raw[place];
    text(v, place, v.place, kMaxOrderText);
    v.delivery_date = date(v, delivery_date, false);
    if (v.delivery_date && v.ordered_on && *v.delivery_date < *v.ordered_on) {
      fail(v.line, delivery_date,
           shown(v.raw[delivery_date]) + " précède la date de commande " + shown(v.raw[ordered_on]),
           "order.delivery_date.before_order");
    }
    if (const auto flag = parse_yes_no(v.raw[sent], true)) {
      v.sent = *flag;
    } else {
      fail(v.line, sent, "doit valoir oui ou non, pas " + shown(v.raw[sent]), "orders_import.sent");
    }
    for (const auto& [column, into] :
         {std::pair{budget_nature, &v.budget_nature}, std::pair{budget_analytic, &v.budget_analytic}}) {
      if (v.raw[column].empty()) continue;
      if (auto status = validate_budget_code_text(v.raw[column], kNames[column]); !status) {
        fail(v.line, column, status.error().message + ", pas " + shown(v.raw[column]), "budget_code.code.invalid");
      } else {
        *into = v.raw[column];
      }
    }
    return v;
  }

  void fail(std::size_t line, std::size_t column, std::string message, std::string code) {
    errors_.push_back({import_field(line, kNames[column]), std::move(message), std::move(code)});
  }

 private:
  // A text of 1 to `limit` code points on one line, without control characters.
  void text(const RowValues& v, Column column, const std::string& value, std::size_t limit) {
    if (value.empty()) {
      fail(v.line, column, "est obligatoire", "orders_import.text.required");
      return;
    }
    const auto length = text_length(value, false);
    if (!length) {
      fail(v.line, column,
           "contient un caractère de contrôle (saut de ligne, tabulation, octet nul…) : " + shown(value),
           "orders_import.text.control");
    } else if (*length > limit) {
      fail(v.line, column,
           "compte " + std::to_string(*length) + " caractères, au plus " + std::to_string(limit) + " : " + shown(value),
           "orders_import.text.length");
    }
  }

  std::optional<Date> date(const RowValues& v, Column column, bool required) {
    const auto& text = v.raw[column];
    if (text.empty()) {
      if (required) fail(v.line, column, "est obligatoire (JJ/MM/AAAA)", "orders_import.date.required");
      return std::nullopt;
    }
    auto parsed = parse_spreadsheet_date(text, kNames[column]);
    if (!parsed) {
      fail(v.line, column, parsed.error().message + ", pas " + shown(text), parsed.error().rule);
      return std::nullopt;
    }
    return *parsed;
  }

  std::vector<FieldError>& errors_;
  bool french_;
};

Error rows_refused(std::vector<FieldError> errors) {
  const bool capped = errors.size() >= kMaxImportErrors;
  return Error{ErrorCode::invalid,
               std::to_string(errors.size()) + (capped ? "+" : "") + (errors.size() == 1 ? " problème" : " problèmes") +
                   " dans le fichier : aucune commande n’a été importée",
               std::move(errors), "orders_import.invalid_rows"};
}

// The header's columns; errors on line 1.
std::array<std::size_t, kNames.size()> header_columns(const CsvTable& table, std::vector<FieldError>& errors) {
  std::array<std::size_t, kNames.size()> columns{};
  columns.fill(kNone);
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const auto& name = table.header[i];
    const auto column = column_of(name);
    if (!column) {
      errors.push_back({import_field(1, name),
                        "colonne inconnue " + shown(name) +
                            " : les colonnes sont reference_interne, marche, date_commande, "
                            "designation, quantite, lieu_livraison, date_livraison, envoye",
                        "orders_import.column.unknown"});
    } else if (columns[*column] != kNone) {
      errors.push_back({import_field(1, kNames[*column]),
                        "colonne en double : " + shown(table.header[columns[*column]]) + " et " + shown(name),
                        "orders_import.column.duplicate"});
    } else {
      columns[*column] = i;
    }
  }
  for (std::size_t k = 0; k < kRequired; ++k) {
    if (columns[k] == kNone) {
      errors.push_back(
          {import_field(1), "colonne manquante « " + std::string(kNames[k]) + " »", "orders_import.column.missing"});
    }
  }
  return columns;
}

// The rows of one order agree on what is the order's.
void check_agreement(const RowValues& first, const RowValues& row, RowReader& reader) {
  for (const Column column : {contract, ordered_on, place, delivery_date, sent}) {
    if (row.raw[column] != first.raw[column]) {
      reader.fail(row.line, column,
                  shown(row.raw[column]) + " diffère de la ligne " + std::to_string(first.line) + " du même bon « " +
                      first.reference + " » (" + shown(first.raw[column]) + ")",
                  "orders_import.order.disagrees");
    }
  }
}

}  // namespace

std::string import_field(std::size_t line, std::string_view column) {
  std::string out = "ligne " + std::to_string(line);
  if (!column.empty()) out.append(", colonne ").append(column);
  return out;
}

Result<std::vector<ImportedOrder>> parse_orders_csv(std::string_view bytes) {
  // UTF-8 or Windows-1252 (transcoded), as the needs' import reads it.
  auto decoded = decode_spreadsheet_text(bytes);
  const auto in_french = [](Error error) {
    for (auto& f : error.fields) {
      if (f.field.rfind("line ", 0) == 0) f.field = "ligne " + f.field.substr(5);
    }
    return error;
  };
  if (!decoded) return in_french(std::move(decoded).error());
  const std::string_view text = decoded->text;
  const char separator = detect_separator(text);
  auto table = parse_csv(text, separator);
  if (!table) return in_french(std::move(table).error());

  std::vector<FieldError> errors;
  const auto columns = header_columns(*table, errors);
  if (!errors.empty()) {
    return Error{ErrorCode::invalid, "l’en-tête du CSV n’est pas utilisable", std::move(errors),
                 "orders_import.header"};
  }
  if (table->rows.empty()) {
    return Error::invalid(import_field(2), "le fichier ne contient aucune ligne de commande après son en-tête",
                          "orders_import.empty");
  }
  if (table->rows.size() > kMaxOrderImportRows) {
    return Error::invalid(import_field(table->rows[kMaxOrderImportRows].line),
                          "le fichier compte " + std::to_string(table->rows.size()) + " lignes de commande, au plus " +
                              std::to_string(kMaxOrderImportRows) + " par import : découpez-le",
                          "orders_import.too_many_rows");
  }

  RowReader reader(errors, separator == ';');
  std::vector<ImportedOrder> orders;
  std::vector<RowValues> firsts;  // each order's first row
  std::map<std::string, std::size_t> by_reference;
  for (const auto& row : table->rows) {
    const RowValues v = reader.read(row, columns);
    if (!v.reference.empty()) {
      const auto [it, added] = by_reference.emplace(v.reference, orders.size());
      if (added) {
        ImportedOrder order;
        order.internal_reference = v.reference;
        order.first_line = v.line;
        order.contract_id = v.contract.value_or(0);
        order.ordered_on = v.ordered_on.value_or(Date{});
        order.delivery_place = v.place;
        order.delivery_date = v.delivery_date;
        order.send = v.sent.value_or(true);
        orders.push_back(std::move(order));
        firsts.push_back(v);
      } else {
        check_agreement(firsts[it->second], v, reader);
      }
      auto& order = orders[it->second];
      if (order.lines.size() == kMaxOrderLines) {
        reader.fail(v.line, reference,
                    "le bon « " + v.reference + " » dépasse " + std::to_string(kMaxOrderLines) + " lignes",
                    "orders_import.order.lines");
      } else {
        order.lines.push_back(
            {v.line, v.description, v.quantity.value_or(Quantity{}), v.budget_nature, v.budget_analytic});
      }
    }
    if (errors.size() >= kMaxImportErrors) break;
  }
  if (!errors.empty()) return rows_refused(std::move(errors));
  return orders;
}

}  // namespace canopee::formats
