#pragma once
// Modifications of a member's contract (avenants) under the Code de la commande
// publique, R2194-1 to R2194-9. A modification is recorded with its ground, each
// ground with its own conditions and limits:
//   review_clause    R2194-1  as written in the contract's review clause: no cap, the clause named
//   additional       R2194-2  additional works, supplies or services: each modification at most
//                             50 % of the initial amount (R2194-3, per modification, not cumulated)
//   unforeseen       R2194-5  circumstances a diligent buyer could not foresee: the same 50 %
//                             (R2194-5 refers to R2194-3; TO CONFIRM against the official text)
//   holder_change    R2194-6  a new holder replaces the original one: nothing else changes
//   non_substantial  R2194-7  not substantial (R2194-7 lists what is): justified; an increase is
//                             kept below the de minimis share (a product rule, docs/procurement.md)
//   de_minimis       R2194-8  below the EU threshold in force and below 10 % (supplies, services)
//                             or 15 % (works) of the initial amount, the de minimis modifications
//                             of the contract cumulated (R2194-9)
// Every figure is in the contract's maximum basis (engine/framework.hpp: cents of euro HT
// or thousandths of the unit); the limits compare magnitudes, so that a decrease followed
// by an increase cannot pass more than the limit allows (TO CONFIRM: the code speaks of
// "le montant de la modification"). The initial amount is the contract's as awarded, not
// revised (R2194-4 on indexation: TO CONFIRM). No floating point.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aggregation.hpp"
#include "engine/date.hpp"
#include "engine/framework.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class ModificationGround : std::uint8_t {
  review_clause,
  additional,
  unforeseen,
  holder_change,
  non_substantial,
  de_minimis,
};
std::string_view to_string(ModificationGround ground);
Result<ModificationGround> parse_modification_ground(std::string_view text, std::string_view field);
std::string_view french_label(ModificationGround ground);  // « clause de réexamen », …
std::string_view article(ModificationGround ground);       // "R2194-1", …

struct Modification {
  std::int64_t number = 0;  // 1, 2, … in the contract, in the order they were signed
  ModificationGround ground = ModificationGround::review_clause;
  std::string object;            // what changes (required)
  std::string justification;     // why the ground applies (required except review_clause and de_minimis)
  std::string clause_reference;  // the review clause applied (review_clause)
  Date signed_on;
  std::int64_t amount_change = 0;  // in the contract's basis; may be negative
  int months_change = 0;           // the duration added, in months (≥ 0)
  bool operator==(const Modification&) const = default;
};

inline constexpr std::size_t kMaxModificationObject = 1000;  // code points
inline constexpr std::size_t kMaxClauseReference = 200;      // code points
inline constexpr std::size_t kMaxModificationJustification = 4000;
inline constexpr int kMaxMonthsChange = 120;
inline constexpr std::int64_t kMaxModificationsPerContract = 200;
inline constexpr int kAdditionalLimitPercent = 50;  // R2194-3
inline constexpr int kDeMinimisPercent = 10;        // R2194-8, supplies and services
inline constexpr int kDeMinimisWorksPercent = 15;   // R2194-8, works

// The contract the rules read: its initial figures and where it stands.
struct ModifiedContract {
  MaximumBasis basis = MaximumBasis::value;
  std::int64_t initial = 0;  // the initial maximum (framework) or amount, in the basis; > 0
  Amount initial_value;      // the same in euros HT (a quantity basis: at the contract's prices)
  PurchaseKind kind = PurchaseKind::supplies;
  int initial_months = 0;  // renewals included
  std::optional<Date> notified_on;
  std::int64_t consumed = 0;  // ordered (sent, not cancelled), in the basis
};

// The shape of a modification: the object (1–1000 characters, one line), the
// justification (at most 4000), the clause reference (at most 200, one line), the
// change within the limits of money.hpp, the months 0–120. Errors name the field with
// codes modification.*.
Status validate_modification(const Modification& modification);

// Whether `proposed` may be recorded after `recorded` (in their order): its shape, the
// contract in force (notified, R2182-4) and not ended, signed on or after the previous
// modification and not in the future, its ground's conditions and limits (the EU
// threshold in force on its day for de_minimis: the use case reads it), the new maximum
// positive and not below what was already ordered. Each refusal names its article.
Status check_modification(const ModifiedContract& contract, std::span<const Modification> recorded,
                          const Modification& proposed, Amount eu_threshold, Date today);

// The de minimis share of the initial amount for a kind of purchase, in percent.
int de_minimis_percent(PurchaseKind kind);
// A change in the basis in euros HT: itself for a value basis; for a quantity basis, at
// the initial value per unit (initial_value × change / initial, to the cent).
Amount value_of_change(const ModifiedContract& contract, std::int64_t change);
// `part` as a share of `whole` in hundredths of a percent, half away from zero (whole > 0).
std::int64_t percent_hundredths(std::int64_t part, std::int64_t whole);
// Hundredths of a percent as a decimal string: 1234 → "12.34", -50 → "-0.50".
std::string percent_text(std::int64_t hundredths);

// The cumulative effect of a contract's modifications.
struct ModificationLine {
  Modification modification;
  std::int64_t percent_hundredths = 0;  // amount_change as a share of the initial
  std::int64_t amount_after = 0;        // the maximum or amount once it applies
  int months_after = 0;                 // the duration once it applies
};
struct ModificationSummary {
  MaximumBasis basis = MaximumBasis::value;
  std::int64_t initial = 0;
  int initial_months = 0;
  std::vector<ModificationLine> lines;
  std::int64_t cumulative_change = 0;
  std::int64_t cumulative_percent_hundredths = 0;
  std::int64_t current = 0;  // initial + cumulative change
  int months_change = 0;
  int current_months = 0;
  std::int64_t de_minimis_cumulative = 0;  // Σ |change| of the de minimis modifications (R2194-9)
};
ModificationSummary summarise_modifications(const ModifiedContract& contract, std::span<const Modification> recorded);

}  // namespace canopee
