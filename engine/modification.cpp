#include "engine/modification.hpp"

#include <cstdlib>
#include <utility>

#include "engine/enum_names.hpp"
#include "engine/need.hpp"
#include "engine/orders.hpp"
#include "engine/text.hpp"

namespace canopee {
namespace {

constexpr auto kGroundNames = enum_names<ModificationGround>("review_clause", "additional", "unforeseen",
                                                             "holder_change", "non_substantial", "de_minimis");
constexpr auto kGroundLabels = enum_names<ModificationGround>("clause de réexamen", "prestations supplémentaires",
                                                              "circonstances imprévues", "nouveau titulaire",
                                                              "modification non substantielle",
                                                              "modification de faible montant");
constexpr auto kGroundArticles = enum_names<ModificationGround>("R2194-1", "R2194-2", "R2194-5", "R2194-6", "R2194-7",
                                                                "R2194-8");

std::int64_t magnitude(std::int64_t v) { return v < 0 ? -v : v; }

Error refused(std::string rule, std::string field, std::string message) {
  return Error::rule_broken(ErrorCode::conflict, std::move(rule), std::move(field), std::move(message));
}

std::string percent_french(std::int64_t hundredths) {
  std::string text = percent_text(hundredths);
  if (const auto dot = text.find('.'); dot != std::string::npos) text[dot] = ',';
  return text + "\u00a0%";
}

// Σ of the recorded changes, and of the months.
std::pair<std::int64_t, int> totals(std::span<const Modification> recorded) {
  std::int64_t amount = 0;
  int months = 0;
  for (const auto& m : recorded) {
    amount += m.amount_change;
    months += m.months_change;
  }
  return {amount, months};
}

Status check_dates(const ModifiedContract& contract, std::span<const Modification> recorded,
                   const Modification& proposed, Date today) {
  if (!contract.notified_on) {
    return refused("modification.contract_not_in_force", "signed_on",
                   "le marché n’est pas encore notifié : il ne prend effet qu’à sa notification (R2182-4) et ne se "
                   "modifie qu’ensuite");
  }
  if (proposed.signed_on < *contract.notified_on) {
    return refused("modification.contract_not_in_force", "signed_on",
                   "la modification (" + to_french(proposed.signed_on) + ") précède la notification du marché (" +
                       to_french(*contract.notified_on) + ")");
  }
  if (proposed.signed_on > today) {
    return Error::invalid("signed_on", "la date " + to_french(proposed.signed_on) + " est dans le futur",
                          "modification.date.future");
  }
  if (!recorded.empty() && proposed.signed_on < recorded.back().signed_on) {
    return Error::invalid("signed_on",
                          "la modification précède la précédente (n° " + std::to_string(recorded.back().number) +
                              ", du " + to_french(recorded.back().signed_on) +
                              ") : les modifications sont numérotées dans l’ordre de leur signature",
                          "modification.date.before_previous");
  }
  const int months = contract.initial_months + totals(recorded).second;
  const Date end = add_days(add_months(*contract.notified_on, months), -1);
  if (months > 0 && proposed.signed_on > end) {
    return refused("modification.contract_ended", "signed_on",
                   "le marché a pris fin le " + to_french(end) + " : un marché échu ne se modifie plus");
  }
  return ok_status();
}

Status require_justification(const Modification& m, std::string_view why) {
  if (word_characters(m.justification) >= kMinReasonCharacters) return ok_status();
  return Error::invalid("justification",
                        std::string(article(m.ground)) + " : la justification est requise (" + std::string(why) +
                            ", au moins " + std::to_string(kMinReasonCharacters) + " lettres ou chiffres)",
                        "modification.justification.required");
}

// R2194-3: each additional or unforeseen modification at most 50 % of the initial amount.
Status check_half(const ModifiedContract& contract, const Modification& m) {
  const int128 change = magnitude(m.amount_change);
  if (change * 100 <= static_cast<int128>(contract.initial) * kAdditionalLimitPercent) return ok_status();
  const auto share = percent_hundredths(magnitude(m.amount_change), contract.initial);
  return refused("modification.over_half", "amount_change",
                 "R2194-3 : une modification au titre de " + std::string(article(m.ground)) +
                     " ne peut dépasser 50\u00a0% du montant initial (" +
                     french_in_basis(contract.basis, contract.initial) + ") ; celle-ci (" +
                     french_in_basis(contract.basis, m.amount_change) + ") en représente " + percent_french(share));
}

// R2194-8 and R2194-9: the de minimis modifications cumulated stay below the EU
// threshold and below 10 % (15 % for works) of the initial amount.
Status check_de_minimis(const ModifiedContract& contract, std::span<const Modification> recorded, const Modification& m,
                        Amount eu_threshold) {
  std::int64_t cumulated = magnitude(m.amount_change);
  for (const auto& r : recorded) {
    if (r.ground == ModificationGround::de_minimis) cumulated += magnitude(r.amount_change);
  }
  const int percent = de_minimis_percent(contract.kind);
  if (static_cast<int128>(cumulated) * 100 >= static_cast<int128>(contract.initial) * percent) {
    return refused("modification.de_minimis.percent", "amount_change",
                   "R2194-8 et R2194-9 : les modifications de faible montant cumulées (" +
                       french_in_basis(contract.basis, cumulated) + ", soit " +
                       percent_french(percent_hundredths(cumulated, contract.initial)) +
                       ") doivent rester inférieures à " + std::to_string(percent) + "\u00a0% du montant initial (" +
                       french_in_basis(contract.basis, contract.initial) + ")");
  }
  const Amount value = value_of_change(contract, cumulated);
  if (value >= eu_threshold) {
    return refused("modification.de_minimis.threshold", "amount_change",
                   "R2194-8 et R2194-9 : les modifications de faible montant cumulées (" + to_french_euros(value) +
                       " HT) doivent rester inférieures au seuil européen en vigueur (" +
                       to_french_euros(eu_threshold) + " HT)");
  }
  return ok_status();
}

Status check_ground(const ModifiedContract& contract, std::span<const Modification> recorded, const Modification& m,
                    Amount eu_threshold) {
  switch (m.ground) {
    case ModificationGround::review_clause:
      if (word_characters(m.clause_reference) == 0) {
        return Error::invalid("clause_reference",
                              "R2194-1 : la clause de réexamen appliquée est requise (article du CCAP, …)",
                              "modification.clause_reference.required");
      }
      return ok_status();
    case ModificationGround::additional:
      CANOPEE_TRY_STATUS(require_justification(m, "nécessité des prestations, changement de titulaire impossible"));
      if (m.amount_change <= 0) {
        return refused("modification.additional.not_increase", "amount_change",
                       "R2194-2 : des prestations supplémentaires augmentent le montant du marché");
      }
      return check_half(contract, m);
    case ModificationGround::unforeseen:
      CANOPEE_TRY_STATUS(require_justification(m, "circonstances qu’un acheteur diligent ne pouvait prévoir"));
      return check_half(contract, m);
    case ModificationGround::holder_change:
      CANOPEE_TRY_STATUS(require_justification(m, "clause, cession ou restructuration du titulaire"));
      if (m.amount_change != 0 || m.months_change != 0) {
        return refused("modification.holder_change.other_change", "amount_change",
                       "R2194-6 : le changement de titulaire ne modifie ni le montant ni la durée ; une autre "
                       "modification les porte, avec son propre fondement");
      }
      return ok_status();
    case ModificationGround::non_substantial: {
      CANOPEE_TRY_STATUS(require_justification(m, "pourquoi la modification n’est pas substantielle"));
      const int percent = de_minimis_percent(contract.kind);
      if (m.amount_change > 0 &&
          static_cast<int128>(m.amount_change) * 100 >= static_cast<int128>(contract.initial) * percent) {
        return refused("modification.non_substantial.too_high", "amount_change",
                       "R2194-7 2° : une hausse de " +
                           percent_french(percent_hundredths(m.amount_change, contract.initial)) +
                           " du montant initial peut modifier l’équilibre économique du marché ; au-delà de " +
                           std::to_string(percent) +
                           "\u00a0%, fondez-la sur R2194-2 (prestations supplémentaires) ou R2194-5 (circonstances "
                           "imprévues)");
      }
      return ok_status();
    }
    case ModificationGround::de_minimis: return check_de_minimis(contract, recorded, m, eu_threshold);
  }
  return ok_status();
}

}  // namespace

std::string_view to_string(ModificationGround ground) { return kGroundNames(ground); }
Result<ModificationGround> parse_modification_ground(std::string_view text, std::string_view field) {
  if (auto ground = kGroundNames.parse(text)) return *ground;
  return Error::invalid(std::string(field), "doit être l’une des valeurs " + kGroundNames.listed(),
                        "modification.ground.unknown");
}
std::string_view french_label(ModificationGround ground) { return kGroundLabels(ground); }
std::string_view article(ModificationGround ground) { return kGroundArticles(ground); }

int de_minimis_percent(PurchaseKind kind) {
  return kind == PurchaseKind::works ? kDeMinimisWorksPercent : kDeMinimisPercent;
}

Amount value_of_change(const ModifiedContract& contract, std::int64_t change) {
  if (contract.basis == MaximumBasis::value || contract.initial <= 0) return Amount{change};
  return Amount{static_cast<std::int64_t>(
      divide_round_half_away(static_cast<int128>(contract.initial_value.cents) * change, contract.initial))};
}

std::int64_t percent_hundredths(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 0;
  return static_cast<std::int64_t>(divide_round_half_away(static_cast<int128>(part) * 10'000, whole));
}

std::string percent_text(std::int64_t hundredths) {
  const bool negative = hundredths < 0;
  const std::int64_t m = magnitude(hundredths);
  std::string decimals = std::to_string(m % 100);
  if (decimals.size() < 2) decimals.insert(0, 1, '0');
  return (negative ? "-" : "") + std::to_string(m / 100) + "." + decimals;
}

Status validate_modification(const Modification& m) {
  std::vector<FieldError> errors;
  const auto object = text_length(m.object, false);
  if (!object || *object > kMaxModificationObject || word_characters(m.object) == 0) {
    errors.push_back({"object",
                      "l’objet de la modification est requis : un texte d’au plus " +
                          std::to_string(kMaxModificationObject) + " caractères, sur une ligne",
                      "modification.object.invalid"});
  }
  const auto justification = text_length(m.justification, true);
  if (!justification || *justification > kMaxModificationJustification) {
    errors.push_back({"justification",
                      "un texte d’au plus " + std::to_string(kMaxModificationJustification) + " caractères",
                      "modification.justification.invalid"});
  }
  const auto clause = text_length(m.clause_reference, false);
  if (!clause || *clause > kMaxClauseReference) {
    errors.push_back({"clause_reference",
                      "un texte d’au plus " + std::to_string(kMaxClauseReference) + " caractères, sur une ligne",
                      "modification.clause_reference.invalid"});
  }
  if (magnitude(m.amount_change) > kMaxAmount) {
    errors.push_back({"amount_change", "la variation dépasse les montants admis", "modification.amount_change.range"});
  }
  if (m.months_change < 0 || m.months_change > kMaxMonthsChange) {
    errors.push_back({"months_change",
                      "la durée ajoutée est de 0 à " + std::to_string(kMaxMonthsChange) +
                          " mois (une modification ne raccourcit pas le marché)",
                      "modification.months_change.range"});
  }
  if (errors.empty()) return ok_status();
  Error error{ErrorCode::invalid, "modification invalide", std::move(errors), "modification.invalid"};
  if (error.fields.size() == 1) {
    error.message = error.fields.front().field + " : " + error.fields.front().message;
    error.rule = error.fields.front().code;
  }
  return error;
}

Status check_modification(const ModifiedContract& contract, std::span<const Modification> recorded,
                          const Modification& proposed, Amount eu_threshold, Date today) {
  CANOPEE_TRY_STATUS(validate_modification(proposed));
  if (contract.initial <= 0) {
    return refused("modification.no_initial_amount", "",
                   "le marché n’a pas de montant initial positif : les limites de R2194-3 et R2194-8 se calculent sur "
                   "lui");
  }
  if (static_cast<std::int64_t>(recorded.size()) >= kMaxModificationsPerContract) {
    return refused("modification.too_many", "",
                   "ce marché compte déjà " + std::to_string(recorded.size()) + " modifications");
  }
  CANOPEE_TRY_STATUS(check_dates(contract, recorded, proposed, today));
  CANOPEE_TRY_STATUS(check_ground(contract, recorded, proposed, eu_threshold));
  const std::int64_t after = contract.initial + totals(recorded).first + proposed.amount_change;
  if (after <= 0) {
    return refused("modification.amount.not_positive", "amount_change",
                   "le montant du marché après modification (" + french_in_basis(contract.basis, after) +
                       ") doit rester positif");
  }
  if (after < contract.consumed) {
    Error error = refused("modification.below_ordered", "amount_change",
                          "le montant du marché après modification (" + french_in_basis(contract.basis, after) +
                              ") serait inférieur à ce qui est déjà commandé (" +
                              french_in_basis(contract.basis, contract.consumed) + ")");
    error.fields.push_back({"maximum_after", std::to_string(after), "modification.below_ordered"});
    error.fields.push_back({"ordered", std::to_string(contract.consumed), "modification.below_ordered"});
    return error;
  }
  return ok_status();
}

ModificationSummary summarise_modifications(const ModifiedContract& contract, std::span<const Modification> recorded) {
  ModificationSummary s;
  s.basis = contract.basis;
  s.initial = contract.initial;
  s.initial_months = contract.initial_months;
  std::int64_t amount = contract.initial;
  int months = contract.initial_months;
  for (const auto& m : recorded) {
    amount += m.amount_change;
    months += m.months_change;
    s.cumulative_change += m.amount_change;
    s.months_change += m.months_change;
    if (m.ground == ModificationGround::de_minimis) s.de_minimis_cumulative += magnitude(m.amount_change);
    s.lines.push_back({m, percent_hundredths(m.amount_change, contract.initial), amount, months});
  }
  s.cumulative_percent_hundredths = percent_hundredths(s.cumulative_change, contract.initial);
  s.current = amount;
  s.current_months = months;
  return s;
}

}  // namespace canopee
