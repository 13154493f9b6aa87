#include "engine/tender.hpp"

#include "engine/enum_names.hpp"

#include <array>
#include <map>

#include "engine/need.hpp"
#include "engine/text.hpp"

namespace canopee {
namespace {

constexpr auto kTenderStatuses = enum_names<TenderStatus>("draft", "published", "closed", "awarded", "cancelled");
constexpr auto kLotStatuses = enum_names<LotStatus>("open", "awarded", "unsuccessful");
constexpr auto kVehicles = enum_names<Vehicle>("groupement", "centrale");
constexpr auto kProcedures = enum_names<Procedure>("no_competition", "adapted", "formal");
constexpr auto kReductions = enum_names<TimeLimitReduction>("none", "prior_information_notice", "urgency");

// The 8 digits of a lot's grouping code ("NNNNNNNN-N" or 8 digits).
std::optional<std::uint32_t> lot_cpv_digits(const std::string& cpv) {
  if (cpv.size() < 8) return std::nullopt;
  std::uint32_t digits = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    if (cpv[i] < '0' || cpv[i] > '9') return std::nullopt;
    digits = digits * 10 + static_cast<std::uint32_t>(cpv[i] - '0');
  }
  return digits;
}

}  // namespace

std::string_view to_string(TenderStatus s) { return kTenderStatuses(s); }
std::string_view to_string(LotStatus s) { return kLotStatuses(s); }
const Lot* find_lot(const Tender& tender, std::int64_t lot_id) {
  for (const auto& lot : tender.lots) {
    if (lot.id == lot_id) return &lot;
  }
  return nullptr;
}

Error lot_settled_error() {
  return Error::rule_broken(ErrorCode::conflict, "lot.settled", "lot",
                            "le lot est déjà attribué ou déclaré infructueux : ses offres ne changent plus");
}

Status check_lot_open(const Lot& lot) {
  if (lot.status != LotStatus::open) return lot_settled_error();
  return ok_status();
}

Status check_lot_settleable(const Tender& tender, const Lot& lot) {
  // A settled lot says so first: its tender may be awarded (its last lot settled) by now.
  if (auto open = check_lot_open(lot); !open) return open;
  if (tender.status != TenderStatus::closed) {
    return Error::rule_broken(ErrorCode::conflict, "lot.settle.tender_not_closed", "status",
                              "un lot s’attribue ou se déclare infructueux une fois la consultation close ; elle est " +
                                  std::string(french_label(tender.status)));
  }
  return ok_status();
}

std::string_view french_label(TenderStatus s) {
  constexpr auto labels = enum_names<TenderStatus>("brouillon", "publiée", "close", "attribuée", "annulée");
  return labels(s);
}
std::string_view to_string(Vehicle v) { return kVehicles(v); }
Result<TenderStatus> parse_tender_status(std::string_view t, std::string_view f) {
  return parse_value(kTenderStatuses, t, f);
}
Result<LotStatus> parse_lot_status(std::string_view t, std::string_view f) { return parse_value(kLotStatuses, t, f); }
Result<Vehicle> parse_vehicle(std::string_view t, std::string_view f) { return parse_value(kVehicles, t, f); }
Result<Procedure> parse_procedure(std::string_view t, std::string_view f) { return parse_value(kProcedures, t, f); }
std::string_view to_string(TimeLimitReduction r) { return kReductions(r); }
Result<TimeLimitReduction> parse_time_limit_reduction(std::string_view t, std::string_view f) {
  return parse_value(kReductions, t, f);
}

bool tender_transition_allowed(TenderStatus from, TenderStatus to) {
  using S = TenderStatus;
  switch (from) {
    case S::draft: return to == S::published || to == S::cancelled;
    case S::published: return to == S::closed || to == S::cancelled;
    case S::closed: return to == S::awarded || to == S::cancelled;
    case S::awarded:
    case S::cancelled: return false;
  }
  return false;
}

std::vector<Lot> lots_from_proposal(const Proposal& proposal, const CpvNomenclature& cpv) {
  std::vector<Lot> lots;
  int number = 0;
  for (const auto& p : proposal.lots) {
    Lot lot;
    lot.number = ++number;
    lot.key = p.key;
    const auto* entry = cpv.find(p.cpv_digits);
    lot.cpv = entry != nullptr ? to_string(entry->code) : cpv_digits_string(p.cpv_digits);
    lot.title = entry != nullptr ? entry->label : "CPV " + lot.cpv;
    if (p.department) lot.title += " — " + to_string(*p.department);
    for (const auto& a : p.attributes) lot.title += " — " + a.key + " " + a.value;
    lot.unit = p.unit;
    lot.department = p.department;
    lot.quantity = p.quantity;
    lot.estimated_value = p.estimated_value;
    for (const auto& m : p.members) {
      lot.members.push_back({m.member_id, m.quantity, m.reference_value, m.reference_unit_price, m.one_off_quantity,
                             m.one_off_reference_value});
      for (const auto id : p.need_ids_of(m)) lot.need_ids.push_back(id);
      if (p.need_versions.size() == p.need_ids.size()) {
        const auto versions = std::span<const std::int64_t>(p.need_versions).subspan(m.need_begin, m.need_count);
        lot.need_versions.insert(lot.need_versions.end(), versions.begin(), versions.end());
      }
    }
    lots.push_back(std::move(lot));
  }
  return lots;
}

TimeLimit minimum_time_limit(Procedure procedure, TimeLimitReduction reduction, int mapa_minimum_days) {
  switch (procedure) {
    case Procedure::no_competition: return {0, "R2122-8", "sans publicité ni mise en concurrence"};
    case Procedure::adapted:
      return {mapa_minimum_days, "R2123-4", "délai raisonnable fixé pour la procédure adaptée (R2123-4, R2151-1)"};
    case Procedure::formal:
      switch (reduction) {
        case TimeLimitReduction::prior_information_notice:
          return {15, "R2161-3", "appel d'offres ouvert avec avis de préinformation (R2161-3)"};
        case TimeLimitReduction::urgency:
          return {15, "R2161-3", "appel d'offres ouvert en urgence dûment justifiée (R2161-3)"};
        case TimeLimitReduction::none: break;
      }
      return {
          30, "R2161-3",
          "appel d'offres ouvert : 35 jours (R2161-2), 30 jours car les offres sont remises par voie électronique (R2161-3)"};
  }
  return {0, "", ""};
}

namespace {

std::string plural_days(int days) { return std::to_string(days) + (days > 1 ? " jours" : " jour"); }

}  // namespace

Status check_publishable(const Tender& tender, Date launch, Instant sent) {
  std::vector<FieldError> errors;
  if (auto status = validate_criteria(tender.criteria); !status) {
    errors.insert(errors.end(), status.error().fields.begin(), status.error().fields.end());
  }
  if (tender.lots.empty())
    errors.push_back({"lots", "une consultation demande au moins un lot", "tender.not_publishable.no_lot"});
  if (tender.bid_deadline.empty()) {
    errors.push_back({"bid_deadline", "fixer la date limite de remise des offres avant de publier",
                      "tender.not_publishable.deadline_missing"});
  } else if (auto deadline = parse_date_time(tender.bid_deadline, "bid_deadline"); !deadline) {
    errors.push_back(deadline.error().fields.at(0));
  } else {
    const auto limit = minimum_time_limit(tender.procedure, tender.time_limit_reduction, tender.mapa_minimum_days);
    const Instant earliest = add_days(sent, limit.days);
    if (*deadline < earliest) {
      errors.push_back({"bid_deadline",
                        "la date limite de remise des offres doit laisser au moins " + plural_days(limit.days) +
                            " après l'envoi de l'avis (" + limit.basis + ") : au plus tôt le " + to_french(earliest),
                        "tender.deadline.too_short"});
    }
  }
  for (auto& e : award_criteria_rule_errors(tender.criteria, launch)) errors.push_back(std::move(e));
  for (auto& e : execution_condition_errors(tender, tender.procedure, launch)) errors.push_back(std::move(e));
  for (std::size_t i = 0; i < tender.lots.size(); ++i) {
    const auto& lot = tender.lots[i];
    if (lot.estimate().cents <= 0) {
      errors.push_back({"lots[" + std::to_string(i) + "].officer_estimate",
                        "Le lot " + std::to_string(lot.number) +
                            " n'a aucune estimation (aucun prix de référence) : "
                            "l'estimation doit être sincère et couvrir tout le besoin (R2121-1). Saisir l'estimation "
                            "du lot avant de publier.",
                        "estimate.missing"});
    }
  }
  if (tender.lots.size() == 1 && tender.allotment_justification.empty()) {
    errors.push_back({"allotment_justification", "un lot unique doit être justifié (L2113-11)",
                      "tender.not_publishable.allotment_unjustified"});
  }
  if (auto duration = check_framework_duration(tender); !duration) {
    for (const auto& e : duration.error().fields) errors.push_back(e);
  }
  if (errors.empty()) return ok_status();
  Error error{ErrorCode::conflict, "la consultation ne peut pas encore être publiée", std::move(errors)};
  for (const auto& e : error.fields) {
    if (!e.code.empty()) {
      error.rule = e.code;  // the first broken rule names the problem
      break;
    }
  }
  if (error.fields.size() == 1 && !error.fields.front().code.empty()) error.message = error.fields.front().message;
  return error;
}

Date execution_conditions_date() { return environmental_criterion_date(); }

Status validate_execution_conditions(const Tender& tender) {
  std::vector<FieldError> errors;
  const auto check = [&](const std::string& text, const char* field) {
    const auto length = text_length(text, true);
    if (!length) {
      errors.push_back(
          {field,
           "doit être un texte UTF-8 valide, sans caractère de contrôle (retours à la ligne et tabulations admis)",
           "tender.conditions.invalid_text"});
    } else if (*length > kMaxConditionLength) {
      errors.push_back(
          {field, "dépasse " + std::to_string(kMaxConditionLength) + " caractères", "tender.conditions.length"});
    }
  };
  check(tender.environmental_conditions, "environmental_conditions");
  check(tender.social_considerations, "social_considerations");
  check(tender.social_exception, "social_exception");
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "conditions d’exécution invalides", std::move(errors), "tender.conditions.invalid"};
}

std::vector<FieldError> execution_condition_errors(const Tender& tender, Procedure procedure, Date launch) {
  std::vector<FieldError> errors;
  if (launch < execution_conditions_date()) return errors;
  // Spaces alone say nothing.
  const auto blank = [](const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; };
  if (blank(tender.environmental_conditions)) {
    errors.push_back({"environmental_conditions",
                      "Lancée à partir du 21/08/2026, la consultation doit fixer des conditions d'exécution prenant en "
                      "compte des considérations relatives à l'environnement (L2112-2 modifié par la loi 2021-1104, "
                      "art. 35) : résumer la clause environnementale avant de publier.",
                      "tender.environmental_conditions.missing"});
  }
  if (procedure == Procedure::formal && blank(tender.social_considerations) && blank(tender.social_exception)) {
    errors.push_back(
        {"social_considerations",
         "Lancé à partir du 21/08/2026, un marché dont la valeur estimée atteint les seuils européens "
         "(procédure formalisée) prend en compte des considérations relatives au domaine social dans ses "
         "conditions d'exécution, sauf si le besoin ne le permet pas, si cela restreindrait la concurrence "
         "ou rendrait l'exécution techniquement ou économiquement difficile (L2112-2-1) : résumer la clause "
         "sociale, ou justifier l'exception, avant de publier.",
         "tender.social_considerations.missing"});
  }
  return errors;
}

Status check_planned_launch(Date planned, Date created) {
  if (planned < created) {
    return Error::rule_broken(ErrorCode::invalid, "tender.launch_date.before_creation", "launch_date",
                              "la date de lancement prévue (" + to_string(planned) +
                                  ") ne peut précéder la création de la consultation (" + to_string(created) +
                                  ") : la date de lancement est celle de l'envoi de l'avis, fixée à la publication");
  }
  return ok_status();
}

Status check_period_unchanged(const Tender& before, const Tender& after) {
  if (before.lots.empty()) return ok_status();
  if (after.duration_months != before.duration_months) {
    return Error::rule_broken(
        ErrorCode::conflict, "tender.period.locked", "duration_months",
        "la durée ne peut plus changer : les quantités, la valeur estimée des lots et la procédure ont été calculées sur " +
            std::to_string(before.duration_months) +
            " mois (R2121-1, R2121-8) ; créez une nouvelle consultation à partir des besoins pour une autre durée");
  }
  if (after.contract_start != before.contract_start) {
    return Error::rule_broken(
        ErrorCode::conflict, "tender.period.locked", "contract_start",
        "le début d'exécution ne peut plus changer : les quantités des lots ont été calculées sur la période commençant le " +
            to_string(before.contract_start) +
            " (R2121-1) ; créez une nouvelle consultation à partir des besoins pour une autre période");
  }
  return ok_status();
}

Status check_close(const Tender& tender, Instant now, std::string_view reason) {
  if (tender.status != TenderStatus::published) return ok_status();  // the transition check answers
  const auto deadline = parse_date_time(tender.bid_deadline, "bid_deadline");
  if (deadline && now < *deadline && reason.empty()) {
    return Error::rule_broken(ErrorCode::invalid, "tender.close.reason_required", "reason",
                              "la date limite de remise des offres, le " + to_french(*deadline) +
                                  ", n'est pas atteinte : indiquez pourquoi la consultation est close avant");
  }
  return ok_status();
}

Status check_bid_receipt(const Tender& tender, Instant received, Instant now) {
  if (tender.status != TenderStatus::published) {
    return Error::rule_broken(ErrorCode::conflict, "bid.tender_not_open", "",
                              "les offres s'enregistrent pendant la consultation publiée ; celle-ci est " +
                                  std::string(to_string(tender.status)));
  }
  if (received > now) {
    return Error::rule_broken(ErrorCode::invalid, "bid.received_at.future", "received_at",
                              "l'heure de réception ne peut être dans le futur : " + to_french(received));
  }
  if (tender.published_at && received < *tender.published_at) {
    return Error::rule_broken(ErrorCode::invalid, "bid.received_at.before_publication", "received_at",
                              "une offre ne peut être reçue avant la publication de l'avis, le " +
                                  to_french(*tender.published_at));
  }
  if (auto deadline = parse_date_time(tender.bid_deadline, "bid_deadline"); deadline && received > *deadline) {
    return Error::rule_broken(ErrorCode::conflict, "bid.late", "received_at",
                              "offre reçue le " + to_french(received) + ", après la date limite du " +
                                  to_french(*deadline) + " : une offre reçue hors délai est éliminée (R2151-5)");
  }
  return ok_status();
}

ProcedureInput procedure_input(const Tender& tender, Date launch_date) {
  ProcedureInput input;
  input.kind = tender.kind;
  input.launch_date = launch_date;
  std::map<std::uint32_t, std::int64_t> families;
  for (const auto& lot : tender.lots) {
    const Amount value = lot_procedure_value(tender, lot);
    input.estimated_total += value;
    LotValue lv{std::to_string(lot.number), value};
    lv.officer_estimate = lot.officer_estimate.has_value();
    lv.cpv_digits = lot_cpv_digits(lot.cpv);
    for (const auto& m : lot.members) {
      if (m.reference_unit_price.ten_thousandths <= 0) ++lv.lines_without_reference;
    }
    input.lots.push_back(std::move(lv));
    if (auto digits = lot_cpv_digits(lot.cpv)) families[cpv_prefix(*digits, CpvDepth::class_)] += value.cents;
  }
  for (const auto& [digits, value] : families) input.families.push_back({digits, Amount{value}});
  input.framework_agreement = tender.framework_agreement;
  input.duration_months = total_duration_months(tender);
  input.duration_justified = word_characters(tender.framework_terms.duration_justification) >= kMinReasonCharacters;
  if (!tender.allotment_justification.empty()) input.allotment_justification = tender.allotment_justification;
  std::vector<CriterionInfo> criteria;
  for (const auto& c : tender.criteria)
    criteria.push_back({c.name, c.weight, c.takes_environment_into_account() && !c.is_price});
  input.criteria = criteria;
  return input;
}

}  // namespace canopee
