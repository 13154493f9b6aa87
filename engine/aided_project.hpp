#pragma once
// Aided projects (issue 19 items 6 and 7): what the CGLLS's Fonds de soutien à
// l'innovation funds — a study, assistance, engineering, a digital tool — with its
// members, whether it is an inter-organisation (collective) action, its eligible
// expenses, the shared costs of joint tenders that belong to it, the rate that
// applies, the caps, and the status of the aid: planned → requested → granted →
// paid, or refused / abandoned.
//
// The rules (docs/reports.md, « Subvention CGLLS »):
// - Rate: the collective rate when the project is an inter-organisation action, the
//   individual rate otherwise (settings `subsidy.collective_rate_bp`, default 60 %,
//   and `subsidy.single_rate_bp`, default 40 %), or a rate set on the project with a
//   reason (the CGLLS's decision may differ from its schedule).
// - Eligible base: each expense HT when its VAT is recoverable, TTC (HT + VAT) when it
//   is not (an OPH's rental activity does not recover most VAT); a linked shared cost
//   counts HT (shared costs are recorded HT).
// - Projected subsidy = min(rate × eligible base, project cap, the largest total whose
//   pro-rata split leaves every member within what is left of its rolling cap); split
//   between the members pro rata to their share of the eligible base, to the cent
//   (largest remainder). Caps are settings (`aid.project_cap_cents`,
//   `aid.member_cap_cents` over `aid.member_cap_months`); none is built in.
// - Rolling cap: a member's aid counted over the N months ending on the project's
//   anchor date (its request date, else its planned date): an aid dated D counts when
//   anchor − N months < D ≤ anchor.
// - Only a granted (or paid) aid is money: the granted amount, which may differ from
//   the computed one, is what the savings report nets; planned and requested aid is
//   shown apart as projected; refused and abandoned aid counts nowhere.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/date.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class AidKind : std::uint8_t { study, assistance, engineering, digital_tool, other };
enum class AidStatus : std::uint8_t { planned, requested, granted, paid, refused, abandoned };
enum class AidAction : std::uint8_t { request, grant, pay, refuse, abandon };
std::string_view to_string(AidKind kind);
std::string_view to_string(AidStatus status);
std::string_view to_string(AidAction action);
std::string_view french_label(AidStatus status);
Result<AidKind> parse_aid_kind(std::string_view text, std::string_view field);
Result<AidStatus> parse_aid_status(std::string_view text, std::string_view field);
Result<AidAction> parse_aid_action(std::string_view text, std::string_view field);
// Whether the aid is money (granted, paid) or a projection (planned, requested).
bool aid_is_granted(AidStatus status);
bool aid_is_projected(AidStatus status);

inline constexpr std::size_t kMaxAidTitle = 200;
inline constexpr std::size_t kMaxAidReason = 500;
inline constexpr std::size_t kMaxAidMembers = 50;
inline constexpr std::size_t kMaxAidExpenses = 200;

struct AidExpense {
  std::int64_t id = 0;
  std::int64_t member_id = 0;  // the member who bears it
  std::string label;
  Amount amount_ht;
  Amount vat;                               // in cents (computed from vat_rate_bp when given as a rate)
  std::optional<std::int64_t> vat_rate_bp;  // 2000 = 20 %, when the VAT was given as a rate
  bool vat_recoverable = true;
  // HT when the VAT is recoverable, TTC otherwise.
  Amount eligible_base() const { return vat_recoverable ? amount_ht : amount_ht + vat; }
};
// HT × rate, half away from zero.
Amount vat_from_rate(Amount amount_ht, std::int64_t rate_bp);

// A member's part of a shared cost linked to the project (HT).
struct LinkedCostShare {
  std::int64_t shared_cost_id = 0;
  std::int64_t member_id = 0;
  Amount share;
};

struct AidedProject {
  std::int64_t id = 0;
  std::int64_t version = 1;
  AidKind kind = AidKind::study;
  std::string title;
  std::vector<std::int64_t> members;  // by id
  bool collective = false;            // an inter-organisation action
  std::optional<std::int64_t> rate_override_bp;
  std::string rate_reason;  // required with an override
  Date planned_on;
  AidStatus status = AidStatus::planned;
  std::optional<Date> requested_on, granted_on, paid_on, closed_on;  // closed: refused or abandoned
  std::optional<Amount> granted_amount;
  std::vector<AidExpense> expenses;
  std::vector<LinkedCostShare> linked;  // the members' parts of the linked shared costs

  // The date the rolling cap is counted back from: the request, else the plan.
  Date cap_anchor() const { return requested_on.value_or(planned_on); }
};

struct AidSettings {
  std::int64_t collective_rate_bp = 6000;  // settings subsidy.collective_rate_bp
  std::int64_t individual_rate_bp = 4000;  // settings subsidy.single_rate_bp
  std::optional<Amount> project_cap;       // aid.project_cap_cents
  std::optional<Amount> member_cap;        // aid.member_cap_cents, over …
  std::optional<int> member_cap_months;    // … aid.member_cap_months (both, or no rolling cap)
  bool rolling_cap() const { return member_cap && member_cap_months && *member_cap_months > 0; }
};

// Title, kind, members (1 to 50, distinct; two at least for a collective action),
// rate override (0–100 %, with a reason), expenses (label, HT > 0, VAT ≥ 0, borne by
// a member of the project). Every problem at once, codes `aided_project.*`.
Status validate_aided_project(const AidedProject& project);
Status validate_aid_expense(const AidExpense& expense, std::span<const std::int64_t> members, std::string_view at);

// Editing (fields, members, expenses, linked costs) is for a planned project only.
Status check_aid_editable(const AidedProject& project);

// The rate that applies: the override, else collective or individual.
std::int64_t applied_rate_bp(const AidedProject& project, const AidSettings& settings);

// Another project's aid to a member, dated by that project's anchor.
struct PriorAid {
  std::int64_t member_id = 0;
  Date on;
  Amount amount;
};

enum class AidLimit : std::uint8_t { rate, project_cap, member_cap };
std::string_view to_string(AidLimit limit);

struct MemberAid {
  std::int64_t member_id = 0;
  Amount eligible_base;
  std::optional<Amount> cap_used;  // other aid within the window (rolling cap only)
  std::optional<Amount> cap_left;  // member cap − used, never below 0
  Amount projected;
  std::optional<Amount> granted;  // the granted amount's part, once granted
};

struct AidComputation {
  Amount eligible_base;
  std::int64_t rate_bp = 0;
  Amount at_rate;  // rate × base, half away from zero
  std::optional<Amount> project_cap;
  Amount projected;
  AidLimit limited_by = AidLimit::rate;
  std::optional<Date> window_from, window_to;  // the rolling window, both days included
  std::vector<MemberAid> members;              // in the project's members' order
  std::optional<Amount> granted;
};

// The projected subsidy and its split (and the granted amount's split once granted).
// `prior` is the other projects' aid to the members; only what falls in the window counts.
AidComputation compute_aid(const AidedProject& project, const AidSettings& settings, std::span<const PriorAid> prior);

// The aid that counts for each member: the granted split when granted or paid, the
// projected one when planned or requested, nothing when refused or abandoned.
Amount counted_aid(const AidComputation& computation, AidStatus status, std::int64_t member_id);

// A member's counted aid spread over its items (expenses and linked cost parts) by
// their eligible base: what each linked shared cost's part receives, to the cent.
struct LinkedCostAid {
  std::int64_t shared_cost_id = 0;
  std::int64_t member_id = 0;
  Amount subsidy;
};
std::vector<LinkedCostAid> linked_cost_aid(const AidedProject& project, const AidComputation& computation);

// A status change, dated (and with the amount for a grant).
struct AidTransition {
  AidAction action = AidAction::request;
  std::optional<Date> on;
  std::optional<Amount> amount;
};
// planned → requested → granted → paid; requested → refused; planned, requested or
// granted → abandoned. The date is required, not in the future, and not before the
// previous step's; a grant needs its amount (> 0, at most the eligible base).
Status check_aid_transition(const AidedProject& project, const AidTransition& transition, Date today,
                            Amount eligible_base);
// The project after the transition (checked first).
AidedProject apply_aid_transition(AidedProject project, const AidTransition& transition);

}  // namespace canopee
