#include "usecases/need_editing.hpp"

#include <string>

#include "adapters/db/need_repository.hpp"

namespace canopee::usecases {

Result<Need> edit_need(db::Database& database, const db::Actor& actor, const CpvNomenclature& nomenclature,
                       const Need& read, const NeedDraft& patch, std::optional<NeedStatus> status,
                       std::optional<std::int64_t> version) {
  if (!need_is_editable(read.status)) {
    return Error::of(ErrorCode::conflict,
                     "le besoin est au statut « " + std::string(to_string(read.status)) +
                         " » : il ne peut plus changer",
                     "need.not_editable");
  }
  CANOPEE_TRY(patched, patch_need(read, patch, nomenclature));
  if (status) patched.status = *status;
  if (version) patched.version = *version;
  return db::update_need(database, actor, patched);  // the status checked again under the row's lock
}

}  // namespace canopee::usecases
