#include "engine/date.hpp"

#include <cstdio>
#include <optional>

namespace canopee {
namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

// Days-from-civil and its inverse: the era-based algorithms of the proleptic
// Gregorian calendar (400-year eras of 146,097 days).
Date from_civil(CivilDate c) {
  const int y = c.year - (c.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = c.month > 2 ? c.month - 3 : c.month + 9;
  const unsigned doy = (153 * mp + 2) / 5 + c.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

CivilDate to_civil(Date date) {
  const int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

Result<Date> parse_date(std::string_view text, std::string_view field) {
  const auto fail = [&] { return Error::invalid(std::string(field), "doit être une date AAAA-MM-JJ", "date.format"); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return fail();
  int values[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int part = 0; part < 3; ++part) {
    for (std::size_t i = 0; i < lengths[part]; ++i) {
      const char c = text[starts[part] + i];
      if (c < '0' || c > '9') return fail();
      values[part] = values[part] * 10 + (c - '0');
    }
  }
  const int year = values[0];
  const auto month = static_cast<unsigned>(values[1]);
  const auto day = static_cast<unsigned>(values[2]);
  if (year < 1900 || year > 2999)
    return Error::invalid(std::string(field), "l’année doit être entre 1900 et 2999", "date.year.out_of_range");
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return Error::invalid(std::string(field), "n’est pas une date du calendrier", "date.not_a_date");
  }
  return from_civil({year, month, day});
}

std::string to_string(Date date) {
  const auto c = to_civil(date);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buffer;
}

std::string to_french(Date date) {
  const auto c = to_civil(date);
  const auto two = [](unsigned n) {
    return std::string{static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)};
  };
  return two(c.day) + "/" + two(c.month) + "/" + std::to_string(c.year);
}

Date add_months(Date date, int months) {
  auto c = to_civil(date);
  const int index = c.year * 12 + static_cast<int>(c.month) - 1 + months;
  const int year = index >= 0 ? index / 12 : (index - 11) / 12;
  const auto month = static_cast<unsigned>(index - year * 12 + 1);
  const unsigned day = std::min(c.day, days_in_month(year, month));
  return from_civil({year, month, day});
}

namespace {

constexpr std::int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;

// The last Sunday of `month` in `year`, 01:00 UTC (the EU changeover instant).
Instant changeover(int year, unsigned month) {
  const Date last = from_civil({year, month, days_in_month(year, month)});
  // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
  const int weekday = ((last.days + 4) % 7 + 7) % 7;
  return utc_instant(add_days(last, -weekday), 1);
}

Date floor_date(Instant at) {
  const std::int64_t days = at.micros >= 0 ? at.micros / kMicrosPerDay
                                           : (at.micros - kMicrosPerDay + 1) / kMicrosPerDay;
  return Date{static_cast<std::int32_t>(days)};
}

std::string format_local(Instant local, bool with_micros) {
  const Date day = floor_date(local);
  const std::int64_t in_day = local.micros - static_cast<std::int64_t>(day.days) * kMicrosPerDay;
  const auto seconds = in_day / kMicrosPerSecond;
  const auto fraction = in_day % kMicrosPerSecond;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d", to_string(day).c_str(), static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  std::string out = buffer;
  if (with_micros && fraction != 0) {
    std::snprintf(buffer, sizeof buffer, ".%06d", static_cast<int>(fraction));
    out += buffer;
  }
  return out;
}

// `count` digits at `at`, or nothing.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Instant utc_instant(Date date, int hours, int minutes, int seconds) {
  return Instant{static_cast<std::int64_t>(date.days) * kMicrosPerDay +
                 ((static_cast<std::int64_t>(hours) * 60 + minutes) * 60 + seconds) * kMicrosPerSecond};
}

int paris_offset_minutes(Instant utc) {
  const int year = to_civil(floor_date(utc)).year;
  return utc >= changeover(year, 3) && utc < changeover(year, 10) ? 120 : 60;
}

Date paris_date(Instant utc) { return floor_date(Instant{utc.micros + paris_offset_minutes(utc) * kMicrosPerMinute}); }

Result<Instant> parse_date_time(std::string_view text, std::string_view field) {
  const auto fail = [&] {
    return Error::invalid(std::string(field),
                          "doit être une date et heure, par exemple 2027-03-01T12:00 (heure de Paris) ou "
                          "2027-03-01T12:00:00+01:00",
                          "date_time.format");
  };
  if (text.size() < 16 || text.size() > 35 || text[10] != 'T' || text[13] != ':') return fail();
  auto date = parse_date(text.substr(0, 10), field);
  if (!date) return std::move(date).error();
  const auto hours = digits(text, 11, 2), minutes = digits(text, 14, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return fail();
  std::size_t at = 16;
  int seconds = 0;
  std::int64_t fraction = 0;
  if (at < text.size() && text[at] == ':') {
    const auto s = digits(text, at + 1, 2);
    if (!s || *s > 59) return fail();
    seconds = *s;
    at += 3;
    if (at < text.size() && text[at] == '.') {
      ++at;
      std::size_t n = 0;
      std::int64_t scale = kMicrosPerSecond;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        if (n < 6) {
          scale /= 10;
          fraction += (text[at] - '0') * scale;
        }
        ++n;
        ++at;
      }
      if (n == 0 || n > 9) return fail();
    }
  }
  const Instant local{utc_instant(*date, *hours, *minutes, seconds).micros + fraction};
  if (at == text.size()) {
    // Local Paris time: try winter then summer time; keep the readings that map back.
    const Instant summer{local.micros - 120 * kMicrosPerMinute}, winter{local.micros - 60 * kMicrosPerMinute};
    if (paris_offset_minutes(summer) == 120) return summer;  // the first of a repeated hour
    if (paris_offset_minutes(winter) == 60) return winter;
    return Error::invalid(std::string(field), "cette heure n’existe pas à Paris (on avance les horloges d’une heure)",
                          "date_time.nonexistent");
  }
  if (text[at] == 'Z' && at + 1 == text.size()) return local;
  if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    const auto oh = digits(text, at + 1, 2), om = digits(text, at + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return fail();
    const std::int64_t offset = (*oh * 60 + *om) * kMicrosPerMinute;
    return Instant{text[at] == '+' ? local.micros - offset : local.micros + offset};
  }
  return fail();
}

std::string to_utc_string(Instant at) { return format_local(at, true) + "Z"; }

std::string to_paris_string(Instant at) {
  const int offset = paris_offset_minutes(at);
  return format_local(Instant{at.micros + offset * kMicrosPerMinute}, false) + (offset == 120 ? "+02:00" : "+01:00");
}

}  // namespace canopee
