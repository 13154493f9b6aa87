#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "engine/money.hpp"

using namespace canopee;

TEST_CASE("decimal strings parse into exact minor units") {
  CHECK(parse_amount("1234.56", "amount")->cents == 123456);
  CHECK(parse_amount("1234.5", "amount")->cents == 123450);
  CHECK(parse_amount("7", "amount")->cents == 700);
  CHECK(parse_amount("-0.01", "amount")->cents == -1);
  CHECK(parse_unit_price("0.1523", "p")->ten_thousandths == 1523);
  CHECK(parse_quantity("12.5", "q")->thousandths == 12500);
}

TEST_CASE("malformed or over-precise decimals are rejected naming the field") {
  for (const char* bad : {"", "-", ".5", "5.", "1e3", "+1", " 1", "1 ", "1,5", "1.2.3", "abc", "0x10", "١"}) {
    CAPTURE(bad);
    auto r = parse_quantity(bad, "quantity");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().fields.at(0).field == "quantity");
    CHECK(r.error().fields.at(0).code.starts_with("money."));
  }
  auto precise = parse_amount("1.234", "amount");
  REQUIRE_FALSE(precise.ok());
  CHECK(precise.error().fields.at(0).code == "money.decimal.too_many_decimals");
  CHECK(precise.error().rule == "money.decimal.too_many_decimals");
  CHECK(precise.error().fields.at(0).message == "a plus de 2 décimales");
  CHECK_FALSE(parse_amount("99999999999999999999999", "amount").ok());
  CHECK_FALSE(parse_quantity("1000000001", "q").ok());  // beyond a billion units
}

TEST_CASE("formatting keeps the documented number of decimals") {
  CHECK(to_string(Amount{123450}) == "1234.50");
  CHECK(to_string(Amount{-5}) == "-0.05");
  CHECK(to_string(Amount{0}) == "0.00");
  CHECK(to_string(UnitPrice{1523}) == "0.1523");
  CHECK(to_string(UnitPrice{120000}) == "12.0000");
  CHECK(to_string(Quantity{12500}) == "12.5");
  CHECK(to_string(Quantity{3000}) == "3");
  CHECK(to_string(Quantity{1}) == "0.001");
  CHECK(format_decimal(INT64_MIN, 2, 2) == "-92233720368547758.08");
  // Scale 0 has no fraction (it threw std::length_error; found by fuzzing).
  CHECK(format_decimal(9223372036854775807, 0, 0) == "9223372036854775807");
  CHECK(format_decimal(-12, 0, 0) == "-12");
  CHECK(format_decimal(0, 0, 0) == "0");
}

TEST_CASE("line amounts round half away from zero to the cent") {
  // 3 units at 0.0050 € = 0.015 € → 0.02 €
  CHECK(line_amount(Quantity{3000}, UnitPrice{50})->cents == 2);
  // 1 unit at 0.0049 € → 0.00 €
  CHECK(line_amount(Quantity{1000}, UnitPrice{49})->cents == 0);
  // -3 units at 0.0050 € → -0.02 €
  CHECK(line_amount(Quantity{-3000}, UnitPrice{50})->cents == -2);
  // 12.5 t at 1234.5678 € = 15432.0975 → 15432.10
  CHECK(line_amount(Quantity{12500}, UnitPrice{12345678})->cents == 1543210);
  // large: 1e9 units at 1,000 € = 1e12 € — the product 1e19 overflows 64 bits
  CHECK(line_amount(Quantity{kMaxQuantity}, UnitPrice{10'000'000})->cents == 100'000'000'000'000);
  CHECK_FALSE(line_amount(Quantity{kMaxQuantity}, UnitPrice{kMaxUnitPrice}).ok());
}

TEST_CASE("largest remainder: a hand-computed split") {
  // 100.00 € over weights 1:1:1 → 33.34, 33.33, 33.33 (tie goes to the first)
  auto parts = allocate_largest_remainder(10000, std::vector<std::int64_t>{1, 1, 1});
  REQUIRE(parts.ok());
  CHECK(*parts == std::vector<std::int64_t>{3334, 3333, 3333});
  // 10.00 over 3:3:4 with remainders: exact 3, 3, 4
  CHECK(*allocate_largest_remainder(1000, std::vector<std::int64_t>{3, 3, 4}) ==
        std::vector<std::int64_t>{300, 300, 400});
  // 1.00 over 2:1 → 66.67 / 33.33: exact 66.666 and 33.333; the larger remainder gets the cent
  CHECK(*allocate_largest_remainder(100, std::vector<std::int64_t>{2, 1}) == std::vector<std::int64_t>{67, 33});
  // negative totals split as magnitude
  CHECK(*allocate_largest_remainder(-100, std::vector<std::int64_t>{2, 1}) == std::vector<std::int64_t>{-67, -33});
  // zero weight gets nothing
  CHECK(*allocate_largest_remainder(5, std::vector<std::int64_t>{0, 1, 1}) == std::vector<std::int64_t>{0, 3, 2});
}

TEST_CASE("largest remainder refuses impossible splits") {
  CHECK_FALSE(allocate_largest_remainder(100, std::vector<std::int64_t>{}).ok());
  CHECK_FALSE(allocate_largest_remainder(100, std::vector<std::int64_t>{0, 0}).ok());
  CHECK_FALSE(allocate_largest_remainder(100, std::vector<std::int64_t>{1, -1}).ok());
}

TEST_CASE("property: largest remainder sums exactly and stays within one unit of each exact share") {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 20000; ++round) {
    const std::size_t n = 1 + rng() % 12;
    std::vector<std::int64_t> weights(n);
    for (auto& w : weights) w = static_cast<std::int64_t>(rng() % (round % 2 == 0 ? 5 : 1'000'000'000));
    if (std::all_of(weights.begin(), weights.end(), [](auto w) { return w == 0; })) weights[0] = 1;
    const auto total = static_cast<std::int64_t>(rng() % 2'000'000'000'000) - 1'000'000'000'000;
    auto parts = allocate_largest_remainder(total, weights);
    REQUIRE(parts.ok());
    int128 sum = 0;
    int128 weight_sum = 0;
    for (auto w : weights) weight_sum += w;
    for (std::size_t i = 0; i < n; ++i) {
      sum += (*parts)[i];
      // |part − total·w/W| < 1  ⇔  |part·W − total·w| < W
      int128 diff = static_cast<int128>((*parts)[i]) * weight_sum - static_cast<int128>(total) * weights[i];
      if (diff < 0) diff = -diff;
      REQUIRE(diff < weight_sum);
    }
    REQUIRE(sum == total);
  }
}

TEST_CASE("property: decimal strings round-trip") {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 20000; ++i) {
    const auto v = static_cast<std::int64_t>(rng() % 2'000'000'000'000'000) - 1'000'000'000'000'000;
    REQUIRE(parse_decimal(format_decimal(v, 2, 2), 2, "x").value() == v);
    REQUIRE(parse_decimal(format_decimal(v, 3, 0), 3, "x").value() == v);
    REQUIRE(parse_decimal(format_decimal(v, 4, 4), 4, "x").value() == v);
  }
}
