// Decimal and money parsing. Properties: no crash; whatever parses formats back
// to text that parses to the same value (amounts, unit prices, quantities), and
// a largest-remainder split of a parsed amount sums to it exactly.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/money.hpp"

using namespace canopee;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto amount = parse_amount(text, "f")) {
    auto again = parse_amount(to_string(*amount), "f");
    if (!again || again->cents != amount->cents) __builtin_trap();
    const std::vector<std::int64_t> weights{1, 2, 3, 7};
    if (amount->cents >= 0) {
      if (auto split = allocate_largest_remainder(amount->cents, weights)) {
        std::int64_t sum = 0;
        for (auto part : *split) sum += part;
        if (sum != amount->cents) __builtin_trap();
      }
    }
  }
  if (auto price = parse_unit_price(text, "f")) {
    auto again = parse_unit_price(to_string(*price), "f");
    if (!again || again->ten_thousandths != price->ten_thousandths) __builtin_trap();
  }
  if (auto quantity = parse_quantity(text, "f")) {
    auto again = parse_quantity(to_string(*quantity), "f");
    if (!again || again->thousandths != quantity->thousandths) __builtin_trap();
  }
  for (int scale = 0; scale <= 6; ++scale) {
    if (auto value = parse_decimal(text, scale, "f")) {
      auto again = parse_decimal(format_decimal(*value, scale, 0), scale, "f");
      if (!again || *again != *value) __builtin_trap();
    }
  }
  return 0;
}
