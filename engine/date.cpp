#include "engine/date.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

namespace canopee {
namespace {

namespace chr = std::chrono;

Date from_days(chr::sys_days days) { return Date{static_cast<std::int32_t>(days.time_since_epoch().count())}; }

}  // namespace

// The proleptic Gregorian calendar of <chrono> (C++20): sys_days counts days since
// 1970-01-01 as Date does.
Date from_civil(CivilDate c) {
  return from_days(chr::sys_days{chr::year{c.year} / chr::month{c.month} / chr::day{c.day}});
}

CivilDate to_civil(Date date) {
  const chr::year_month_day ymd{chr::sys_days{chr::days{date.days}}};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
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
  const chr::year_month_day civil{chr::year{year}, chr::month{month}, chr::day{day}};
  if (!civil.ok()) return Error::invalid(std::string(field), "n’est pas une date du calendrier", "date.not_a_date");
  return from_days(chr::sys_days{civil});
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
  const chr::year_month_day ymd{chr::sys_days{chr::days{date.days}}};
  const chr::year_month moved = ymd.year() / ymd.month() + chr::months{months};
  return from_days(chr::sys_days{moved / std::min(ymd.day(), (moved / chr::last).day())});
}

namespace {

constexpr std::int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;

// The last Sunday of `month` in `year`, 01:00 UTC (the EU changeover instant).
Instant changeover(int year, unsigned month) {
  return utc_instant(from_days(chr::sys_days{chr::year{year} / chr::month{month} / chr::Sunday[chr::last]}), 1);
}

Date floor_date(Instant at) {
  return from_days(chr::floor<chr::days>(chr::sys_time<chr::microseconds>{chr::microseconds{at.micros}}));
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

std::string to_french(Instant at) {
  const Instant local{at.micros + paris_offset_minutes(at) * kMicrosPerMinute};
  const Date day = floor_date(local);
  const auto minutes = (local.micros - static_cast<std::int64_t>(day.days) * kMicrosPerDay) / (60 * kMicrosPerSecond);
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return to_french(day) + " à " + clock + " (heure de Paris)";
}

}  // namespace canopee
