#pragma once
// Loading the official CPV nomenclature (the operator's `canopee cpv import`): the
// codes of the CSV stored over the starter set, all or none, and how many codes the
// product knows afterwards.
#include <cstddef>
#include <string_view>

#include "adapters/db/database.hpp"

namespace canopee::usecases {

struct CpvImport {
  std::size_t imported = 0;  // codes of the file
  std::size_t known = 0;     // codes known afterwards, the starter set included
};

Result<CpvImport> import_cpv(db::Database& database, std::string_view csv);

}  // namespace canopee::usecases
