#include <doctest/doctest.h>

#include "engine/date.hpp"

using namespace canopee;

TEST_CASE("dates parse strictly and round-trip") {
  auto d = parse_date("2026-08-21", "launch_date");
  REQUIRE(d.ok());
  CHECK(to_string(*d) == "2026-08-21");
  CHECK(parse_date("1970-01-01", "x")->days == 0);
  CHECK(parse_date("2000-03-01", "x")->days == 11017);  // 30 years incl. 7 leap days + Jan, Feb 2000
  CHECK(parse_date("2024-02-29", "x").ok());
  for (const char* bad : {"2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026/01/01", "2026-1-01",
                          "2026-01-01T00:00", "", "1899-12-31", "abcd-ef-gh"}) {
    CAPTURE(bad);
    auto r = parse_date(bad, "period_start");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().fields.at(0).field == "period_start");
  }
}

TEST_CASE("every day from 1990 to 2100 converts to civil and back") {
  const Date first = *parse_date("1990-01-01", "x");
  const Date last = *parse_date("2100-12-31", "x");
  for (Date day = first; day <= last; day = add_days(day, 1)) {
    const auto civil = to_civil(day);
    REQUIRE(from_civil(civil) == day);
    REQUIRE(*parse_date(to_string(day), "x") == day);
  }
}

TEST_CASE("adding months clamps to the end of the month") {
  CHECK(to_string(add_months(*parse_date("2026-01-31", "x"), 1)) == "2026-02-28");
  CHECK(to_string(add_months(*parse_date("2028-01-31", "x"), 1)) == "2028-02-29");
  CHECK(to_string(add_months(*parse_date("2026-01-15", "x"), 48)) == "2030-01-15");
  CHECK(to_string(add_months(*parse_date("2026-03-31", "x"), -1)) == "2026-02-28");
  CHECK(to_string(add_months(*parse_date("2026-11-30", "x"), 2)) == "2027-01-30");
}

// ---- Europe/Paris date-times (issue 16, item 9) ----
// Summer time runs from the last Sunday of March 01:00 UTC to the last Sunday of
// October 01:00 UTC: 2027-03-28 and 2027-10-31; 2026-03-29 and 2026-10-25.

namespace {
Instant at(const char* text) { return *parse_date_time(text, "t"); }
}  // namespace

TEST_CASE("Paris offset: +01:00 in winter, +02:00 from the last Sunday of March 01:00 UTC to October's") {
  CHECK(paris_offset_minutes(at("2027-01-15T12:00:00Z")) == 60);
  CHECK(paris_offset_minutes(at("2027-07-15T12:00:00Z")) == 120);
  // The March changeover, 2027-03-28 01:00 UTC (02:00 winter → 03:00 summer).
  CHECK(paris_offset_minutes(at("2027-03-28T00:59:59Z")) == 60);
  CHECK(paris_offset_minutes(at("2027-03-28T01:00:00Z")) == 120);
  // The October changeover, 2027-10-31 01:00 UTC (03:00 summer → 02:00 winter).
  CHECK(paris_offset_minutes(at("2027-10-31T00:59:59Z")) == 120);
  CHECK(paris_offset_minutes(at("2027-10-31T01:00:00Z")) == 60);
  // The Sunday before is not the last one: 2027-03-21 and 2027-10-24 stay as they were.
  CHECK(paris_offset_minutes(at("2027-03-21T12:00:00Z")) == 60);
  CHECK(paris_offset_minutes(at("2027-10-24T12:00:00Z")) == 120);
  // 2026: 29 March and 25 October.
  CHECK(paris_offset_minutes(at("2026-03-29T01:00:00Z")) == 120);
  CHECK(paris_offset_minutes(at("2026-10-25T00:59:59Z")) == 120);
  CHECK(paris_offset_minutes(at("2026-10-25T01:00:00Z")) == 60);
  // New Year's Eve in UTC is already 1 January in Paris.
  CHECK(to_string(paris_date(at("2026-12-31T23:30:00Z"))) == "2027-01-01");
  CHECK(to_string(paris_date(at("2026-12-31T22:59:59Z"))) == "2026-12-31");
}

TEST_CASE("date-times: an offset is honoured, a local time is Paris time, summer time included") {
  CHECK(to_utc_string(at("2027-03-01T12:00")) == "2027-03-01T11:00:00Z");     // winter: +01:00
  CHECK(to_utc_string(at("2027-06-01T12:00:00")) == "2027-06-01T10:00:00Z");  // summer: +02:00
  CHECK(to_utc_string(at("2027-03-01T12:00:00+01:00")) == "2027-03-01T11:00:00Z");
  CHECK(to_utc_string(at("2027-03-01T12:00:00-05:30")) == "2027-03-01T17:30:00Z");
  CHECK(to_utc_string(at("2027-03-01T12:00:00Z")) == "2027-03-01T12:00:00Z");
  CHECK(to_utc_string(at("2026-11-29T04:10:29.123456Z")) == "2026-11-29T04:10:29.123456Z");
  CHECK(to_paris_string(at("2027-03-01T11:00:00Z")) == "2027-03-01T12:00:00+01:00");
  CHECK(to_paris_string(at("2027-06-01T10:00:00Z")) == "2027-06-01T12:00:00+02:00");
  CHECK(to_french(at("2027-03-01T11:00:00Z")) == "01/03/2027 à 12:00 (heure de Paris)");
  CHECK(to_french(at("2027-06-01T10:05:59Z")) == "01/06/2027 à 12:05 (heure de Paris)");
  CHECK(to_french(at("2027-12-31T23:30:00Z")) == "01/01/2028 à 00:30 (heure de Paris)");  // the Paris day
  // Around the March change: 01:59 local is winter, 03:00 local is summer, both 01:00 UTC apart by a minute.
  CHECK(to_utc_string(at("2027-03-28T01:59")) == "2027-03-28T00:59:00Z");
  CHECK(to_utc_string(at("2027-03-28T03:00")) == "2027-03-28T01:00:00Z");
  // 02:30 on that day does not exist in Paris.
  auto skipped = parse_date_time("2027-03-28T02:30", "bid_deadline");
  REQUIRE_FALSE(skipped.ok());
  CHECK(skipped.error().fields.at(0).field == "bid_deadline");
  CHECK(skipped.error().fields.at(0).code == "date_time.nonexistent");
  // In October 02:30 happens twice: the first (summer time) is read.
  CHECK(to_utc_string(at("2027-10-31T02:30")) == "2027-10-31T00:30:00Z");
  CHECK(to_utc_string(at("2027-10-31T03:30")) == "2027-10-31T02:30:00Z");
  CHECK(to_paris_string(at("2027-10-31T00:30:00Z")) == "2027-10-31T02:30:00+02:00");
  CHECK(to_paris_string(at("2027-10-31T01:30:00Z")) == "2027-10-31T02:30:00+01:00");
  for (const char* bad :
       {"", "tomorrow", "2027-03-01", "2027-03-01 12:00", "2027-03-01T24:00", "2027-03-01T12:60", "2027-02-30T12:00",
        "2027-03-01T12:00:00+1:00", "2027-03-01T12:00:00+01", "2027-03-01T12:00:61Z", "2027-03-01T12:00:00.Z",
        "2027-03-01T12:00Zjunk", "2027-03-01T12:00:00z"}) {
    CAPTURE(bad);
    auto r = parse_date_time(bad, "received_at");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().fields.at(0).field == "received_at");
    CHECK(r.error().fields.at(0).code.starts_with("date"));  // date_time.format, or date.* for the day
  }
}
