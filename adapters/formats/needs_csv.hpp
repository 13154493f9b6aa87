#pragma once
// Needs from a CSV file, as buyers export them from a spreadsheet.
//
// The file is UTF-8 (with or without BOM) or Windows-1252, transcoded; any other
// encoding is refused (decode_spreadsheet_text in csv.hpp). Header row; columns (any
// order): cpv, title, description, quantity, unit, reference_unit_price (HT), department,
// period_start, period_end, recurring, the optional reference_source, reference_date and
// reference_index (issue 19: empty is the default — historical_price, the day of the
// import, no index), and one `attr.<name>` column per attribute. Each column may be named
// in French instead, case, accents, spaces and a parenthesised part ignored (« Code CPV »,
// « Intitulé », « Quantité », « Unité », « Prix unitaire estimé HT », « Département »,
// « Date de début », « Date de fin », « Récurrent », « Source de la référence », « Date de
// la référence », « Indice », and a few synonyms). The separator is ',' or ';' (detected
// from the header); with ';' decimal commas are accepted (12,5). Quantities and prices
// may group thousands with a space, NBSP or narrow NBSP (1 234,50), prices may carry
// « € » before or after. Dates are JJ/MM/AAAA or AAAA-MM-JJ. `recurring` takes
// true/false, 1/0, oui/non, yes/no, or empty (false).
//
// Every row is validated; the result is all the needs, or every error with its
// line and column ("line 7.quantity") and the cell's value.
#include <string_view>
#include <vector>

#include "adapters/formats/csv.hpp"
#include "adapters/formats/table.hpp"
#include "engine/need.hpp"

namespace canopee::formats {

Result<std::vector<Need>> parse_needs_csv(std::string_view text, const CpvNomenclature& nomenclature,
                                          std::int64_t member_id, NeedStatus status);

// The template users download: the French headers, one example row that imports as it is,
// and the columns explained (the XLSX's second sheet).
Table needs_import_template();

}  // namespace canopee::formats
