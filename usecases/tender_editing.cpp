#include "usecases/tender_editing.hpp"

#include <soci/soci.h>

#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/vat.hpp"
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

constexpr std::string_view kVatRates = "SELECT value FROM settings WHERE key = 'vat_rates'";

// The VAT rates a lot may take: setting `vat_rates` ("20;10;5.5"), else the legal list.
Result<std::vector<std::int64_t>> admitted_vat_rates(db::Database& database) {
  return db::with_connection<std::vector<std::int64_t>>(database,
                                                        [&](soci::session& sql) -> Result<std::vector<std::int64_t>> {
                                                          std::string value;
                                                          soci::indicator ind = soci::i_null;
                                                          sql << kVatRates, soci::into(value, ind);
                                                          if (sql.got_data() && ind == soci::i_ok) {
                                                            if (auto rates = parse_vat_rates(value)) return *rates;
                                                          }
                                                          return std::vector<std::int64_t>(std::begin(kLegalVatRatesBp),
                                                                                           std::end(kLegalVatRatesBp));
                                                        });
}

// A changed rate must be admitted; a rate set earlier stays valid if the list narrows.
Status check_vat_rates(db::Database& database, const Tender& read, const Tender& edited) {
  std::optional<std::vector<std::int64_t>> admitted;
  for (const auto& lot : edited.lots) {
    const Lot* before = find_lot(read, lot.id);
    if (before != nullptr && before->vat_rate_bp == lot.vat_rate_bp) continue;
    if (!admitted) {
      CANOPEE_TRY(rates, admitted_vat_rates(database));
      admitted = std::move(rates);
    }
    CANOPEE_TRY_STATUS(check_vat_rate(lot.vat_rate_bp, *admitted, "lots." + std::to_string(lot.id) + ".vat_rate"));
  }
  return ok_status();
}

}  // namespace

Result<Tender> edit_tender(db::Database& database, const db::Actor& actor, const ThresholdTable& built_in,
                           const Tender& read, TenderEdit edit, Date today) {
  Tender& tender = edit.tender;
  if (edit.launch_date_given && tender.launch_date && tender.created_on) {
    CANOPEE_TRY_STATUS(check_planned_launch(*tender.launch_date, *tender.created_on));
  }
  CANOPEE_TRY_STATUS(check_vat_rates(database, read, tender));
  if (estimates_changed(read, tender)) {
    // The estimate decides the procedure (R2121-1): advised again on the new values.
    CANOPEE_TRY(advice, advise_tender(database, built_in, tender, today));
    tender.procedure = advice.procedure;
  }
  if (edit.version) tender.version = *edit.version;
  return db::update_tender(database, actor, tender);
}

}  // namespace canopee::usecases
