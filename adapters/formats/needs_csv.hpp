#pragma once
// Needs from a CSV file, as buyers export them from a spreadsheet.
//
// Header row; columns (any order): cpv, title, description, quantity, unit,
// reference_unit_price (HT), department, period_start, period_end, recurring, the optional
// reference_source, reference_date and reference_index (issue 19: empty is the default —
// historical_price, the day of the import, no index), and one `attr.<name>` column per attribute. The separator is ','
// or ';' (detected from the header); with ';' decimal commas are accepted (12,5). `recurring` takes true/false, 1/0,
// oui/non, yes/no, or empty (false).
//
// Every row is validated; the result is all the needs, or every error with its
// line and column ("line 7.quantity").
#include <string_view>
#include <vector>

#include "adapters/formats/csv.hpp"
#include "engine/need.hpp"

namespace canopee::formats {

Result<std::vector<Need>> parse_needs_csv(std::string_view text, const CpvNomenclature& nomenclature,
                                          std::int64_t member_id, NeedStatus status);

}  // namespace canopee::formats
