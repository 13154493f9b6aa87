#include "usecases/tender_editing.hpp"

#include "adapters/db/tender_repository.hpp"
#include "usecases/procedure_advice.hpp"

namespace canopee::usecases {

namespace {

bool estimates_changed(const Tender& read, const Tender& edited) {
  for (const auto& lot : edited.lots) {
    const Lot* before = find_lot(read, lot.id);
    if (before == nullptr || before->officer_estimate != lot.officer_estimate) return true;
  }
  return false;
}

}  // namespace

Result<Tender> edit_tender(db::Database& database, const db::Actor& actor, const ThresholdTable& built_in,
                           const Tender& read, TenderEdit edit, Date today) {
  Tender& tender = edit.tender;
  if (edit.launch_date_given && tender.launch_date && tender.created_on) {
    CANOPEE_TRY_STATUS(check_planned_launch(*tender.launch_date, *tender.created_on));
  }
  if (estimates_changed(read, tender)) {
    // The estimate decides the procedure (R2121-1): advised again on the new values.
    CANOPEE_TRY(advice, advise_tender(database, built_in, tender, today));
    tender.procedure = advice.procedure;
  }
  if (edit.version) tender.version = *edit.version;
  return db::update_tender(database, actor, tender);
}

}  // namespace canopee::usecases
