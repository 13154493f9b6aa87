#pragma once
// The dated table of procurement thresholds (procurement-rules.md). Every number
// with a legal source lives here, with the dates it applies between, so that next
// year's decree is a data change. A date no entry covers is an error, not a guess.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class Threshold : std::uint8_t {
  eu_supplies_services,  // formal procedure from here (sub-central buyers)
  eu_works,
  no_competition_supplies_services,  // R2122-8: below, no publicity or competition needed
  no_competition_works,
  mapa_publicity,               // R2131-12: from here, BOAMP or a JAL
  small_lot_supplies_services,  // R2123-1 2°: a lot below may use MAPA…
  small_lot_works,
  small_lots_share_percent,  // …if such lots total at most this % (a percentage, not cents)
};

std::string_view to_string(Threshold threshold);
Result<Threshold> parse_threshold(std::string_view text, std::string_view field);

struct ThresholdEntry {
  Threshold threshold;
  Date from;
  std::optional<Date> until;  // inclusive; none: until further notice
  std::int64_t value;         // cents (a percentage for small_lots_share_percent)
  std::string source;         // the text it comes from
};

class ThresholdTable {
 public:
  // The values of procurement-rules.md.
  static ThresholdTable defaults();

  // Adds an entry; an entry for the same threshold starting on the same day
  // replaces it (operators' overrides from the settings).
  Status add(ThresholdEntry entry);
  // The entry in force on `date`, or an error naming the threshold and the date.
  Result<ThresholdEntry> at(Threshold threshold, Date date) const;
  const std::vector<ThresholdEntry>& entries() const { return entries_; }

 private:
  std::vector<ThresholdEntry> entries_;
};

}  // namespace canopee
