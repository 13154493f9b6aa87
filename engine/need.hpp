#pragma once
// A member's purchase need (besoin), validated from what a buyer typed or imported.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/cpv.hpp"
#include "engine/date.hpp"
#include "engine/department.hpp"
#include "engine/money.hpp"
#include "engine/reference.hpp"
#include "engine/result.hpp"
#include "engine/units.hpp"

namespace canopee {

// The number of code points of a free text, or none when it is malformed UTF-8 or
// holds a control character (newlines and tabs allowed when `allow_newlines`).
std::optional<std::size_t> text_length(std::string_view text, bool allow_newlines);
// Empty, or only spaces, tabs, newlines and no-break spaces (U+00A0, U+202F).
bool is_blank(std::string_view text);

// draft → submitted → pooled → tendered → awarded; withdrawn by the buyer before
// pooling; back to submitted when its lot is unsuccessful or its tender cancelled.
enum class NeedStatus : std::uint8_t { draft, submitted, pooled, tendered, awarded, withdrawn };

std::string_view to_string(NeedStatus status);
Result<NeedStatus> parse_need_status(std::string_view text, std::string_view field);
// Whether the buyer may still edit or withdraw it.
bool need_is_editable(NeedStatus status);
// The status as buyers read it: « brouillon », « soumis », « mutualisé », « en consultation », « attribué », « retiré
// ».
std::string_view french_label(NeedStatus status);
// Whether the status machine allows from → to.
bool need_transition_allowed(NeedStatus from, NeedStatus to);

struct Attribute {
  std::string key;
  std::string value;
  bool operator==(const Attribute&) const = default;
};

struct Need {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  CpvCode cpv;
  std::string title;
  std::string description;
  Quantity quantity;  // yearly when recurring
  Unit unit = Unit::u;
  UnitPrice reference_unit_price;  // HT
  // Where the reference comes from, its date (none only before it is stored: the repository
  // dates it the day it is recorded) and the index that actualises it at the award (empty: none).
  ReferenceSource reference_source = ReferenceSource::historical_price;
  std::optional<Date> reference_date;
  std::string reference_index;
  Department department;
  Date period_start;
  Date period_end;
  bool recurring = false;
  std::vector<Attribute> attributes;  // sorted by key, keys unique
  NeedStatus status = NeedStatus::draft;
  std::int64_t version = 1;
};

// A need as received: text fields, absent when not given.
struct NeedDraft {
  std::optional<std::string> cpv;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> quantity;
  std::optional<std::string> unit;
  std::optional<std::string> reference_unit_price;
  std::optional<std::string> reference_source;  // absent: historical_price
  std::optional<std::string> reference_date;    // absent or empty: the day the need is recorded
  std::optional<std::string> reference_index;   // empty: no index
  std::optional<std::string> department;
  std::optional<std::string> period_start;
  std::optional<std::string> period_end;
  std::optional<bool> recurring;
  std::optional<std::vector<std::pair<std::string, std::string>>> attributes;
};

inline constexpr std::size_t kMaxTitleLength = 200;
inline constexpr std::size_t kMaxDescriptionLength = 4000;
inline constexpr std::size_t kMaxAttributes = 32;

// A need without a reference: a price of 0 that the offers' average will not replace. Accepted
// (a zero estimate is a legitimate draft and tenders were built on them) but flagged in its JSON
// (`reference_missing`) and in the savings references of its award.
bool reference_missing(const Need& need);

// Validates every field and reports every problem at once (one FieldError each).
// The result has id, member_id, status and version left at their defaults.
Result<Need> validate_need(const NeedDraft& draft, const CpvNomenclature& nomenclature);

// Applies the fields present in `patch` over `need` and validates the whole.
Result<Need> patch_need(const Need& need, const NeedDraft& patch, const CpvNomenclature& nomenclature);
// A need changes (need.not_editable) or is withdrawn (need.not_withdrawable) only while
// it is a draft or submitted: once pooled into a tender its quantities are the tender's.
Status check_need_editable(const Need& need);
Status check_need_withdrawable(const Need& need);

// The draft that reproduces a need (for patching, exports and round trips).
NeedDraft to_draft(const Need& need);

}  // namespace canopee
