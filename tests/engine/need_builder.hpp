#pragma once
// Builds needs for engine tests through the real validation.
#include <doctest/doctest.h>

#include "engine/need.hpp"

namespace canopee::test {

inline const CpvNomenclature& starter_cpv() {
  static const CpvNomenclature cpv = CpvNomenclature::starter();
  return cpv;
}

inline NeedDraft need_draft(const char* cpv = "44810000-1", const char* quantity = "100", const char* unit = "l",
                            const char* price = "5.0000", const char* department = "02") {
  NeedDraft d;
  d.cpv = cpv;
  d.title = "Peinture acrylique";
  d.quantity = quantity;
  d.unit = unit;
  d.reference_unit_price = price;
  d.department = department;
  d.period_start = "2026-01-01";
  d.period_end = "2026-12-31";
  return d;
}

inline Need make_need(std::int64_t id, std::int64_t member, NeedDraft draft) {
  auto need = validate_need(draft, starter_cpv());
  if (!need.ok()) FAIL("invalid test need: " << need.error().message << " " << need.error().fields.at(0).field);
  need->id = id;
  need->member_id = member;
  need->status = NeedStatus::submitted;
  return std::move(need).value();
}

}  // namespace canopee::test
