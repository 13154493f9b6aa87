#pragma once
// The imported CPV codes (table cpv_codes).
#include <string>

#include "adapters/db/database.hpp"
#include "engine/cpv.hpp"

namespace canopee::db {

struct CpvImportReport {
  std::size_t imported = 0;
};

// Parses the official CPV CSV (header "CODE,FR" — or a label column named FR,
// LABEL or LIBELLE), validates every row and, if all are valid, replaces the
// imported codes with them in one transaction. Errors name line and column.
Result<CpvImportReport> import_cpv_csv(Database& database, std::string_view csv);

// The starter set plus every imported code.
Result<CpvNomenclature> load_nomenclature(Database& database);

}  // namespace canopee::db
