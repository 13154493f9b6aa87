#include "engine/date.hpp"

#include <cstdio>

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
  const auto fail = [&] { return Error::invalid(std::string(field), "must be a date YYYY-MM-DD"); };
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
  if (year < 1900 || year > 2999) return Error::invalid(std::string(field), "year must be between 1900 and 2999");
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return Error::invalid(std::string(field), "is not a calendar date");
  }
  return from_civil({year, month, day});
}

std::string to_string(Date date) {
  const auto c = to_civil(date);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buffer;
}

Date add_months(Date date, int months) {
  auto c = to_civil(date);
  const int index = c.year * 12 + static_cast<int>(c.month) - 1 + months;
  const int year = index >= 0 ? index / 12 : (index - 11) / 12;
  const auto month = static_cast<unsigned>(index - year * 12 + 1);
  const unsigned day = std::min(c.day, days_in_month(year, month));
  return from_civil({year, month, day});
}

}  // namespace canopee
