#include "usecases/tender_creation.hpp"

#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"

namespace canopee::usecases {

Result<std::optional<Groupement>> groupement_of_new_tender(db::Database& database, const Tender& tender) {
  if (tender.groupement_id) {
    auto g = db::get_groupement(database, *tender.groupement_id);
    if (!g) {
      if (g.error().code != ErrorCode::not_found) return std::move(g).error();
      return Error::rule_broken(ErrorCode::invalid, "groupement.unknown", "groupement_id",
                                "Aucun groupement de commandes n° " + std::to_string(*tender.groupement_id) + ".");
    }
    CANOPEE_TRY_STATUS(check_tender_vehicle(tender, &*g));
    return std::optional<Groupement>(std::move(g).value());
  }
  if (tender.vehicle == Vehicle::groupement) {
    // Transitional: a network that recorded no convention yet keeps creating its tenders as before.
    CANOPEE_TRY(any, db::any_groupement(database));
    if (any) {
      CANOPEE_TRY_STATUS(check_tender_vehicle(tender, nullptr));
    }
  }
  return std::optional<Groupement>();
}

Result<CreatedTender> create_tender_from_proposal(db::Database& database, const db::Actor& actor,
                                                  const ThresholdTable& built_in, const CpvNomenclature& nomenclature,
                                                  Tender draft, const ProposalRequest& request, Date today) {
  if (auto member = db::get_member(database, draft.coordinator_member_id); !member) {
    if (member.error().code != ErrorCode::not_found) return std::move(member).error();
    return Error::invalid("coordinator_member_id", "ce membre n’existe pas", "member.not_found");
  }
  // The groupement's convention (L2113-6): its coordinator; only its members who signed by the planned launch.
  CANOPEE_TRY(groupement, groupement_of_new_tender(database, draft));
  const Date planned = draft.launch_date.value_or(request.launch_date.value_or(today));
  CANOPEE_TRY(computed, propose(database, built_in, request, today, groupement ? &*groupement : nullptr, planned));
  if (computed.proposal.lots.empty()) {
    if (!computed.excluded.empty()) {
      return Error::rule_broken(ErrorCode::conflict, "groupement.member_not_joined", "proposal",
                                "Aucun lot : les besoins retenus par le filtre sont tous ceux de membres qui "
                                "n'avaient pas signé la convention du groupement au lancement prévu (L2113-6).");
    }
    return Error::of(ErrorCode::conflict, "aucun lot ne peut être formé avec les besoins qui répondent à ce filtre",
                     "tender.no_lot_formed");
  }
  draft.kind = computed.advice.kind;  // the main object's kind, from the CPV codes (the advice warns on a mismatch)
  draft.procedure = computed.advice.procedure;
  draft.contract_start = *computed.options.contract_start;
  draft.duration_months = computed.options.duration_months;
  if (!draft.launch_date) draft.launch_date = request.launch_date;
  // Created today: a planned launch is not earlier (the proposal's simulated date included).
  if (draft.launch_date) {
    CANOPEE_TRY_STATUS(check_planned_launch(*draft.launch_date, today));
  }
  draft.lots = lots_from_proposal(computed.proposal, nomenclature);
  if (groupement) {  // the scope and period of the convention, at the planned launch
    CANOPEE_TRY_STATUS(check_groupement_launch(*groupement, draft, planned));
  }
  CANOPEE_TRY(created, db::create_tender(database, actor, draft));
  return CreatedTender{std::move(created), std::move(computed.excluded), std::move(groupement)};
}

}  // namespace canopee::usecases
