#include "usecases/need_editing.hpp"

#include "adapters/db/need_repository.hpp"

namespace canopee::usecases {

Result<Need> edit_need(db::Database& database, const db::Actor& actor, const CpvNomenclature& nomenclature,
                       const Need& read, const NeedDraft& patch, std::optional<NeedStatus> status,
                       std::optional<std::int64_t> version) {
  CANOPEE_TRY_STATUS(check_need_editable(read));
  CANOPEE_TRY(patched, patch_need(read, patch, nomenclature));
  if (status) patched.status = *status;
  if (version) patched.version = *version;
  return db::update_need(database, actor, patched);  // the status checked again under the row's lock
}

}  // namespace canopee::usecases
