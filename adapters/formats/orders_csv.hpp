#pragma once
// Purchase orders from a CSV file, as a member's own ERP or spreadsheet exports them
// (issue 18 item 7), with the strictness of the needs import (needs_csv.hpp): all
// rows or none, every error with its line, its column and the value at fault.
//
// Header row; columns in any order, named in French (case, accents, spaces and
// dashes ignored: « Quantité », « date-commande ») or by their English aliases:
//   reference_interne  the member's own order number; the rows sharing it form one order
//   marche             the contract's id (the member's contract on a framework lot)
//   date_commande      JJ/MM/AAAA or AAAA-MM-JJ
//   designation        the line's text
//   quantite           decimal, a decimal comma in a ';' file
//   lieu_livraison
//   date_livraison     optional
//   envoye             oui/non (yes/no, 1/0, vrai/faux), empty or absent: oui
//   code_nature        optional: the line's nature budget code, one of the member's (issue 19)
//   code_analytique    optional: the line's analytic budget code; both empty: the needs' codes
// The rows of one order must agree on marche, date_commande, lieu_livraison,
// date_livraison and envoye. The separator is ',' or ';' (detected from the header),
// UTF-8 with or without a BOM, or Windows-1252 transcoded (decode_spreadsheet_text in
// csv.hpp: another encoding is refused with the line and the byte at fault).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/formats/csv.hpp"
#include "engine/date.hpp"
#include "engine/money.hpp"

namespace canopee::formats {

inline constexpr std::size_t kMaxOrderImportRows = 10'000;
inline constexpr std::size_t kMaxInternalReference = 100;  // code points

// The column names, as errors name them.
inline constexpr std::string_view kColInternalReference = "reference_interne";
inline constexpr std::string_view kColContract = "marche";
inline constexpr std::string_view kColOrderedOn = "date_commande";
inline constexpr std::string_view kColDescription = "designation";
inline constexpr std::string_view kColQuantity = "quantite";
inline constexpr std::string_view kColDeliveryPlace = "lieu_livraison";
inline constexpr std::string_view kColDeliveryDate = "date_livraison";
inline constexpr std::string_view kColSent = "envoye";
inline constexpr std::string_view kColBudgetNature = "code_nature";
inline constexpr std::string_view kColBudgetAnalytic = "code_analytique";

struct ImportedOrderLine {
  std::size_t line = 0;  // in the file (the header is line 1)
  std::string description;
  Quantity quantity;
  std::optional<std::string> budget_nature{}, budget_analytic{};  // as given; checked by the use case
};

struct ImportedOrder {
  std::string internal_reference;
  std::size_t first_line = 0;
  std::int64_t contract_id = 0;
  Date ordered_on;
  std::string delivery_place;
  std::optional<Date> delivery_date;
  bool send = true;
  std::vector<ImportedOrderLine> lines;  // in the file's order
};

// The orders in the order of their first row. Errors: invalid, rule
// `orders_import.header`, `orders_import.invalid_rows`, `orders_import.empty` or
// `orders_import.too_many_rows` (or the CSV reader's), each field
// "ligne 3, colonne quantite" (import_field), at most kMaxImportErrors.
Result<std::vector<ImportedOrder>> parse_orders_csv(std::string_view text);

// "ligne 3, colonne quantite"; "ligne 3" without a column.
std::string import_field(std::size_t line, std::string_view column = {});

}  // namespace canopee::formats
