#pragma once
// Exact money, prices and quantities (design.md §3). No floating point.
//   Amount     integer cents of euro, excluding VAT
//   UnitPrice  integer 1/10,000 of a euro
//   Quantity   integer 1/1,000 of a unit
// A line amount is quantity × unit price rounded half away from zero to the cent,
// computed with 128-bit intermediates.
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace canopee {

__extension__ using int128 = __int128;  // GCC/Clang 128-bit integers
__extension__ using uint128 = unsigned __int128;

// Decimal places of each kind of number.
inline constexpr int kAmountScale = 2;
inline constexpr int kUnitPriceScale = 4;
inline constexpr int kQuantityScale = 3;

// Largest magnitudes accepted anywhere (inputs are validated against them, so
// that sums of many lines cannot overflow 64 bits).
inline constexpr std::int64_t kMaxQuantity = 1'000'000'000'000;    // 1,000,000,000 units
inline constexpr std::int64_t kMaxUnitPrice = 10'000'000'000'000;  // 1,000,000,000 €
inline constexpr std::int64_t kMaxAmount = 100'000'000'000'000;    // 1,000,000,000,000 €

struct Amount {
  std::int64_t cents = 0;
  constexpr auto operator<=>(const Amount&) const = default;
  constexpr Amount operator+(Amount o) const { return {cents + o.cents}; }
  constexpr Amount operator-(Amount o) const { return {cents - o.cents}; }
  constexpr Amount operator-() const { return {-cents}; }
  constexpr Amount& operator+=(Amount o) {
    cents += o.cents;
    return *this;
  }
  constexpr Amount& operator-=(Amount o) {
    cents -= o.cents;
    return *this;
  }
};

struct UnitPrice {
  std::int64_t ten_thousandths = 0;
  constexpr auto operator<=>(const UnitPrice&) const = default;
};

struct Quantity {
  std::int64_t thousandths = 0;
  constexpr auto operator<=>(const Quantity&) const = default;
  constexpr Quantity operator+(Quantity o) const { return {thousandths + o.thousandths}; }
  constexpr Quantity operator-(Quantity o) const { return {thousandths - o.thousandths}; }
  constexpr Quantity& operator+=(Quantity o) {
    thousandths += o.thousandths;
    return *this;
  }
};

// num / den rounded half away from zero; den > 0.
int128 divide_round_half_away(int128 num, int128 den);

// quantity × unit price in cents, half away from zero; invalid if beyond kMaxAmount.
Result<Amount> line_amount(Quantity quantity, UnitPrice price);

// Parses a decimal string ("1234.56", "-3", "0.1523") into minor units of the given
// scale: no exponent, no '+', no spaces, at most `scale` decimals, a digit before
// any '.'. Errors name `field`.
Result<std::int64_t> parse_decimal(std::string_view text, int scale, std::string_view field);
Result<Amount> parse_amount(std::string_view text, std::string_view field);
Result<UnitPrice> parse_unit_price(std::string_view text, std::string_view field);
Result<Quantity> parse_quantity(std::string_view text, std::string_view field);

// Formats minor units as a decimal string with at least `min_decimals` decimals
// (trailing zeros beyond that are dropped).
std::string format_decimal(std::int64_t minor_units, int scale, int min_decimals);
std::string to_string(Amount amount);  // always 2 decimals: "1234.50"
// As French readers write it: "25 920,00 €" (no-break spaces between thousands and before the sign).
std::string to_french_euros(Amount amount);
std::string to_string(UnitPrice price);    // always 4 decimals: "0.1523"
std::string to_string(Quantity quantity);  // as few as needed: "12.5", "3"

// Splits `total` into parts proportional to `weights` (all ≥ 0, not all zero) by
// the largest remainder method: the parts sum exactly to `total` and each is within
// one unit of its exact share. Ties between equal remainders go to the earlier
// position, so callers order the parts deterministically (e.g. by member id).
// A negative total is split as its magnitude, then negated.
Result<std::vector<std::int64_t>> allocate_largest_remainder(std::int64_t total, std::span<const std::int64_t> weights);

}  // namespace canopee
