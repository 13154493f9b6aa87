// The CSV import of needs (both separators, quotes, BOM, decimal commas) and the
// CSV reader under it. Properties: no crash; an accepted file gives one valid
// need per data row; a rejected one names at least one line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/formats/csv.hpp"
#include "adapters/formats/needs_csv.hpp"
#include "engine/cpv.hpp"

using namespace canopee;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto nomenclature = CpvNomenclature::starter();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto needs = formats::parse_needs_csv(text, nomenclature, 1, NeedStatus::submitted);
  if (needs) {
    for (const auto& need : *needs) {
      if (need.member_id != 1 || need.quantity.thousandths <= 0) __builtin_trap();
    }
  } else if (needs.error().fields.empty() && needs.error().message.empty()) {
    __builtin_trap();
  }
  for (char separator : {',', ';'}) {
    if (auto table = formats::parse_csv(text, separator)) {
      for (const auto& row : table->rows) {
        if (row.fields.size() != table->header.size()) __builtin_trap();
      }
    }
  }
  return 0;
}
