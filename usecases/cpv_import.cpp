#include "usecases/cpv_import.hpp"

#include "adapters/db/cpv_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {

Result<CpvImport> import_cpv(db::Database& database, std::string_view csv) {
  CANOPEE_TRY(report, db::import_cpv_csv(database, csv));
  CANOPEE_TRY(nomenclature, db::load_nomenclature(database));
  return CpvImport{report.imported, nomenclature.size()};
}

}  // namespace canopee::usecases
