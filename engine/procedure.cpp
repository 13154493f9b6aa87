#include "engine/procedure.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>

namespace canopee {
namespace {

constexpr auto kProcedureNames = enum_names<Procedure>("no_competition", "adapted", "formal");
constexpr auto kPublicityNames = enum_names<Publicity>("none", "free", "boamp_or_jal", "boamp_and_joue");

std::string_view kind_fr(PurchaseKind kind) {
  switch (kind) {
    case PurchaseKind::supplies: return "fournitures";
    case PurchaseKind::services: return "services";
    case PurchaseKind::works: return "travaux";
  }
  return "fournitures";
}

}  // namespace

PurchaseKind purchase_kind_of_cpv(std::uint32_t digits) {
  const auto division = digits / 1'000'000;
  if (division == 45) return PurchaseKind::works;
  if (division <= 44 || division == 48) return PurchaseKind::supplies;
  return PurchaseKind::services;
}

PurchaseKind main_purchase_kind(std::span<const LotValue> lots, PurchaseKind declared) {
  std::array<int128, 3> totals{};
  bool any = false;
  for (const auto& lot : lots) {
    if (!lot.cpv_digits) continue;
    any = true;
    totals[static_cast<std::size_t>(purchase_kind_of_cpv(*lot.cpv_digits))] += lot.value.cents;
  }
  if (!any) return declared;
  const int128 largest = *std::max_element(totals.begin(), totals.end());
  bool declared_present = false;
  for (const auto& lot : lots)
    declared_present = declared_present || (lot.cpv_digits && purchase_kind_of_cpv(*lot.cpv_digits) == declared);
  if (declared_present && totals[static_cast<std::size_t>(declared)] == largest) return declared;
  for (std::size_t i = 0; i < totals.size(); ++i) {
    if (totals[i] != largest) continue;
    const auto kind = static_cast<PurchaseKind>(i);
    // A kind with no lot at all never wins a tie at zero.
    const bool present = std::any_of(lots.begin(), lots.end(), [&](const LotValue& l) {
      return l.cpv_digits && purchase_kind_of_cpv(*l.cpv_digits) == kind;
    });
    if (present) return kind;
  }
  return declared;
}

std::string_view to_string(Procedure procedure) { return kProcedureNames(procedure); }
std::string_view to_string(Publicity publicity) { return kPublicityNames(publicity); }

Date environmental_criterion_date() { return from_civil({2026, 8, 21}); }

ProcedureInput procedure_input(const Proposal& proposal, const AggregationOptions& options, Date launch_date) {
  ProcedureInput input;
  input.kind = options.kind;
  input.launch_date = launch_date;
  input.estimated_total = proposal.estimated_total;
  input.families = proposal.families;
  input.duration_months = options.duration_months;
  for (const auto& lot : proposal.lots) {
    LotValue value{lot.key, lot.estimated_value};
    value.cpv_digits = lot.cpv_digits;
    for (const auto& m : lot.members) {
      if (m.reference_unit_price.ten_thousandths <= 0) ++value.lines_without_reference;
    }
    input.lots.push_back(std::move(value));
  }
  return input;
}

Result<ProcedureAdvice> advise_procedure(const ProcedureInput& input, const ThresholdTable& thresholds) {
  // The kind follows the CPV codes: a mixed consultation follows its main object.
  const PurchaseKind kind = main_purchase_kind(input.lots, input.kind);
  const bool works = kind == PurchaseKind::works;
  const Date date = input.launch_date;
  auto eu = thresholds.at(works ? Threshold::eu_works : Threshold::eu_supplies_services, date);
  if (!eu) return std::move(eu).error();
  auto free_below = thresholds.at(works ? Threshold::no_competition_works : Threshold::no_competition_supplies_services,
                                  date);
  if (!free_below) return std::move(free_below).error();
  auto publicity_from = thresholds.at(Threshold::mapa_publicity, date);
  if (!publicity_from) return std::move(publicity_from).error();
  auto small_lot = thresholds.at(works ? Threshold::small_lot_works : Threshold::small_lot_supplies_services, date);
  if (!small_lot) return std::move(small_lot).error();
  auto small_share = thresholds.at(Threshold::small_lots_share_percent, date);
  if (!small_share) return std::move(small_share).error();

  ProcedureAdvice advice;
  advice.kind = kind;
  advice.eu_threshold = Amount{eu->value};
  advice.no_competition_threshold = Amount{free_below->value};
  const Amount total = input.estimated_total;
  auto cite = [&](std::string article, std::string text) {
    advice.citations.push_back({std::move(article), std::move(text)});
  };
  auto warn = [&](std::string code, std::string article, std::string message) {
    advice.warnings.push_back({std::move(code), std::move(article), std::move(message)});
  };

  cite("R2121-1",
       "La valeur estimée est le montant total hors TVA de tous les lots, options et reconductions "
       "de la consultation groupée, besoins de tous les membres du groupement additionnés : " +
           to_french_euros(total) + ".");
  if (input.framework_agreement) {
    cite("R2121-8", "Pour un accord-cadre, la valeur est le maximum sur toute sa durée (" +
                        std::to_string(input.duration_months) + " mois, reconductions comprises).");
  }
  if (works) {
    cite("R2121-5", "Pour des travaux, la valeur couvre toute l'opération.");
  } else {
    for (const auto& family : input.families) {
      cite("R2121-6", "Famille homogène CPV " + cpv_digits_string(family.cpv_digits) + " : " +
                          to_french_euros(family.estimated_value) +
                          " (fournitures et services d'une même famille comptés ensemble).");
    }
  }

  if (total.cents < free_below->value) {
    advice.procedure = Procedure::no_competition;
    advice.publicity = Publicity::none;
    cite("R2122-8", "Sous " + to_french_euros(Amount{free_below->value}) + " (" + free_below->source +
                        "), le marché peut être passé sans publicité ni mise en concurrence : choisir une offre "
                        "pertinente, faire une bonne utilisation des deniers publics et ne pas contracter "
                        "systématiquement avec le même fournisseur.");
  } else if (total.cents < eu->value) {
    advice.procedure = Procedure::adapted;
    cite("R2123-1 1°", "Sous le seuil européen de " + to_french_euros(Amount{eu->value}) + " (" + eu->source +
                           "), la procédure adaptée (MAPA) s'applique.");
    if (total.cents < publicity_from->value) {
      advice.publicity = Publicity::free;
      cite("R2131-12 1°", "Sous " + to_french_euros(Amount{publicity_from->value}) +
                              ", l'acheteur choisit une publicité adaptée à l'achat. "
                              "Que les OPH relèvent de R2131-12 ou de R2131-13 reste à confirmer.");
    } else {
      advice.publicity = Publicity::boamp_or_jal;
      cite("R2131-12 2°", "De " + to_french_euros(Amount{publicity_from->value}) +
                              " jusqu'au seuil européen, un avis au BOAMP ou dans un journal d'annonces légales (JAL). "
                              "Que les OPH relèvent de R2131-12 ou de R2131-13 reste à confirmer.");
    }
  } else {
    advice.procedure = Procedure::formal;
    advice.publicity = Publicity::boamp_and_joue;
    cite("R2124-1", "À partir du seuil européen de " + to_french_euros(Amount{eu->value}) + " (" + eu->source +
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
      cite("R2123-1 2°", std::to_string(advice.small_lots.size()) + " lot(s) de moins de " +
                             to_french_euros(Amount{small_lot->value}) + ", ensemble " +
                             to_french_euros(advice.small_lots_value) + " (au plus " +
                             std::to_string(small_share->value) +
                             " % du total), peuvent être passés en procédure adaptée.");
    }
  }

  // R2122-8, second paragraph: lots below the dispense amount may also be awarded without
  // publicity or competition while together they stay within the 20 % of R2123-1 2° b
  // (cheapest first, ties by key; unestimated lots are left out).
  if (advice.procedure != Procedure::no_competition && input.lots.size() > 1) {
    std::vector<LotValue> eligible;
    for (const auto& lot : input.lots) {
      if (lot.value.cents > 0 && lot.value.cents < free_below->value) eligible.push_back(lot);
    }
    std::sort(eligible.begin(), eligible.end(), [](const LotValue& a, const LotValue& b) {
      return a.value != b.value ? a.value < b.value : a.key < b.key;
    });
    int128 sum = 0;
    std::vector<std::string> keys;
    for (const auto& lot : eligible) {
      if ((sum + lot.value.cents) * 100 > static_cast<int128>(total.cents) * small_share->value) break;
      sum += lot.value.cents;
      keys.push_back(lot.key);
    }
    if (!keys.empty()) {
      std::sort(keys.begin(), keys.end());
      std::string list;
      for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
      cite("R2122-8 al. 2",
           "Lot(s) " + list + " : chacun sous " + to_french_euros(Amount{free_below->value}) + ", ensemble " +
               to_french_euros(Amount{static_cast<std::int64_t>(sum)}) + " (au plus " +
               std::to_string(small_share->value) +
               " % de la valeur de tous les lots, condition du b du 2° de R2123-1) : ils peuvent aussi "
               "être passés sans publicité ni mise en concurrence. Cette part est commune avec les "
               "petits lots de R2123-1 2°.");
    }
  }

  // Close below a threshold: an estimate missing options or renewals would change the procedure.
  for (const auto limit : {free_below->value, eu->value}) {
    if (total.cents < limit && static_cast<int128>(total.cents) * 100 >= static_cast<int128>(limit) * 95) {
      warn("near_threshold", "R2121-1",
           "L'estimation est à moins de 5 % sous le seuil de " + to_french_euros(Amount{limit}) +
               " : vérifier qu'elle comprend toutes les options, reconductions et besoins des membres ; "
               "découper un besoin pour rester sous un seuil est interdit.");
    }
  }
  // Works, supplies, services (CCP L1111-2 to L1111-4): from the lots' CPV divisions.
  std::array<std::vector<std::string>, 3> lots_by_kind;
  for (const auto& lot : input.lots) {
    if (lot.cpv_digits)
      lots_by_kind[static_cast<std::size_t>(purchase_kind_of_cpv(*lot.cpv_digits))].push_back(lot.key);
  }
  const auto kinds_present = std::count_if(lots_by_kind.begin(), lots_by_kind.end(),
                                           [](const auto& v) { return !v.empty(); });
  if (kinds_present > 1) {
    std::string detail;
    for (std::size_t i = 0; i < lots_by_kind.size(); ++i) {
      if (lots_by_kind[i].empty()) continue;
      std::string keys;
      for (const auto& k : lots_by_kind[i]) keys += (keys.empty() ? "" : ", ") + k;
      detail += (detail.empty() ? "" : " ; ") + std::string(kind_fr(static_cast<PurchaseKind>(i))) + " : lot(s) " +
                keys;
    }
    warn("kind_mixed", "L1111-2 à L1111-4",
         "La consultation mêle des prestations de natures différentes (" + detail +
             ", d'après la division CPV : 45 "
             "travaux ; 03 à 44 et 48 fournitures ; 49 à 98 services). Un marché mixte suit son objet principal, ici "
             "les " +
             std::string(kind_fr(kind)) + " (la plus forte valeur estimée) : les seuils appliqués sont ceux des " +
             std::string(kind_fr(kind)) + ". Envisager des consultations distinctes par nature.");
  }
  if (kinds_present > 0 && kind != input.kind) {
    warn("kind_mismatch", "L1111-2 à L1111-4",
         "La nature déclarée (" + std::string(kind_fr(input.kind)) +
             ") ne correspond pas aux codes CPV de l'objet "
             "principal, qui relèvent des " +
             std::string(kind_fr(kind)) +
             " (division CPV 45 : travaux ; 03 à 44 et 48 : "
             "fournitures ; 49 à 98 : services) : les seuils des " +
             std::string(kind_fr(kind)) + " s'appliquent.");
  }

  // A sincere estimate (R2121-1): a lot with no value at all, or built from member
  // lines without a reference price, understates the total and may hide the procedure.
  for (const auto& lot : input.lots) {
    if (lot.officer_estimate) continue;
    if (lot.value.cents <= 0) {
      warn("estimate_missing", "R2121-1",
           "Lot " + lot.key +
               " : aucune estimation (aucun prix de référence). L'estimation doit être sincère et "
               "couvrir tout le besoin : saisir l'estimation du lot avant de publier ; la procédure conseillée ne "
               "vaut pas tant qu'un lot n'est pas estimé.");
    } else if (lot.lines_without_reference > 0) {
      warn("reference_missing", "R2121-1",
           "Lot " + lot.key + " : " + std::to_string(lot.lines_without_reference) +
               " ligne(s) de membre sans prix de référence, comptée(s) pour 0 dans l'estimation : compléter les "
               "références ou saisir l'estimation du lot (l'estimation doit être sincère).");
    }
  }
  if (input.lots.size() == 1 && (!input.allotment_justification || input.allotment_justification->empty())) {
    warn("single_lot_unjustified", "L2113-11",
         "Un lot unique doit être justifié (prestations distinctes non identifiables, ou allotissement qui "
         "restreindrait la concurrence ou rendrait l'exécution plus difficile ou plus coûteuse).");
  }
  if (input.lots.size() > 1) {
    cite("L2113-10",
         "Passé en " + std::to_string(input.lots.size()) + " lots séparés, analysés lot par lot (L2152-7).");
  }
  if (input.framework_agreement && input.duration_months > 48) {
    warn("framework_too_long", "L2125-1",
         "Un accord-cadre dure au plus 4 ans (48 mois), reconductions comprises ; " +
             std::to_string(input.duration_months) + " demandés" +
             (input.duration_justified ? " : cas exceptionnel justifié, justification enregistrée."
                                       : " : justifiez le cas exceptionnel ou réduisez la durée."));
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
