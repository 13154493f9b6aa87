#pragma once
// Calendar dates (proleptic Gregorian), as days since 1970-01-01.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace canopee {

struct Date {
  std::int32_t days = 0;  // since 1970-01-01
  constexpr auto operator<=>(const Date&) const = default;
};

struct CivilDate {
  int year;
  unsigned month;  // 1–12
  unsigned day;    // 1–31
};

Date from_civil(CivilDate civil);
CivilDate to_civil(Date date);
// Strict YYYY-MM-DD with a real calendar day, years 1900–2999; errors name `field`.
Result<Date> parse_date(std::string_view text, std::string_view field);
std::string to_string(Date date);
// The same day `months` later, clamped to the month's end (2026-01-31 + 1 → 2026-02-28).
Date add_months(Date date, int months);
inline constexpr Date add_days(Date date, int days) { return Date{date.days + days}; }

}  // namespace canopee
