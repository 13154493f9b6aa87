#include "engine/framework.hpp"

#include <algorithm>
#include <set>

#include "engine/enum_names.hpp"
#include "engine/need.hpp"
#include "engine/tender.hpp"
#include "engine/text.hpp"

namespace canopee {
namespace {

constexpr auto kBasisNames = enum_names<MaximumBasis>("value", "quantity");

// value × (total / initial) × (10000 + margin) / 10000, half away from zero.
std::int64_t scale_over_duration(std::int64_t value, int total_months, int initial_months, int margin_bp) {
  const int128 num = static_cast<int128>(value) * total_months * (10'000 + margin_bp);
  const int128 den = static_cast<int128>(initial_months) * 10'000;
  return static_cast<std::int64_t>(divide_round_half_away(num, den));
}

// Each member line's part of the lot's estimate (the officer's when set, else the sum of
// the references): split by the members' reference values, by their quantities when none
// has one — to the cent, so that the parts add up to the estimate. When the references
// add up to the estimate, each part is the member's reference value.
std::vector<std::int64_t> member_estimates(const Lot& lot) {
  std::vector<std::int64_t> weights;
  for (const auto& m : lot.members) weights.push_back(m.reference_value.cents);
  if (lot.members.empty()) return weights;
  if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) {
    weights.clear();
    for (const auto& m : lot.members) weights.push_back(m.quantity.thousandths);
  }
  if (auto split = allocate_largest_remainder(lot.estimate().cents, weights)) return *split;
  return std::vector<std::int64_t>(lot.members.size(), 0);
}

const LotBounds* bounds_of(const FrameworkTerms& terms, std::int64_t lot_id) {
  for (const auto& b : terms.lots)
    if (b.lot_id == lot_id) return &b;
  return nullptr;
}

}  // namespace

std::string_view to_string(MaximumBasis basis) { return kBasisNames(basis); }
Result<MaximumBasis> parse_maximum_basis(std::string_view text, std::string_view field) {
  return parse_value(kBasisNames, text, field);
}

std::string to_string(MaximumBasis basis, std::int64_t figure) {
  return basis == MaximumBasis::value ? to_string(Amount{figure}) : to_string(Quantity{figure});
}

int total_duration_months(const Tender& tender) {
  return tender.duration_months + tender.framework_terms.renewals * tender.framework_terms.renewal_months;
}

Status validate_framework_terms(const Tender& tender, const FrameworkTerms& terms) {
  std::vector<FieldError> errors;
  if (terms.renewals < 0 || terms.renewals > kMaxRenewals)
    errors.push_back(
        {"renewals", "de 0 à " + std::to_string(kMaxRenewals) + " reconductions", "framework.renewals.range"});
  if (terms.renewals > 0 && (terms.renewal_months < 1 || terms.renewal_months > kMaxRenewalMonths))
    errors.push_back({"renewal_months", "une reconduction dure de 1 à " + std::to_string(kMaxRenewalMonths) + " mois",
                      "framework.renewal_months.range"});
  if (terms.renewals == 0 && terms.renewal_months != 0)
    errors.push_back(
        {"renewal_months", "sans reconduction, la durée d’une reconduction vaut 0", "framework.renewal_months.range"});
  if (terms.margin_bp < 0 || terms.margin_bp > kMaxMarginBp)
    errors.push_back({"margin", "la marge va de 0 à 1 000 %", "framework.margin.range"});
  const auto length = text_length(terms.duration_justification, true);
  if (!length || *length > kMaxJustificationLength)
    errors.push_back({"duration_justification",
                      "un texte UTF-8 d’au plus " + std::to_string(kMaxJustificationLength) + " caractères",
                      "framework.justification.invalid"});
  std::set<std::int64_t> lots_seen;
  for (std::size_t i = 0; i < terms.lots.size(); ++i) {
    const auto& bounds = terms.lots[i];
    const std::string at = "lots[" + std::to_string(i) + "]";
    const Lot* lot = find_lot(tender, bounds.lot_id);
    if (lot == nullptr) {
      errors.push_back({at + ".lot_id", "n’est pas un lot de cette consultation", "framework.lot.unknown"});
      continue;
    }
    if (!lots_seen.insert(bounds.lot_id).second)
      errors.push_back({at + ".lot_id", "lot nommé deux fois", "framework.lot.duplicate"});
    const std::int64_t limit = bounds.basis == MaximumBasis::value ? kMaxAmount : kMaxQuantity;
    std::set<std::int64_t> members_seen;
    for (std::size_t j = 0; j < bounds.members.size(); ++j) {
      const auto& m = bounds.members[j];
      const std::string mat = at + ".members[" + std::to_string(j) + "]";
      const bool in_lot = std::any_of(lot->members.begin(), lot->members.end(),
                                      [&](const LotMemberLine& line) { return line.member_id == m.member_id; });
      if (!in_lot) {
        errors.push_back({mat + ".member_id", "ce membre n’a pas de besoin dans ce lot", "framework.member.unknown"});
        continue;
      }
      if (!members_seen.insert(m.member_id).second)
        errors.push_back({mat + ".member_id", "membre nommé deux fois", "framework.member.duplicate"});
      if (m.maximum && (*m.maximum <= 0 || *m.maximum > limit))
        errors.push_back({mat + ".maximum", "le maximum est positif (R2162-4)", "framework.maximum.range"});
      if (m.minimum && (*m.minimum < 0 || *m.minimum > limit))
        errors.push_back({mat + ".minimum", "le minimum est positif ou nul", "framework.minimum.range"});
    }
  }
  // A minimum above the maximum that applies (set or derived) can never be honoured.
  if (errors.empty()) {
    Tender with = tender;
    with.framework_terms = terms;
    for (std::size_t i = 0; i < terms.lots.size(); ++i) {
      const LotMaximum maximum = lot_maximum(with, *find_lot(with, terms.lots[i].lot_id));
      for (std::size_t j = 0; j < terms.lots[i].members.size(); ++j) {
        const auto& m = terms.lots[i].members[j];
        if (!m.minimum) continue;
        for (const auto& applied : maximum.members) {
          if (applied.member_id == m.member_id && *m.minimum > applied.maximum) {
            errors.push_back({"lots[" + std::to_string(i) + "].members[" + std::to_string(j) + "].minimum",
                              "le minimum dépasse le maximum (R2162-4)", "framework.minimum.above_maximum"});
          }
        }
      }
    }
  }
  if (errors.empty()) return ok_status();
  Error error{ErrorCode::invalid, "bornes de l’accord-cadre invalides", std::move(errors), "framework.invalid"};
  if (error.fields.size() == 1) {
    error.message = error.fields.front().field + " : " + error.fields.front().message;
    error.rule = error.fields.front().code;
  }
  return error;
}

Status check_framework_duration(const Tender& tender) {
  if (!tender.framework_agreement) return ok_status();
  const int months = total_duration_months(tender);
  if (months <= kFrameworkMaxMonths) return ok_status();
  if (word_characters(tender.framework_terms.duration_justification) >= kMinReasonCharacters) return ok_status();
  return Error::rule_broken(ErrorCode::conflict, "framework.duration.too_long", "duration_justification",
                            "Un accord-cadre dure au plus 4 ans (48 mois), reconductions comprises, sauf cas "
                            "exceptionnel dûment justifié (L2125-1) : " +
                                std::to_string(months) + " mois prévus sans justification.");
}

LotMaximum lot_maximum(const Tender& tender, const Lot& lot) {
  LotMaximum out;
  out.lot_id = lot.id;
  const LotBounds* bounds = bounds_of(tender.framework_terms, lot.id);
  out.basis = bounds ? bounds->basis : MaximumBasis::value;
  const int total = total_duration_months(tender);
  const int initial = std::max(tender.duration_months, 1);
  const int margin = tender.framework_terms.margin_bp;
  const auto estimates = member_estimates(lot);
  for (std::size_t i = 0; i < lot.members.size(); ++i) {
    const auto& line = lot.members[i];
    MemberMaximum m;
    m.member_id = line.member_id;
    m.basis = out.basis;
    const MemberBounds* set = nullptr;
    if (bounds) {
      for (const auto& b : bounds->members)
        if (b.member_id == line.member_id) set = &b;
    }
    if (set) m.minimum = set->minimum;
    const std::int64_t estimate = estimates[i];
    if (out.basis == MaximumBasis::value) {
      m.from_estimate = !(set && set->maximum);
      m.maximum = m.from_estimate ? scale_over_duration(estimate, total, initial, margin) : *set->maximum;
      m.value = Amount{m.maximum};
    } else {
      m.from_estimate = !(set && set->maximum);
      m.maximum = m.from_estimate ? scale_over_duration(line.quantity.thousandths, total, initial, margin)
                                  : *set->maximum;
      // At the member's estimated unit price: its estimate for its quantity.
      m.value = Amount{
          static_cast<std::int64_t>(divide_round_half_away(static_cast<int128>(estimate) * m.maximum,
                                                           std::max<std::int64_t>(line.quantity.thousandths, 1)))};
    }
    out.maximum += m.maximum;
    out.value += m.value;
    out.members.push_back(m);
  }
  if (lot.members.empty()) {  // a lot read without its lines: the whole estimate
    out.value = Amount{scale_over_duration(lot.estimate().cents, total, initial, margin)};
    out.maximum = out.basis == MaximumBasis::value
                      ? out.value.cents
                      : scale_over_duration(lot.quantity.thousandths, total, initial, margin);
  }
  return out;
}

Amount lot_procedure_value(const Tender& tender, const Lot& lot) {
  if (tender.framework_agreement) return lot_maximum(tender, lot).value;
  return Amount{
      scale_over_duration(lot.estimate().cents, total_duration_months(tender), std::max(tender.duration_months, 1), 0)};
}

}  // namespace canopee
