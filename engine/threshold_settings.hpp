#pragma once
// Thresholds as dated settings (procurement-rules.md: "next year's decree is a data
// change"): what an operator's row must satisfy before it joins the built-in table.
#include "engine/thresholds.hpp"

namespace canopee {

// A row for the threshold table: a positive value (cents; a percentage of 1 to 100 for
// small_lots_share_percent), an end not before its start, a source of 1–300 characters
// naming the text it comes from, dates from 2024-01-01 (the table's first day) to
// 2099-12-31. Errors name "value", "until", "from", "source" (French).
Status validate_threshold_entry(const ThresholdEntry& entry);

}  // namespace canopee
