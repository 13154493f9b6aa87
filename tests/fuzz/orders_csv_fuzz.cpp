// The CSV import of orders (both separators, quotes, BOM, decimal commas, French
// dates, headers folded). Properties: no crash; an accepted file gives orders of 1
// to kMaxOrderLines lines, each with a positive quantity, a line after the header and
// a valid UTF-8 text; a rejected one names at least one cell or line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/formats/orders_csv.hpp"
#include "engine/need.hpp"
#include "engine/orders.hpp"

using namespace canopee;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto orders = formats::parse_orders_csv(text);
  if (orders) {
    for (const auto& order : *orders) {
      if (order.lines.empty() || order.lines.size() > kMaxOrderLines || order.contract_id <= 0) __builtin_trap();
      if (!text_length(order.internal_reference, false) || !text_length(order.delivery_place, false)) __builtin_trap();
      for (const auto& line : order.lines) {
        if (line.quantity.thousandths <= 0 || line.line < 2) __builtin_trap();
        if (!text_length(line.description, false)) __builtin_trap();
      }
    }
  } else if (orders.error().fields.empty() || orders.error().message.empty()) {
    __builtin_trap();
  }
  return 0;
}
