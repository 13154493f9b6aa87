#pragma once
// A framework agreement's bounds (accord-cadre à bons de commande): its duration with
// renewals (L2125-1, R2112-4) and each member's maximum and optional minimum per lot
// (R2162-4), in value or in quantity. A maximum the officer does not set is derived
// from the member's estimate over the whole duration, with the officer's margin, and
// shown as such. The procedure is chosen on the maxima (R2121-1, R2121-8).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

struct Tender;
struct Lot;

// A maximum counted in euros HT (cents) or in the lot's unit (thousandths).
enum class MaximumBasis : std::uint8_t { value, quantity };
std::string_view to_string(MaximumBasis basis);
Result<MaximumBasis> parse_maximum_basis(std::string_view text, std::string_view field);
// A figure in a basis as the API writes it: euros "1234.50" or a quantity "12.5".
std::string to_string(MaximumBasis basis, std::int64_t figure);

// A member's bounds on a lot as the officer set them, in the lot's basis; an absent
// maximum is derived from the estimate.
struct MemberBounds {
  std::int64_t member_id = 0;
  std::optional<std::int64_t> maximum;
  std::optional<std::int64_t> minimum;
  bool operator==(const MemberBounds&) const = default;
};

struct LotBounds {
  std::int64_t lot_id = 0;
  MaximumBasis basis = MaximumBasis::value;
  std::vector<MemberBounds> members;  // by member id, only those the officer set
  bool operator==(const LotBounds&) const = default;
};

struct FrameworkTerms {
  int renewals = 0;        // how many times the contract may be renewed (reconductions, R2112-4)
  int renewal_months = 0;  // the length of each renewal
  // Why a framework agreement lasts more than 4 years (L2125-1: "sauf dans des cas
  // exceptionnels dûment justifiés"); recorded, never implied.
  std::string duration_justification;
  int margin_bp = 0;            // the margin on the estimate of a derived maximum, 1/100 %: 2000 = +20 %
  std::vector<LotBounds> lots;  // by lot id, only those the officer set
  bool operator==(const FrameworkTerms&) const = default;
};

inline constexpr int kMaxRenewals = 10;
inline constexpr int kMaxRenewalMonths = 120;
inline constexpr int kMaxMarginBp = 100'000;  // +1,000 %
inline constexpr int kFrameworkMaxMonths = 48;
inline constexpr std::size_t kMaxJustificationLength = 4000;  // code points

// The initial duration plus every renewal, in months (R2112-4: renewals count in the
// duration, R2121-1: and in the value).
int total_duration_months(const Tender& tender);

// The terms are well formed against the tender: renewals 0–10 of 1–120 months each,
// margin 0–100,000 bp, each lot and member bound named once and belonging to the
// tender, maxima positive, minima at most the maximum. Errors name the field
// ("renewals", "lots[i].members[j].maximum", …) with codes framework.*.
Status validate_framework_terms(const Tender& tender, const FrameworkTerms& terms);

// L2125-1: a framework agreement lasts at most 4 years, renewals included, unless the
// exception is justified (at least kMinReasonCharacters letters or digits): conflict
// `framework.duration.too_long` at publication.
Status check_framework_duration(const Tender& tender);

// A member's maximum on a lot as it applies.
struct MemberMaximum {
  std::int64_t member_id = 0;
  MaximumBasis basis = MaximumBasis::value;
  std::int64_t maximum = 0;             // cents or thousandths of the unit
  std::optional<std::int64_t> minimum;  // same
  bool from_estimate = false;           // derived from the estimate with the margin
  Amount value;                         // the maximum in euros HT (a quantity maximum at the estimated unit price)
};

struct LotMaximum {
  std::int64_t lot_id = 0;
  MaximumBasis basis = MaximumBasis::value;
  std::vector<MemberMaximum> members;  // by member id
  std::int64_t maximum = 0;            // Σ members, in the basis
  Amount value;                        // Σ members' values
};

// Each member's maximum on the lot: the officer's, or its part of the lot's estimate
// (the officer's estimate split by the members' reference values to the cent) over
// the whole duration with renewals, plus the margin — rounded half away from zero.
LotMaximum lot_maximum(const Tender& tender, const Lot& lot);

// The value the procedure is chosen on, per lot: the maximum for a framework agreement
// (R2121-8), else the estimate over the whole duration with renewals (R2121-1).
Amount lot_procedure_value(const Tender& tender, const Lot& lot);

}  // namespace canopee
