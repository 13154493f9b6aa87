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
  for (const char* bad : {"2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026/01/01",
                          "2026-1-01", "2026-01-01T00:00", "", "1899-12-31", "abcd-ef-gh"}) {
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
