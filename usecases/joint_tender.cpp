#include "usecases/joint_tender.hpp"

#include "adapters/db/tender_repository.hpp"
#include "engine/aggregation.hpp"
#include "engine/procedure.hpp"
#include "engine/thresholds.hpp"
#include "usecases/tender_lifecycle.hpp"

namespace canopee {

Result<Tender> launch_joint_tender(db::Database& database, const db::Actor& actor, std::span<const Need> needs,
                                   const JointTenderPlan& plan, const CpvNomenclature& nomenclature, Date today) {
  AggregationOptions options;
  options.contract_start = plan.contract_start;
  options.duration_months = plan.duration_months;
  CANOPEE_TRY(proposal, propose_aggregation(needs, options));
  CANOPEE_TRY(advice, advise_procedure(procedure_input(proposal, options, today), ThresholdTable::defaults()));
  Tender t;
  t.title = plan.title;
  t.coordinator_member_id = plan.coordinator_member_id;
  t.groupement_id = plan.groupement_id;
  t.kind = plan.kind;
  t.contract_start = plan.contract_start;
  t.duration_months = plan.duration_months;
  t.criteria = plan.criteria;
  t.lots = lots_from_proposal(proposal, nomenclature);
  t.procedure = advice.procedure;
  t.bid_deadline = plan.bid_deadline;
  t.allotment_justification = plan.allotment_justification;
  t.environmental_conditions = plan.environmental_conditions;
  t.social_considerations = plan.social_considerations;
  t.social_exception = plan.social_exception;
  t.launch_date = today;
  CANOPEE_TRY(created, db::create_tender(database, actor, t));
  return usecases::transition_tender(database, actor, created.id, TenderStatus::published, std::nullopt, today);
}

}  // namespace canopee
