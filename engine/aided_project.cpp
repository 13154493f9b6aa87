#include "engine/aided_project.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace canopee {
namespace {

constexpr auto kKinds = enum_names<AidKind>("study", "assistance", "engineering", "digital_tool", "other");
constexpr auto kStatuses = enum_names<AidStatus>("planned", "requested", "granted", "paid", "refused", "abandoned");
constexpr auto kActions = enum_names<AidAction>("request", "grant", "pay", "refuse", "abandon");
constexpr auto kLimits = enum_names<AidLimit>("rate", "project_cap", "member_cap");

Amount at_rate(Amount base, std::int64_t rate_bp) {
  return Amount{static_cast<std::int64_t>(divide_round_half_away(static_cast<int128>(base.cents) * rate_bp, 10'000))};
}

// Each member's eligible base, in the project's members' order.
std::vector<std::int64_t> member_bases(const AidedProject& p) {
  std::vector<std::int64_t> bases(p.members.size(), 0);
  const auto add = [&](std::int64_t member, Amount amount) {
    const auto it = std::find(p.members.begin(), p.members.end(), member);
    if (it != p.members.end()) bases[static_cast<std::size_t>(it - p.members.begin())] += amount.cents;
  };
  for (const auto& e : p.expenses) add(e.member_id, e.eligible_base());
  for (const auto& l : p.linked) add(l.member_id, l.share);
  return bases;
}

// `total` split pro rata to `weights` (largest remainder); zeros when nothing to split by.
std::vector<std::int64_t> split(std::int64_t total, const std::vector<std::int64_t>& weights) {
  if (auto parts = allocate_largest_remainder(total, weights)) return *parts;
  return std::vector<std::int64_t>(weights.size(), 0);
}

// The date of the step before the one `action` takes the project to.
std::optional<Date> previous_step(const AidedProject& p) {
  switch (p.status) {
    case AidStatus::planned: return p.planned_on;
    case AidStatus::requested: return p.requested_on;
    case AidStatus::granted: return p.granted_on;
    case AidStatus::paid: return p.paid_on;
    case AidStatus::refused:
    case AidStatus::abandoned: return p.closed_on;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AidKind kind) { return kKinds(kind); }
std::string_view to_string(AidStatus status) { return kStatuses(status); }
std::string_view to_string(AidAction action) { return kActions(action); }
std::string_view to_string(AidLimit limit) { return kLimits(limit); }

std::string_view french_label(AidStatus status) {
  switch (status) {
    case AidStatus::planned: return "prévu";
    case AidStatus::requested: return "demandé";
    case AidStatus::granted: return "accordé";
    case AidStatus::paid: return "versé";
    case AidStatus::refused: return "refusé";
    case AidStatus::abandoned: return "abandonné";
  }
  return "";
}

Result<AidKind> parse_aid_kind(std::string_view text, std::string_view field) {
  if (auto value = kKinds.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’un de " + kKinds.listed(), "aided_project.kind.unknown");
}

Result<AidStatus> parse_aid_status(std::string_view text, std::string_view field) {
  if (auto value = kStatuses.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’un de " + kStatuses.listed(), "aided_project.status.unknown");
}

Result<AidAction> parse_aid_action(std::string_view text, std::string_view field) {
  if (auto value = kActions.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’une de " + kActions.listed(), "aided_project.action.unknown");
}

bool aid_is_granted(AidStatus s) { return s == AidStatus::granted || s == AidStatus::paid; }
bool aid_is_projected(AidStatus s) { return s == AidStatus::planned || s == AidStatus::requested; }

Amount vat_from_rate(Amount amount_ht, std::int64_t rate_bp) { return at_rate(amount_ht, rate_bp); }

Status validate_aid_expense(const AidExpense& e, std::span<const std::int64_t> members, std::string_view at) {
  std::vector<FieldError> errors;
  const std::string prefix(at);
  if (e.label.empty() || e.label.size() > kMaxAidTitle)
    errors.push_back({prefix + "label", "1 à 200 caractères", "aided_project.expense.label_length"});
  if (e.amount_ht.cents <= 0)
    errors.push_back({prefix + "amount_ht", "doit être supérieur à zéro", "aided_project.expense.amount_not_positive"});
  if (e.amount_ht.cents > kMaxAmount || e.vat.cents > kMaxAmount)
    errors.push_back({prefix + "amount_ht", "est trop grand", "aided_project.expense.amount_too_large"});
  if (e.vat.cents < 0)
    errors.push_back({prefix + "vat", "ne peut pas être négative", "aided_project.expense.vat_negative"});
  if (e.vat_rate_bp && (*e.vat_rate_bp < 0 || *e.vat_rate_bp > 10'000))
    errors.push_back({prefix + "vat_rate", "doit être compris entre 0 et 100", "aided_project.expense.vat_rate_range"});
  if (std::find(members.begin(), members.end(), e.member_id) == members.end())
    errors.push_back({prefix + "member_id", "n’est pas un membre du projet", "aided_project.expense.not_member"});
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "dépense éligible invalide", std::move(errors), "aided_project.expense.invalid"};
}

Status validate_aided_project(const AidedProject& p) {
  std::vector<FieldError> errors;
  if (p.title.empty() || p.title.size() > kMaxAidTitle)
    errors.push_back({"title", "1 à 200 caractères", "aided_project.title.length"});
  if (p.members.empty())
    errors.push_back({"members", "au moins un membre porte le projet", "aided_project.members.empty"});
  if (p.members.size() > kMaxAidMembers)
    errors.push_back({"members", "au plus 50 membres", "aided_project.members.too_many"});
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < p.members.size(); ++i) {
    if (!seen.insert(p.members[i]).second)
      errors.push_back(
          {"members[" + std::to_string(i) + "]", "est donné deux fois", "aided_project.members.duplicate"});
  }
  // An inter-organisation action is one of two organisations at least (CGLLS: « action collective »).
  if (p.collective && seen.size() < 2)
    errors.push_back({"collective",
                      "une action inter-organismes réunit au moins deux membres : en ajouter un, ou la déclarer "
                      "individuelle",
                      "aided_project.collective.single_member"});
  if (p.rate_override_bp) {
    if (*p.rate_override_bp < 0 || *p.rate_override_bp > 10'000)
      errors.push_back({"rate", "doit être compris entre 0 et 100", "aided_project.rate.out_of_range"});
    if (p.rate_reason.empty())
      errors.push_back({"rate_reason", "un taux propre au projet se justifie (décision de la CGLLS…)",
                        "aided_project.rate.reason_missing"});
  } else if (!p.rate_reason.empty()) {
    errors.push_back(
        {"rate_reason", "un motif ne se donne qu’avec un taux propre au projet", "aided_project.rate.reason_alone"});
  }
  if (p.rate_reason.size() > kMaxAidReason)
    errors.push_back({"rate_reason", "au plus 500 caractères", "aided_project.rate.reason_length"});
  if (p.expenses.size() > kMaxAidExpenses)
    errors.push_back({"expenses", "au plus 200 dépenses", "aided_project.expenses.too_many"});
  for (std::size_t i = 0; i < p.expenses.size(); ++i) {
    const auto status = validate_aid_expense(p.expenses[i], p.members, "expenses[" + std::to_string(i) + "].");
    if (!status) errors.insert(errors.end(), status.error().fields.begin(), status.error().fields.end());
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "projet aidé invalide", std::move(errors), "aided_project.invalid"};
}

Status check_aid_editable(const AidedProject& p) {
  if (p.status == AidStatus::planned) return ok_status();
  return Error::rule_broken(ErrorCode::conflict, "aided_project.not_planned", "status",
                            "le projet est « " + std::string(french_label(p.status)) +
                                " » : ses membres, dépenses et frais rattachés ne changent plus après la demande");
}

std::int64_t applied_rate_bp(const AidedProject& p, const AidSettings& s) {
  if (p.rate_override_bp) return *p.rate_override_bp;
  return p.collective ? s.collective_rate_bp : s.individual_rate_bp;
}

AidComputation compute_aid(const AidedProject& p, const AidSettings& s, std::span<const PriorAid> prior) {
  AidComputation c;
  const auto bases = member_bases(p);
  for (auto b : bases) c.eligible_base += Amount{b};
  c.rate_bp = applied_rate_bp(p, s);
  c.at_rate = at_rate(c.eligible_base, c.rate_bp);
  c.project_cap = s.project_cap;
  std::int64_t total = c.at_rate.cents;
  if (s.project_cap && s.project_cap->cents < total) {
    total = s.project_cap->cents;
    c.limited_by = AidLimit::project_cap;
  }
  for (std::size_t i = 0; i < p.members.size(); ++i) {
    MemberAid m;
    m.member_id = p.members[i];
    m.eligible_base = Amount{bases[i]};
    c.members.push_back(m);
  }
  if (s.rolling_cap()) {
    // The N months ending on the anchor: anchor − N months < D ≤ anchor.
    const Date to = p.cap_anchor();
    const Date after = add_months(to, -*s.member_cap_months);
    c.window_from = add_days(after, 1);
    c.window_to = to;
    for (std::size_t i = 0; i < c.members.size(); ++i) {
      auto& m = c.members[i];
      Amount used{0};
      for (const auto& a : prior) {
        if (a.member_id == m.member_id && a.on > after && a.on <= to) used += a.amount;
      }
      m.cap_used = used;
      m.cap_left = Amount{std::max<std::int64_t>(0, s.member_cap->cents - used.cents)};
      // The split stays pro rata: a member with base w of W gets T × w / W, so the
      // total is at most left × W / w (rounded down) — the tightest member binds.
      if (bases[i] > 0) {
        const auto most = static_cast<std::int64_t>(static_cast<int128>(m.cap_left->cents) * c.eligible_base.cents /
                                                    bases[i]);
        if (most < total) {
          total = most;
          c.limited_by = AidLimit::member_cap;
        }
      }
    }
  }
  c.projected = Amount{total};
  const auto projected = split(total, bases);
  for (std::size_t i = 0; i < c.members.size(); ++i) c.members[i].projected = Amount{projected[i]};
  if (p.granted_amount && aid_is_granted(p.status)) {
    c.granted = p.granted_amount;
    const auto granted = split(p.granted_amount->cents, bases);
    for (std::size_t i = 0; i < c.members.size(); ++i) c.members[i].granted = Amount{granted[i]};
  }
  return c;
}

Amount counted_aid(const AidComputation& c, AidStatus status, std::int64_t member_id) {
  for (const auto& m : c.members) {
    if (m.member_id != member_id) continue;
    if (aid_is_granted(status)) return m.granted.value_or(Amount{0});
    if (aid_is_projected(status)) return m.projected;
    return Amount{0};
  }
  return Amount{0};
}

std::vector<LinkedCostAid> linked_cost_aid(const AidedProject& p, const AidComputation& c) {
  std::vector<LinkedCostAid> out;
  for (const auto& m : c.members) {
    // The member's items: its expenses first, then its linked cost parts, each by its base.
    std::vector<std::int64_t> weights;
    std::vector<const LinkedCostShare*> linked;
    for (const auto& e : p.expenses) {
      if (e.member_id == m.member_id) weights.push_back(e.eligible_base().cents);
    }
    const std::size_t first_linked = weights.size();
    for (const auto& l : p.linked) {
      if (l.member_id != m.member_id) continue;
      weights.push_back(l.share.cents);
      linked.push_back(&l);
    }
    if (linked.empty()) continue;
    const auto parts = split(counted_aid(c, p.status, m.member_id).cents, weights);
    for (std::size_t k = 0; k < linked.size(); ++k)
      out.push_back({linked[k]->shared_cost_id, m.member_id, Amount{parts[first_linked + k]}});
  }
  return out;
}

Status check_aid_transition(const AidedProject& p, const AidTransition& t, Date today, Amount eligible_base) {
  bool allowed = false;
  switch (t.action) {
    case AidAction::request: allowed = p.status == AidStatus::planned; break;
    case AidAction::grant: allowed = p.status == AidStatus::requested; break;
    case AidAction::pay: allowed = p.status == AidStatus::granted; break;
    case AidAction::refuse: allowed = p.status == AidStatus::requested; break;
    case AidAction::abandon:
      allowed = p.status == AidStatus::planned || p.status == AidStatus::requested || p.status == AidStatus::granted;
      break;
  }
  if (!allowed) {
    return Error::rule_broken(ErrorCode::conflict, "aided_project.transition.not_allowed", "status",
                              "un projet « " + std::string(french_label(p.status)) + " » ne peut pas être " +
                                  (t.action == AidAction::request  ? "demandé"
                                   : t.action == AidAction::grant  ? "accordé (il doit être demandé)"
                                   : t.action == AidAction::pay    ? "versé (il doit être accordé)"
                                   : t.action == AidAction::refuse ? "refusé (il doit être demandé)"
                                                                   : "abandonné"));
  }
  std::vector<FieldError> errors;
  if (!t.on) {
    errors.push_back({"on", "la date de l’étape est obligatoire", "aided_project.date.missing"});
  } else {
    if (*t.on > today) errors.push_back({"on", "ne peut pas être dans le futur", "aided_project.date.future"});
    if (const auto before = previous_step(p); before && *t.on < *before)
      errors.push_back({"on", "ne peut pas précéder l’étape précédente (" + to_french(*before) + ")",
                        "aided_project.date.before_previous"});
  }
  if (t.action == AidAction::grant) {
    if (!t.amount) {
      errors.push_back({"amount", "le montant accordé est obligatoire", "aided_project.grant.amount_missing"});
    } else if (t.amount->cents <= 0) {
      errors.push_back({"amount", "doit être supérieur à zéro (un refus se note refuse)",
                        "aided_project.grant.amount_not_positive"});
    } else if (t.amount->cents > eligible_base.cents) {
      errors.push_back({"amount", "ne peut pas dépasser l’assiette éligible (" + to_french_euros(eligible_base) + ")",
                        "aided_project.grant.exceeds_base"});
    }
  } else if (t.amount) {
    errors.push_back({"amount", "un montant ne se donne qu’à l’accord", "aided_project.amount.not_expected"});
  }
  if (t.action == AidAction::request && eligible_base.cents <= 0)
    errors.push_back({"expenses", "une demande porte sur au moins une dépense éligible ou un frais rattaché",
                      "aided_project.request.no_expense"});
  if (errors.empty()) return ok_status();
  auto code = errors.front().code;
  return Error{ErrorCode::invalid, "changement d’état refusé", std::move(errors), std::move(code)};
}

AidedProject apply_aid_transition(AidedProject p, const AidTransition& t) {
  const Date on = t.on.value_or(p.planned_on);
  switch (t.action) {
    case AidAction::request:
      p.status = AidStatus::requested;
      p.requested_on = on;
      break;
    case AidAction::grant:
      p.status = AidStatus::granted;
      p.granted_on = on;
      p.granted_amount = t.amount;
      break;
    case AidAction::pay:
      p.status = AidStatus::paid;
      p.paid_on = on;
      break;
    case AidAction::refuse:
      p.status = AidStatus::refused;
      p.closed_on = on;
      break;
    case AidAction::abandon:
      p.status = AidStatus::abandoned;
      p.closed_on = on;
      break;
  }
  return p;
}

}  // namespace canopee
