#pragma once
// Price forms and their revision (R2112-9 to R2112-14 of the Code de la commande publique).
//
//   firm               prix ferme (R2112-10): never changes.
//   firm_actualisable  prix ferme actualisable (R2112-11): actualised once, when more than three
//                      months pass between the month the bid fixed its price (the mois zéro) and
//                      the start of execution, on the index of the month three months before
//                      that start.
//   revisable          prix révisable (R2112-13, R2112-14): P = P0 × (a + (1 − a) × I / I0) on a
//                      published index, revised on a schedule (first revision, then every
//                      `periodicity_months`).
//
// Exact arithmetic: index values are integers in 1/10,000, the coefficient is a rational of
// integers, the revised unit price is rounded half away from zero once, at the end. Pure: no I/O.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/date.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class PriceKind : std::uint8_t { firm, firm_actualisable, revisable };
std::string_view to_string(PriceKind kind);
std::string_view french_label(PriceKind kind);  // « prix ferme », …
Result<PriceKind> parse_price_kind(std::string_view text, std::string_view field);

// A calendar month, as indices are published.
struct YearMonth {
  int year = 1970;
  unsigned month = 1;  // 1–12
  constexpr auto operator<=>(const YearMonth&) const = default;
};
// Strict YYYY-MM, years 1900–2999; errors name `field` (code `month.invalid`).
Result<YearMonth> parse_year_month(std::string_view text, std::string_view field);
std::string to_string(YearMonth month);  // "2026-01"
std::string to_french(YearMonth month);  // "janvier 2026"
YearMonth month_of(Date date);           // the month a day falls in
Date first_day(YearMonth month);         // its 1st
YearMonth add_months(YearMonth month, int months);

// Index values: 1/10,000 of a point, strictly positive, at most 10,000,000 points.
inline constexpr int kIndexScale = 4;
inline constexpr std::int64_t kMaxIndexValue = 100'000'000'000;
// "131.2", "131,2", "98.45" exactly (at most four decimals); errors name `field`.
Result<std::int64_t> parse_index_value(std::string_view text, std::string_view field);
std::string french_index_value(std::int64_t value);  // "131,2", "98,45", "100"
// 1 to 20 characters among A–Z, 0–9, '_' and '-' (BT01, TP01, ICHT-E…).
Status check_index_code(std::string_view code, std::string_view field);

inline constexpr std::int64_t kBasisPoints = 10'000;  // the fixed part `a` is in 1/10,000
inline constexpr int kMaxPeriodicityMonths = 120;

// A lot's price form, part of the consultation (set while the tender is a draft).
struct PriceTerms {
  PriceKind kind = PriceKind::firm;
  std::int64_t fixed_part_bp = 0;         // a, 0–10,000 (1,250 = 12.5 %)
  std::string index_code;                 // revisable and actualisable: the index
  std::optional<YearMonth> base_month;    // the mois zéro, month of I0
  std::optional<Date> first_revision_on;  // revisable: the first revision; actualisable: the start of execution
  std::optional<int> periodicity_months;  // revisable: months between revisions
  bool operator==(const PriceTerms&) const = default;
};

// Codes `price_terms.*`: fixed_part, index_code, base_month, first_revision_on,
// periodicity_months (each out of range or missing), `price_terms.firm_has_formula` when a
// firm price carries any of them.
Status check_price_terms(const PriceTerms& terms);

// Whether a firm price fixed in `base_month` is actualised for an execution starting on
// `start` (R2112-11: more than three months between them). The price is taken as fixed on the
// first day of the mois zéro — TO CONFIRM: the exact day the bid fixed its price (CE 31 Oct
// 2024 n°491280: the final offer after a negotiation on price) is not recorded.
bool actualisation_applies(YearMonth base_month, Date start);

// The revision date in force on `day`: the latest date on the schedule that is ≤ `day`
// (revisable: first_revision_on + k × periodicity; actualisable: the start of execution when
// actualisation applies), or none (the price as awarded).
std::optional<Date> revision_in_force(const PriceTerms& terms, Date day);
// Whether `effective_on` is a date of the schedule (revision.not_on_schedule otherwise, or
// revision.firm for a firm price).
Status check_on_schedule(const PriceTerms& terms, Date effective_on);
// The month whose index value the revision dated `effective_on` uses: revisable, the month of
// the revision date (TO CONFIRM: some CCAPs take the last published month); actualisable, the
// month three months before the start of execution (R2112-11).
YearMonth index_month_for(const PriceTerms& terms, Date effective_on);

// P = P0 × num / den, with num = a × I0 + (10,000 − a) × I and den = 10,000 × I0.
struct Revision {
  Date effective_on;
  YearMonth index_month;
  std::int64_t base_value = 0;   // I0
  std::int64_t index_value = 0;  // I
  std::int64_t coefficient_num = 0;
  std::int64_t coefficient_den = 1;
};

// The revision dated `effective_on` from the index values found (none: not loaded), or
// `revision.index_missing` naming the index and month in French.
Result<Revision> compute_revision(const PriceTerms& terms, Date effective_on, std::optional<std::int64_t> base_value,
                                  std::optional<std::int64_t> index_value);
// P0 × coefficient rounded half away from zero; `revision.price_out_of_range` beyond kMaxUnitPrice.
Result<UnitPrice> revised_price(const Revision& revision, UnitPrice base_price);
// The coefficient to five decimals, French: "1,02801" (for people; never computed with).
std::string french_coefficient(const Revision& revision);
// « P = P0 × (0,125 + 0,875 × I / I0) ; I0 = BT01 de janvier 2026 = 131,2 ; I = BT01 de janvier
// 2027 = 135,4 ; coefficient 1,02801 ; 12,3400 € → 12,6857 € HT » (« P = P0 × I / I0 » without a fixed part)
// The same without the prices, for the revision of the whole lot: « P = P0 × (…) ; I0 = … ; I = … ;
// coefficient 1,02801 ».
std::string explain_coefficient(const PriceTerms& terms, const Revision& revision);
std::string explain_revision(const PriceTerms& terms, const Revision& revision, UnitPrice base_price,
                             UnitPrice revised);
std::string french_unit_price(UnitPrice price);  // "12,3400 €" (no-break space)

}  // namespace canopee
