#include "usecases/procedure_advice.hpp"

#include "adapters/db/need_repository.hpp"
#include "adapters/db/splitting_repository.hpp"
#include "adapters/db/threshold_repository.hpp"
#include "engine/splitting.hpp"

namespace canopee::usecases {

Status add_splitting_warnings(db::Database& database, ProcedureAdvice& advice, const ProcedureInput& input,
                              const Tender& self, const ThresholdTable& thresholds) {
  const int year = year_of(input.launch_date);
  CANOPEE_TRY(tenders, db::joint_tenders_of_year(database, year));
  const auto others = other_family_totals(tenders, year, joint_grouping_key(self),
                                          self.id > 0 ? std::optional<std::int64_t>{self.id} : std::nullopt);
  return add_family_year_warnings(advice, input, others, thresholds);
}

Result<ProposalOutcome> propose(db::Database& database, const ThresholdTable& built_in, const ProposalRequest& request,
                                Date today, const Groupement* groupement, Date launch) {
  CANOPEE_TRY(needs, db::select_poolable_needs(database, request.filter));
  std::vector<ExcludedNeed> excluded;
  if (groupement != nullptr) excluded = keep_poolable_needs(needs, *groupement, launch);
  CANOPEE_TRY(proposal, propose_pooling(needs, request.options));
  CANOPEE_TRY(thresholds, db::load_thresholds(database, built_in));
  const auto input = procedure_input(proposal, request.options, request.launch_date.value_or(today));
  auto advice = advise_procedure(input, thresholds);
  if (!advice) {
    auto e = std::move(advice).error();
    for (auto& f : e.fields) f.field = "options." + f.field;
    return e;
  }
  // The year's joint tenders of the same families (R2121-6/7): a warning, never a refusal.
  Tender draft;  // stands for the proposal: its grouping is the groupement's
  if (groupement != nullptr) draft.groupement_id = groupement->id;
  CANOPEE_TRY_STATUS(add_splitting_warnings(database, *advice, input, draft, thresholds));
  return ProposalOutcome{std::move(proposal), std::move(advice).value(), request.options,
                         std::move(excluded), needs.fingerprint(),       needs.size()};
}

Result<ProcedureAdvice> advise_tender(db::Database& database, const ThresholdTable& built_in, const Tender& tender,
                                      Date today) {
  CANOPEE_TRY(thresholds, db::load_thresholds(database, built_in));
  const auto input = procedure_input(tender, tender.launch_date.value_or(today));
  auto advice = advise_procedure(input, thresholds);
  if (!advice) return advice;
  // The year's other joint tenders of the same families (R2121-6/7): a warning only.
  CANOPEE_TRY_STATUS(add_splitting_warnings(database, *advice, input, tender, thresholds));
  return advice;
}

}  // namespace canopee::usecases
