#pragma once
// Index values from the CSV file the statistics office publishes for one series (INSEE's
// "Banque de données macro-économiques"): semicolon separated, quoted fields, a few lines
// of description first ("Libellé";…, "idBank";…, "Dernière mise à jour";…, "Période";…),
// then one line per month: "2026-09";"135.8";"A" (the third column, the value's status —
// A definitive, P provisional… — is read and ignored). A plain two-column file
// "month;value" (with or without that header) is read too. Decimals with a dot or a comma.
//
// All rows or none: the result is every value, or every error with its line and column
// ("line 7.value"), at most kMaxImportErrors of them.
#include <string>
#include <string_view>
#include <vector>

#include "engine/price_revision.hpp"

namespace canopee::formats {

struct IndexRow {
  YearMonth month;
  std::int64_t value = 0;  // 1/10,000
};

Result<std::vector<IndexRow>> parse_index_csv(std::string_view text);

}  // namespace canopee::formats
