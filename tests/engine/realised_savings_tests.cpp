// Realised savings (engine/realised_savings.hpp) with figures computed by hand.
#include <doctest/doctest.h>

#include "engine/realised_savings.hpp"

using namespace canopee;

namespace {

DeliveredLineFacts line(std::int64_t member, std::int64_t lot, std::uint32_t division, const char* day,
                        std::int64_t delivered, std::int64_t price, std::int64_t reference, bool paid = false) {
  DeliveredLineFacts f;
  f.member_id = member;
  f.lot_id = lot;
  f.cpv_division = division;
  f.delivered_on = *parse_date(day, "d");
  f.paid = paid;
  f.line.quantity = Quantity{delivered * 2};
  f.line.delivered = Quantity{delivered};
  f.line.unit_price = UnitPrice{price};
  f.reference = UnitPrice{reference};
  return f;
}

}  // namespace

TEST_CASE("realised savings: each side rounded to the cent per line, groups and totals sums of the lines") {
  // 12.345 l at 9 € and at 10 €: 111.105 → 111.11 € (half away from zero), 123.45 €: 12.34 €.
  // 0.005 l at 1 € and at 3 €: 0.005 → 0.01 €, 0.015 → 0.02 €: 0.01 €.
  // 40 l at 9.9999 € and 10 €: 399.996 → 400.00 €, 400.00 €: nothing.
  // 3 l at 12 € against a reference of 10 €: −6.00 € (a loss counts as one).
  const std::vector<DeliveredLineFacts> lines = {
      line(1, 10, 44, "2027-03-05", 12'345, 9'0000, 10'0000),
      line(1, 10, 44, "2027-03-31", 5, 1'0000, 3'0000),
      line(2, 11, 45, "2027-04-01", 40'000, 9'9999, 10'0000, true),
      line(2, 10, 44, "2027-03-15", 3'000, 12'0000, 10'0000, true),
  };
  const auto first = realised_figures(lines[0]);
  CHECK(first.delivered_value == Amount{11'111});
  CHECK(first.at_reference == Amount{12'345});
  CHECK(first.realised == Amount{1'234});
  CHECK(first.paid == Amount{0});
  CHECK(realised_figures(lines[1]).realised == Amount{1});
  CHECK(realised_figures(lines[2]).realised == Amount{0});
  CHECK(realised_figures(lines[2]).delivered_value == Amount{40'000});
  CHECK(realised_figures(lines[3]).realised == Amount{-600});
  CHECK(realised_figures(lines[3]).paid == Amount{-600});

  const auto r = realised_savings(lines);
  CHECK(r.totals.realised == Amount{1'234 + 1 + 0 - 600});
  CHECK(r.totals.delivered_value == Amount{11'111 + 1 + 40'000 + 3'600});
  CHECK(r.totals.at_reference == Amount{12'345 + 2 + 40'000 + 3'000});
  CHECK(r.totals.paid == Amount{-600});
  CHECK(r.totals.lines == 4);
  REQUIRE(r.by_member.size() == 2);
  CHECK(r.by_member.at(1).realised == Amount{1'235});
  CHECK(r.by_member.at(2).realised == Amount{-600});
  REQUIRE(r.by_division.size() == 2);
  CHECK(r.by_division.at(44).realised == Amount{635});
  CHECK(r.by_division.at(45).lines == 1);
  REQUIRE(r.by_month.size() == 2);
  CHECK(r.by_month.at(YearMonth{2027, 3}).realised == Amount{635});
  CHECK(r.by_month.at(YearMonth{2027, 4}).realised == Amount{0});
  CHECK(r.rows.size() == 3);  // (1, 2027-03, 44), (2, 2027-03, 44), (2, 2027-04, 45)
  CHECK(r.rows.at({1, YearMonth{2027, 3}, 44}).lines == 2);
  // Every grouping sums to the totals.
  RealisedFigures members, divisions, months;
  for (const auto& [key, f] : r.by_member) members += f;
  for (const auto& [key, f] : r.by_division) divisions += f;
  for (const auto& [key, f] : r.by_month) months += f;
  CHECK(members == r.totals);
  CHECK(divisions == r.totals);
  CHECK(months == r.totals);
  RealisedFigures rows;
  for (const auto& [key, f] : r.rows) rows += f;
  CHECK(rows == r.totals);
  CHECK(r.member_lots == std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 10}, {2, 10}, {2, 11}});
  CHECK(to_string(YearMonth{2027, 3}) == "2027-03");
}

TEST_CASE("realised savings: nothing delivered, nothing counted; the CPV division of a code") {
  const auto empty = realised_savings({});
  CHECK(empty.totals == RealisedFigures{});
  CHECK(empty.rows.empty());
  CHECK(cpv_division_of("44810000-1") == 44U);
  CHECK(cpv_division_of("09310000-5") == 9U);
  CHECK_FALSE(cpv_division_of("x4").has_value());
  CHECK_FALSE(cpv_division_of("4").has_value());
}
