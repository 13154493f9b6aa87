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
std::string to_french(Date date);  // "15/12/2026", as French readers write a date
// The same day `months` later, clamped to the month's end (2026-01-31 + 1 → 2026-02-28).
Date add_months(Date date, int months);
inline constexpr Date add_days(Date date, int days) { return Date{date.days + days}; }

// An instant, in microseconds since 1970-01-01T00:00:00Z (UTC).
struct Instant {
  std::int64_t micros = 0;
  constexpr auto operator<=>(const Instant&) const = default;
};

inline constexpr std::int64_t kMicrosPerSecond = 1'000'000;
inline constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Midnight UTC of `date`, plus hours, minutes and seconds.
Instant utc_instant(Date date, int hours = 0, int minutes = 0, int seconds = 0);
inline constexpr Instant add_seconds(Instant at, std::int64_t seconds) {
  return Instant{at.micros + seconds * kMicrosPerSecond};
}
inline constexpr Instant add_days(Instant at, int days) { return Instant{at.micros + days * kMicrosPerDay}; }

// Europe/Paris, without tzdata: the EU rule in force since 1996 — summer time
// (+02:00) from the last Sunday of March 01:00 UTC to the last Sunday of October
// 01:00 UTC, otherwise +01:00. Returns the offset in minutes at `utc`.
int paris_offset_minutes(Instant utc);
// The civil date at Paris of an instant (what "the day" means to a French buyer).
Date paris_date(Instant utc);

// An RFC 3339 date-time with its offset ("2027-03-01T11:00:00Z",
// "2027-03-01T12:00:00+01:00", fractions of a second allowed), or a local Paris
// time without offset ("2027-03-01T12:00" or "…T12:00:00"), read with the Paris
// offset of that day, summer time included. A local time in the hour skipped in
// March does not exist and is refused; one in the hour repeated in October is read
// as the first (summer time, +02:00). Errors name `field`.
Result<Instant> parse_date_time(std::string_view text, std::string_view field);
// "2027-03-01T11:00:00Z" (microseconds shown only when not zero).
std::string to_utc_string(Instant at);
// "2027-03-01T12:00:00+01:00": the same instant in Paris time.
std::string to_paris_string(Instant at);
// "01/03/2027 à 12:00 (heure de Paris)": the instant as a French reader is told it.
std::string to_french(Instant at);

}  // namespace canopee
