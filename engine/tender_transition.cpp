#include "engine/tender_transition.hpp"

#include "engine/text.hpp"

namespace canopee {

Result<std::optional<ProcedureAdvice>> check_transition(const Tender& tender, TenderStatus to,
                                                        const TransitionContext& context) {
  using Out = std::optional<ProcedureAdvice>;
  if (!tender_transition_allowed(tender.status, to)) {
    return Error::rule_broken(ErrorCode::conflict, "tender.transition_not_allowed", "status",
                              "une consultation " + std::string(french_label(tender.status)) + " ne peut pas devenir " +
                                  std::string(french_label(to)));
  }
  switch (to) {
    case TenderStatus::published: {
      if (auto status = check_publishable(tender, context.today, context.at); !status) return std::move(status).error();
      // Only members who signed the convention by the day the notice is sent (L2113-6).
      if (context.groupement != nullptr) {
        if (auto status = check_groupement_launch(*context.groupement, tender, context.today); !status) {
          return std::move(status).error();
        }
      }
      // The advice and thresholds are frozen at the day the notice is sent.
      auto advice = advise_procedure(procedure_input(tender, context.today),
                                     context.thresholds != nullptr ? *context.thresholds : ThresholdTable::defaults());
      if (!advice) return std::move(advice).error();
      // Social considerations follow the procedure frozen now (L2112-2-1): checked again
      // when the advice moved from the draft's stored procedure.
      if (advice->procedure != tender.procedure) {
        if (auto errors = execution_condition_errors(tender, advice->procedure, context.today); !errors.empty()) {
          Error error{ErrorCode::conflict, errors.front().message, std::move(errors)};
          error.rule = error.fields.front().code;
          return error;
        }
      }
      return Out{std::move(advice).value()};
    }
    case TenderStatus::closed:
      if (auto status = check_close(tender, context.at, context.reason); !status) return std::move(status).error();
      return Out{};
    case TenderStatus::cancelled:
      // A launched procedure is declared without follow-up for reasons the bidders are
      // told (R2185-1, R2185-2); a draft was never launched.
      if (tender.status != TenderStatus::draft && word_characters(context.reason) < kMinReasonCharacters) {
        return Error::rule_broken(ErrorCode::invalid, "tender.cancel.reason_required", "reason",
                                  "une procédure lancée se déclare sans suite pour des motifs, communiqués aux "
                                  "candidats et soumissionnaires (R2185-1, R2185-2) : indiquez-les (au moins " +
                                      std::to_string(kMinReasonCharacters) + " lettres ou chiffres)");
      }
      for (const auto& lot : tender.lots) {
        if (lot.status == LotStatus::awarded) {
          return Error::rule_broken(ErrorCode::conflict, "tender.cancel.lot_awarded", "status",
                                    "le lot " + std::to_string(lot.number) +
                                        " est attribué : la consultation ne peut plus être annulée");
        }
      }
      return Out{};
    case TenderStatus::draft:
    case TenderStatus::awarded:
      // A tender becomes awarded when its last lot is settled (an award or an
      // unsuccessful lot), never by being asked to.
      return Error::rule_broken(ErrorCode::conflict, "tender.transition_not_allowed", "status",
                                "une consultation devient attribuée quand son dernier lot est attribué ou déclaré "
                                "infructueux");
  }
  return Out{};
}

}  // namespace canopee
