#include "engine/money.hpp"

#include <algorithm>
#include <numeric>

namespace canopee {
namespace {

constexpr std::int64_t pow10(int n) {
  std::int64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

std::string decimals_word(int scale) { return scale == 1 ? "1 décimale" : std::to_string(scale) + " décimales"; }

}  // namespace

int128 divide_round_half_away(int128 num, int128 den) {
  const bool negative = num < 0;
  const int128 magnitude = negative ? -num : num;
  const int128 q = (magnitude + den / 2) / den;
  // For odd den, den/2 rounds down, so exact halves cannot occur; for even den the
  // half is included, which rounds a tie away from zero.
  return negative ? -q : q;
}

Result<Amount> line_amount(Quantity quantity, UnitPrice price) {
  // thousandths × ten-thousandths = 1e-7 €; cents are 1e-2 €.
  std::int64_t small_product = 0;
  if (!__builtin_mul_overflow(quantity.thousandths, price.ten_thousandths, &small_product)) {
    // The common case, in 64 bits (a 128-bit division costs a library call).
    const bool negative = small_product < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(small_product)
                                             : static_cast<std::uint64_t>(small_product);
    const auto cents = static_cast<std::int64_t>((magnitude + 50'000) / 100'000);
    return Amount{negative ? -cents : cents};  // |cents| < 2^63 / 1e5 ≤ kMaxAmount
  }
  const int128 product = static_cast<int128>(quantity.thousandths) * price.ten_thousandths;
  const int128 cents = divide_round_half_away(product, 100'000);
  if (cents > kMaxAmount || cents < -kMaxAmount) {
    return Error::invalid("amount", "quantité × prix unitaire dépasse le plus grand montant pris en charge",
                          "money.amount.too_large");
  }
  return Amount{static_cast<std::int64_t>(cents)};
}

Result<std::int64_t> parse_decimal(std::string_view text, int scale, std::string_view field) {
  const std::string name(field);
  if (text.empty()) return Error::invalid(name, "ne doit pas être vide", "money.decimal.empty");
  std::size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative) pos = 1;
  if (pos == text.size() || text[pos] < '0' || text[pos] > '9') {
    return Error::invalid(name, "doit être un nombre décimal, par exemple « 12.5 »", "money.decimal.not_a_number");
  }
  int128 value = 0;
  int decimals = -1;  // -1 until the point
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.') {
      if (decimals >= 0)
        return Error::invalid(name, "doit être un nombre décimal, par exemple « 12.5 »", "money.decimal.not_a_number");
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9')
      return Error::invalid(name, "doit être un nombre décimal, par exemple « 12.5 »", "money.decimal.not_a_number");
    if (decimals >= 0 && ++decimals > scale) {
      return Error::invalid(name, "a plus de " + decimals_word(scale), "money.decimal.too_many_decimals");
    }
    value = value * 10 + (c - '0');
    if (value > static_cast<int128>(INT64_MAX))
      return Error::invalid(name, "est trop grand", "money.decimal.too_large");
  }
  if (decimals == 0)
    return Error::invalid(name, "doit avoir un chiffre après le point décimal", "money.decimal.missing_fraction");
  const int used = std::max(decimals, 0);
  value *= pow10(scale - used);
  if (value > static_cast<int128>(INT64_MAX)) return Error::invalid(name, "est trop grand", "money.decimal.too_large");
  const auto result = static_cast<std::int64_t>(value);
  return negative ? -result : result;
}

Result<Amount> parse_amount(std::string_view text, std::string_view field) {
  auto v = parse_decimal(text, kAmountScale, field);
  if (!v) return std::move(v).error();
  if (*v > kMaxAmount || *v < -kMaxAmount) {
    return Error::invalid(std::string(field), "est trop grand", "money.amount.too_large");
  }
  return Amount{*v};
}

Result<UnitPrice> parse_unit_price(std::string_view text, std::string_view field) {
  auto v = parse_decimal(text, kUnitPriceScale, field);
  if (!v) return std::move(v).error();
  if (*v > kMaxUnitPrice || *v < -kMaxUnitPrice) {
    return Error::invalid(std::string(field), "est trop grand", "money.unit_price.too_large");
  }
  return UnitPrice{*v};
}

Result<Quantity> parse_quantity(std::string_view text, std::string_view field) {
  auto v = parse_decimal(text, kQuantityScale, field);
  if (!v) return std::move(v).error();
  if (*v > kMaxQuantity || *v < -kMaxQuantity) {
    return Error::invalid(std::string(field), "est trop grand", "money.quantity.too_large");
  }
  return Quantity{*v};
}

std::string format_decimal(std::int64_t minor_units, int scale, int min_decimals) {
  const bool negative = minor_units < 0;
  // Work in unsigned to format INT64_MIN too.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor_units)
                                           : static_cast<std::uint64_t>(minor_units);
  const auto unit = static_cast<std::uint64_t>(pow10(scale));
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / unit);
  if (scale == 0) return out;  // no fraction digits to write (found by tests/fuzz/money_fuzz)
  std::string fraction = std::to_string(magnitude % unit);
  fraction.insert(0, static_cast<std::size_t>(scale) - fraction.size(), '0');
  while (static_cast<int>(fraction.size()) > min_decimals && !fraction.empty() && fraction.back() == '0') {
    fraction.pop_back();
  }
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

std::string to_string(Amount amount) { return format_decimal(amount.cents, kAmountScale, kAmountScale); }

std::string to_french_euros(Amount amount) {
  const std::string plain = to_string(amount);  // "-25920.00"
  const bool negative = plain.front() == '-';
  const auto dot = plain.find('.');
  const std::string digits = plain.substr(negative ? 1 : 0, dot - (negative ? 1 : 0));
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00a0";
    out += digits[i];
  }
  return out + "," + plain.substr(dot + 1) + "\u00a0€";
}
std::string to_string(UnitPrice price) {
  return format_decimal(price.ten_thousandths, kUnitPriceScale, kUnitPriceScale);
}
std::string to_string(Quantity quantity) { return format_decimal(quantity.thousandths, kQuantityScale, 0); }

Result<std::vector<std::int64_t>> allocate_largest_remainder(std::int64_t total,
                                                             std::span<const std::int64_t> weights) {
  if (weights.empty()) return Error::invalid("weights", "rien entre quoi répartir", "money.weights.empty");
  int128 weight_sum = 0;
  for (const auto w : weights) {
    if (w < 0) return Error::invalid("weights", "les poids ne doivent pas être négatifs", "money.weights.negative");
    weight_sum += w;
  }
  if (weight_sum == 0)
    return Error::invalid("weights", "les poids ne doivent pas être tous nuls", "money.weights.zero");
  const bool negative = total < 0;
  const int128 magnitude = negative ? -static_cast<int128>(total) : static_cast<int128>(total);

  std::vector<std::int64_t> parts(weights.size());
  std::vector<int128> remainders(weights.size());
  int128 allocated = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const int128 exact = magnitude * weights[i];
    parts[i] = static_cast<std::int64_t>(exact / weight_sum);
    remainders[i] = exact % weight_sum;
    allocated += parts[i];
  }
  auto leftover = static_cast<std::size_t>(magnitude - allocated);  // < number of parts
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; k < leftover; ++k) ++parts[order[k]];
  if (negative) {
    for (auto& p : parts) p = -p;
  }
  return parts;
}

}  // namespace canopee
