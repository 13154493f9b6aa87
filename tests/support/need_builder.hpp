#pragma once
// One way to build a need in every suite: the draft a buyer would type, through the
// real validation. Engine tests use the drafts and needs; the repository and
// use-case suites store `valid_need`s; the API suites post `need_body` (api_client.hpp).
#include <doctest/doctest.h>

#include <string>

#include "engine/need.hpp"

namespace canopee::test {

inline const CpvNomenclature& starter_cpv() {
  static const CpvNomenclature cpv = CpvNomenclature::starter();
  return cpv;
}

// A draft for the year 2026 (`in_year` moves it).
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

// The same draft over the whole of `year` (the API scenarios run on 2026-11-29 and buy for 2027).
inline NeedDraft in_year(NeedDraft draft, const std::string& year) {
  draft.period_start = year + "-01-01";
  draft.period_end = year + "-12-31";
  return draft;
}

// A submitted need, validated as the API would.
inline Need make_need(std::int64_t id, std::int64_t member, NeedDraft draft) {
  auto need = validate_need(draft, starter_cpv());
  if (!need.ok()) FAIL("invalid test need: " << need.error().message << " " << need.error().fields.at(0).field);
  need->id = id;
  need->member_id = member;
  need->status = NeedStatus::submitted;
  return std::move(need).value();
}

// A submitted need of `member_id` for 2026, not stored yet; its validity is an
// assertion of the repository and use-case tests that store it.
inline Need valid_need(std::int64_t member_id, const char* cpv = "44810000-1", const char* quantity = "100",
                       const char* unit = "l", const char* price = "5") {
  auto need = validate_need(need_draft(cpv, quantity, unit, price), starter_cpv());
  REQUIRE(need.ok());
  need->member_id = member_id;
  need->status = NeedStatus::submitted;
  return std::move(need).value();
}

}  // namespace canopee::test
