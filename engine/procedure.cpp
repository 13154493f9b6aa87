#include "engine/procedure.hpp"

#include <algorithm>
#include <array>

namespace canopee {
namespace {

constexpr std::array<std::string_view, 3> kProcedureNames = {"no_competition", "adapted", "formal"};
constexpr std::array<std::string_view, 4> kPublicityNames = {"none", "free", "boamp_or_jal", "boamp_and_joue"};

// "25 920,00 €": the advice is read by French buyers (no-break spaces between
// thousands and before the sign).
std::string euros(Amount amount) {
  const std::string plain = to_string(amount);  // "-25920.00"
  const bool negative = plain.front() == '-';
  const auto dot = plain.find('.');
  const std::string digits = plain.substr(negative ? 1 : 0, dot - (negative ? 1 : 0));
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00a0";
    out += digits[i];
  }
  return out + "," + plain.substr(dot + 1) + "\u00a0€";
}

}  // namespace

std::string_view to_string(Procedure procedure) { return kProcedureNames[static_cast<std::size_t>(procedure)]; }
std::string_view to_string(Publicity publicity) { return kPublicityNames[static_cast<std::size_t>(publicity)]; }

Date environmental_criterion_date() { return from_civil({2026, 8, 21}); }

ProcedureInput procedure_input(const Proposal& proposal, const AggregationOptions& options, Date launch_date) {
  ProcedureInput input;
  input.kind = options.kind;
  input.launch_date = launch_date;
  input.estimated_total = proposal.estimated_total;
  input.families = proposal.families;
  input.duration_months = options.duration_months;
  for (const auto& lot : proposal.lots) input.lots.push_back({lot.key, lot.estimated_value});
  return input;
}

Result<ProcedureAdvice> advise_procedure(const ProcedureInput& input, const ThresholdTable& thresholds) {
  const bool works = input.kind == PurchaseKind::works;
  const Date date = input.launch_date;
  auto eu = thresholds.at(works ? Threshold::eu_works : Threshold::eu_supplies_services, date);
  if (!eu) return std::move(eu).error();
  auto free_below = thresholds.at(works ? Threshold::no_competition_works : Threshold::no_competition_supplies_services, date);
  if (!free_below) return std::move(free_below).error();
  auto publicity_from = thresholds.at(Threshold::mapa_publicity, date);
  if (!publicity_from) return std::move(publicity_from).error();
  auto small_lot = thresholds.at(works ? Threshold::small_lot_works : Threshold::small_lot_supplies_services, date);
  if (!small_lot) return std::move(small_lot).error();
  auto small_share = thresholds.at(Threshold::small_lots_share_percent, date);
  if (!small_share) return std::move(small_share).error();

  ProcedureAdvice advice;
  advice.eu_threshold = Amount{eu->value};
  advice.no_competition_threshold = Amount{free_below->value};
  const Amount total = input.estimated_total;
  auto cite = [&](std::string article, std::string text) { advice.citations.push_back({std::move(article), std::move(text)}); };
  auto warn = [&](std::string code, std::string article, std::string message) {
    advice.warnings.push_back({std::move(code), std::move(article), std::move(message)});
  };

  cite("R2121-1", "La valeur estimée est le montant total hors TVA de tous les lots, options et reconductions "
                  "de la consultation groupée, besoins de tous les membres du groupement additionnés : " + euros(total) + ".");
  if (input.framework_agreement) {
    cite("R2121-8", "Pour un accord-cadre, la valeur est le maximum sur toute sa durée (" +
                        std::to_string(input.duration_months) + " mois).");
  }
  if (works) {
    cite("R2121-5", "Pour des travaux, la valeur couvre toute l'opération.");
  } else {
    for (const auto& family : input.families) {
      cite("R2121-6", "Famille homogène CPV " + cpv_digits_string(family.cpv_digits) + " : " +
                          euros(family.estimated_value) + " (fournitures et services d'une même famille comptés ensemble).");
    }
  }

  if (total.cents < free_below->value) {
    advice.procedure = Procedure::no_competition;
    advice.publicity = Publicity::none;
    cite("R2122-8", "Sous " + euros(Amount{free_below->value}) + " (" + free_below->source +
                        "), le marché peut être passé sans publicité ni mise en concurrence : choisir une offre "
                        "pertinente, faire une bonne utilisation des deniers publics et ne pas contracter "
                        "systématiquement avec le même fournisseur.");
  } else if (total.cents < eu->value) {
    advice.procedure = Procedure::adapted;
    cite("R2123-1 1°", "Sous le seuil européen de " + euros(Amount{eu->value}) + " (" + eu->source +
                           "), la procédure adaptée (MAPA) s'applique.");
    if (total.cents < publicity_from->value) {
      advice.publicity = Publicity::free;
      cite("R2131-12 1°", "Sous " + euros(Amount{publicity_from->value}) +
                              ", l'acheteur choisit une publicité adaptée à l'achat. "
                              "Que les OPH relèvent de R2131-12 ou de R2131-13 reste à confirmer.");
    } else {
      advice.publicity = Publicity::boamp_or_jal;
      cite("R2131-12 2°", "De " + euros(Amount{publicity_from->value}) +
                              " jusqu'au seuil européen, un avis au BOAMP ou dans un journal d'annonces légales (JAL). "
                              "Que les OPH relèvent de R2131-12 ou de R2131-13 reste à confirmer.");
    }
  } else {
    advice.procedure = Procedure::formal;
    advice.publicity = Publicity::boamp_and_joue;
    cite("R2124-1", "À partir du seuil européen de " + euros(Amount{eu->value}) + " (" + eu->source +
                        "), une procédure formalisée est obligatoire : appel d'offres ouvert (R2124-2 1°).");
    cite("R2131-16", "Avis au BOAMP et au Journal officiel de l'Union européenne (JOUE).");

    // Petits lots: cheapest first, while their sum stays within the share of the total.
    std::vector<LotValue> eligible;
    for (const auto& lot : input.lots) {
      if (lot.value.cents < small_lot->value) eligible.push_back(lot);
    }
    std::sort(eligible.begin(), eligible.end(), [](const LotValue& a, const LotValue& b) {
      return a.value != b.value ? a.value < b.value : a.key < b.key;
    });
    int128 sum = 0;
    for (const auto& lot : eligible) {
      if ((sum + lot.value.cents) * 100 > static_cast<int128>(total.cents) * small_share->value) break;
      sum += lot.value.cents;
      advice.small_lots.push_back(lot.key);
    }
    advice.small_lots_value = Amount{static_cast<std::int64_t>(sum)};
    if (!advice.small_lots.empty()) {
      std::sort(advice.small_lots.begin(), advice.small_lots.end());
      cite("R2123-1 2°", std::to_string(advice.small_lots.size()) + " lot(s) de moins de " + euros(Amount{small_lot->value}) +
                             ", ensemble " + euros(advice.small_lots_value) + " (au plus " +
                             std::to_string(small_share->value) + " % du total), peuvent être passés en procédure adaptée.");
    }
  }

  // Close below a threshold: an estimate missing options or renewals would change the procedure.
  for (const auto limit : {free_below->value, eu->value}) {
    if (total.cents < limit && static_cast<int128>(total.cents) * 100 >= static_cast<int128>(limit) * 95) {
      warn("near_threshold", "R2121-1",
           "L'estimation est à moins de 5 % sous le seuil de " + euros(Amount{limit}) +
               " : vérifier qu'elle comprend toutes les options, reconductions et besoins des membres ; "
               "découper un besoin pour rester sous un seuil est interdit.");
    }
  }
  if (input.lots.size() == 1 && (!input.allotment_justification || input.allotment_justification->empty())) {
    warn("single_lot_unjustified", "L2113-11",
         "Un lot unique doit être justifié (prestations distinctes non identifiables, ou allotissement qui "
         "restreindrait la concurrence ou rendrait l'exécution plus difficile ou plus coûteuse).");
  }
  if (input.lots.size() > 1) {
    cite("L2113-10", "Passé en " + std::to_string(input.lots.size()) + " lots séparés, analysés lot par lot (L2152-7).");
  }
  if (input.framework_agreement && input.duration_months > 48) {
    warn("framework_too_long", "L2125-1",
         "Un accord-cadre dure au plus 4 ans (48 mois) ; " + std::to_string(input.duration_months) + " demandés.");
  }
  if (date >= environmental_criterion_date()) {
    if (!input.criteria) {
      warn("environmental_criterion_required", "R2152-7",
           "Lancée à partir du 21/08/2026 : au moins un critère d'attribution doit prendre en compte les "
           "caractéristiques environnementales (loi Climat et résilience, art. 35).");
    } else if (std::none_of(input.criteria->begin(), input.criteria->end(),
                            [](const CriterionInfo& c) { return c.environmental; })) {
      warn("environmental_criterion_missing", "R2152-7",
           "Aucun critère d'attribution ne prend en compte les caractéristiques environnementales ; il en faut un "
           "pour les consultations lancées à partir du 21/08/2026 (loi Climat et résilience, art. 35).");
    }
  }
  return advice;
}

}  // namespace canopee
