// The calendar against an oracle that knows nothing of <chrono>: a counter walking
// day by day from 1900-01-01 (25,567 days before 1970-01-01: 70 years of 365 days
// plus the 17 leap days 1904…1968) with the month lengths written by hand.
#include <doctest/doctest.h>

#include "engine/date.hpp"

using namespace canopee;

namespace {
unsigned month_length(int year, unsigned month) {
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr unsigned kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap ? 29 : kLengths[month - 1];
}
}  // namespace

TEST_CASE("calendar: every day of 1900–2999 against a day-by-day counter") {
  CivilDate civil{1900, 1, 1};
  std::int32_t days = -25'567;
  int weekday = 1;  // 1900-01-01 was a Monday (0 = Sunday)
  while (civil.year <= 2999) {
    REQUIRE(from_civil(civil).days == days);
    const auto back = to_civil(Date{days});
    REQUIRE(back.year == civil.year);
    REQUIRE(back.month == civil.month);
    REQUIRE(back.day == civil.day);
    // The last Sunday of March and October at 01:00 UTC: summer time starts / ends.
    if ((civil.month == 3 || civil.month == 10) && weekday == 0 &&
        civil.day + 7 > month_length(civil.year, civil.month) && civil.year >= 1996) {
      const Instant change = utc_instant(Date{days}, 1);
      REQUIRE(paris_offset_minutes(add_seconds(change, -1)) == (civil.month == 3 ? 60 : 120));
      REQUIRE(paris_offset_minutes(change) == (civil.month == 3 ? 120 : 60));
    }
    ++days;
    weekday = (weekday + 1) % 7;
    if (++civil.day > month_length(civil.year, civil.month)) {
      civil.day = 1;
      if (++civil.month > 12) {
        civil.month = 1;
        ++civil.year;
      }
    }
  }
  CHECK(days == from_civil({3000, 1, 1}).days);
}

TEST_CASE("calendar: months added clamp to the month's end, across years both ways") {
  CHECK(to_string(add_months(from_civil({2024, 3, 31}), -1)) == "2024-02-29");
  CHECK(to_string(add_months(from_civil({2025, 3, 31}), -13)) == "2024-02-29");
  CHECK(to_string(add_months(from_civil({2026, 12, 15}), 1)) == "2027-01-15");
  CHECK(to_string(add_months(from_civil({2026, 1, 15}), -1)) == "2025-12-15");
  CHECK(to_string(add_months(from_civil({2026, 8, 31}), 48)) == "2030-08-31");
  CHECK(to_string(add_months(from_civil({2026, 10, 31}), 120)) == "2036-10-31");
}
