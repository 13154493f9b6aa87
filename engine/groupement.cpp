#include "engine/groupement.hpp"

#include "engine/enum_names.hpp"

#include <array>
#include <set>

#include "engine/need.hpp"

namespace canopee {
namespace {

constexpr auto kMissions = enum_names<CoordinatorMission>("procedure", "notification", "execution");

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The digits of a CPV code: "09310000-5" → "09310000".
std::string cpv_digits(std::string_view cpv) {
  std::string digits;
  for (const char c : cpv) {
    if (c == '-') break;
    digits.push_back(c);
  }
  return digits;
}

std::string member_label(const Groupement& g, std::int64_t member_id) {
  for (const auto& m : g.members) {
    if (m.member_id == member_id && !m.code.empty()) return m.code;
  }
  return "n° " + std::to_string(member_id);
}

Error conflict_listing(std::vector<FieldError> errors) {
  Error error{ErrorCode::conflict, errors.front().message, std::move(errors)};
  error.rule = error.fields.front().code;
  if (error.fields.size() > 1) error.message = "Le marché ne respecte pas la convention du groupement de commandes.";
  return error;
}

}  // namespace

std::string_view to_string(CoordinatorMission mission) { return kMissions(mission); }

Result<CoordinatorMission> parse_coordinator_mission(std::string_view text, std::string_view field) {
  if (auto value = kMissions.parse(text)) return *value;
  return Error::rule_broken(ErrorCode::invalid, "groupement.mission.unknown", std::string(field),
                            "mission inconnue : procedure (la procédure jusqu'à l'attribution), notification (jusqu'à "
                            "la signature et la notification) ou execution (aussi l'exécution) (L2113-7)");
}

Status validate_groupement(const Groupement& g) {
  std::vector<FieldError> errors;
  const auto text = [&](const std::string& value, const char* field, std::size_t max, const char* what) {
    const auto length = text_length(value, false);
    if (!length || *length == 0 || *length > max) {
      errors.push_back(
          {field, std::string(what) + " : de 1 à " + std::to_string(max) + " caractères, sans caractère de contrôle",
           "groupement.text.invalid"});
    }
  };
  text(g.name, "name", 200, "le nom du groupement");
  text(g.reference, "reference", 50, "la référence de la convention");
  if (g.cpv_prefixes.empty()) {
    errors.push_back({"scope.cpv_prefixes",
                      "le périmètre doit couvrir au moins une famille d'achats (un préfixe CPV de 2 à 8 chiffres)",
                      "groupement.scope.empty"});
  }
  if (g.cpv_prefixes.size() > kMaxGroupementPrefixes) {
    errors.push_back({"scope.cpv_prefixes", "au plus " + std::to_string(kMaxGroupementPrefixes) + " familles",
                      "groupement.scope.too_many"});
  }
  std::set<std::string> prefixes;
  for (std::size_t i = 0; i < g.cpv_prefixes.size() && i < kMaxGroupementPrefixes; ++i) {
    const auto& p = g.cpv_prefixes[i];
    const std::string field = "scope.cpv_prefixes[" + std::to_string(i) + "]";
    if (p.size() < 2 || p.size() > 8 || !all_digits(p)) {
      errors.push_back(
          {field, "un préfixe CPV est fait de 2 à 8 chiffres (par exemple \"0931\")", "groupement.scope.invalid"});
    } else if (!prefixes.insert(p).second) {
      errors.push_back({field, "la famille " + p + " est déjà dans le périmètre", "groupement.scope.duplicate"});
    }
  }
  if (g.period_end < g.period_start) {
    errors.push_back({"scope.end", "la période du groupement finit avant de commencer", "groupement.period.invalid"});
  }
  if (g.members.size() > kMaxGroupementMembers) {
    errors.push_back(
        {"members", "au plus " + std::to_string(kMaxGroupementMembers) + " membres", "groupement.members.too_many"});
  }
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    if (!seen.insert(g.members[i].member_id).second) {
      errors.push_back(
          {"members[" + std::to_string(i) + "].member_id",
           "ce membre a déjà signé la convention (" + to_string(signed_on(g, g.members[i].member_id).value()) + ")",
           "groupement.member_duplicate"});
    }
  }
  if (!seen.count(g.coordinator_member_id)) {
    errors.push_back({"coordinator_member_id",
                      "le coordonnateur est l'un des membres du groupement : il signe la convention (L2113-7)",
                      "groupement.coordinator_not_member"});
  }
  if (errors.empty()) return ok_status();
  Error error{ErrorCode::invalid, "la convention du groupement est incomplète ou invalide", std::move(errors)};
  error.rule = error.fields.front().code;
  return error;
}

Status check_signature_date(Date signature, Date today, std::string_view field) {
  if (today < signature) {
    return Error::rule_broken(ErrorCode::invalid, "groupement.signed_in_future", std::string(field),
                              "La date de signature de la convention (" + to_string(signature) +
                                  ") ne peut pas être postérieure à aujourd'hui (" + to_string(today) +
                                  ") : enregistrer l'adhésion une fois la convention signée.");
  }
  return ok_status();
}

std::optional<Date> signed_on(const Groupement& g, std::int64_t member_id) {
  for (const auto& m : g.members) {
    if (m.member_id == member_id) return m.signed_on;
  }
  return std::nullopt;
}

std::string_view to_string(PoolingExclusion exclusion) {
  return exclusion == PoolingExclusion::not_member ? "groupement.not_member" : "groupement.member_not_joined";
}

std::optional<PoolingExclusion> pooling_exclusion(const Groupement& g, std::int64_t member_id, Date launch) {
  const auto signature = signed_on(g, member_id);
  if (!signature) return PoolingExclusion::not_member;
  if (launch < *signature) return PoolingExclusion::signed_after_launch;  // signed on the launch day: in time
  return std::nullopt;
}

std::vector<ExcludedNeed> keep_poolable_needs(std::vector<Need>& needs, const Groupement& g, Date launch) {
  std::vector<ExcludedNeed> excluded;
  std::vector<Need> kept;
  kept.reserve(needs.size());
  for (auto& need : needs) {
    if (const auto exclusion = pooling_exclusion(g, need.member_id, launch)) {
      excluded.push_back({need.id, need.member_id, *exclusion});
    } else {
      kept.push_back(std::move(need));
    }
  }
  needs = std::move(kept);
  return excluded;
}

std::vector<ExcludedNeed> keep_poolable_needs(PoolableNeeds& needs, const Groupement& g, Date launch) {
  std::vector<ExcludedNeed> excluded;
  needs.keep_if([&](const PoolableNeed& need) {
    if (const auto exclusion = pooling_exclusion(g, need.member_id, launch)) {
      excluded.push_back({need.id, need.member_id, *exclusion});
      return false;
    }
    return true;
  });
  return excluded;
}

bool within_scope(const Groupement& g, std::string_view cpv) {
  const std::string digits = cpv_digits(cpv);
  for (const auto& p : g.cpv_prefixes) {
    if (digits.size() >= p.size() && digits.compare(0, p.size(), p) == 0) return true;
  }
  return false;
}

Status check_tender_vehicle(const Tender& tender, const Groupement* groupement) {
  if (tender.vehicle == Vehicle::centrale) {
    if (tender.groupement_id || groupement != nullptr) {
      return Error::rule_broken(ErrorCode::invalid, "groupement.not_for_centrale", "groupement_id",
                                "Un marché passé par une centrale d'achat (L2113-2) n'appartient à aucun groupement de "
                                "commandes : retirer le groupement ou choisir le véhicule groupement.");
    }
    return ok_status();
  }
  if (groupement == nullptr) {
    return Error::rule_broken(ErrorCode::invalid, "groupement.required", "groupement_id",
                              "Un marché du véhicule groupement appartient à un groupement de commandes : choisir la "
                              "convention constitutive dont il relève (L2113-6).");
  }
  if (groupement->coordinator_member_id != tender.coordinator_member_id) {
    return Error::rule_broken(ErrorCode::invalid, "groupement.coordinator_mismatch", "coordinator_member_id",
                              "Le coordonnateur du marché doit être celui que désigne la convention du groupement « " +
                                  groupement->name + " » (" +
                                  member_label(*groupement, groupement->coordinator_member_id) + ", L2113-7).");
  }
  return ok_status();
}

Status check_groupement_launch(const Groupement& g, const Tender& tender, Date launch) {
  std::vector<FieldError> errors;
  if (g.coordinator_member_id != tender.coordinator_member_id) {
    errors.push_back({"coordinator_member_id",
                      "Le coordonnateur du marché doit être celui que désigne la convention du groupement (L2113-7).",
                      "groupement.coordinator_mismatch"});
  }
  if (launch < g.period_start || g.period_end < launch) {
    errors.push_back({"launch_date",
                      "Le lancement le " + to_string(launch) + " est hors de la période de la convention (du " +
                          to_string(g.period_start) + " au " + to_string(g.period_end) + ", L2113-6).",
                      "groupement.out_of_period"});
  }
  for (std::size_t i = 0; i < tender.lots.size(); ++i) {
    const auto& lot = tender.lots[i];
    if (!within_scope(g, lot.cpv)) {
      errors.push_back({"lots[" + std::to_string(i) + "].cpv",
                        "Le lot " + std::to_string(lot.number) + " (CPV " + lot.cpv +
                            ") sort du périmètre de la convention du groupement, qui ne couvre que les familles "
                            "qu'elle énumère (L2113-6).",
                        "groupement.out_of_scope"});
    }
  }
  std::set<std::int64_t> reported;
  for (std::size_t i = 0; i < tender.lots.size(); ++i) {
    for (const auto& line : tender.lots[i].members) {
      const auto exclusion = pooling_exclusion(g, line.member_id, launch);
      if (!exclusion || !reported.insert(line.member_id).second) continue;
      const auto signature = signed_on(g, line.member_id);
      const std::string who = "Le membre " + member_label(g, line.member_id);
      errors.push_back({"lots[" + std::to_string(i) + "].members",
                        signature ? who + " a signé la convention le " + to_string(*signature) +
                                        ", après le lancement du " + to_string(launch) +
                                        " : un membre qui adhère après le lancement ne peut pas bénéficier de la "
                                        "procédure (L2113-6). Retirer ses besoins du marché."
                                  : who + " n'a pas signé la convention du groupement : ses besoins ne peuvent pas "
                                          "être mutualisés dans ce marché (L2113-6).",
                        "groupement.member_not_joined"});
    }
  }
  if (errors.empty()) return ok_status();
  return conflict_listing(std::move(errors));
}

}  // namespace canopee
