#include "engine/thresholds.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>

namespace canopee {
namespace {

constexpr auto kNames = enum_names<Threshold>("eu_supplies_services", "eu_works", "no_competition_supplies_services",
                                              "no_competition_works", "mapa_publicity", "small_lot_supplies_services",
                                              "small_lot_works", "small_lots_share_percent");

Date d(int y, unsigned m, unsigned day) { return from_civil({y, m, day}); }
constexpr std::int64_t euros(std::int64_t value) { return value * 100; }

}  // namespace

std::string_view to_string(Threshold threshold) { return kNames(threshold); }

Result<Threshold> parse_threshold(std::string_view text, std::string_view field) {
  if (auto value = kNames.parse(text)) return *value;
  return Error::invalid(std::string(field), "nom de seuil inconnu", "threshold.name.unknown");
}

ThresholdTable ThresholdTable::defaults() {
  using T = Threshold;
  ThresholdTable table;
  const ThresholdEntry entries[] = {
      {T::eu_supplies_services, d(2024, 1, 1), d(2025, 12, 31), euros(221'000),
       "Règlement délégué (UE) 2023/2495 ; avis relatif aux seuils de procédure"},
      {T::eu_supplies_services, d(2026, 1, 1), d(2027, 12, 31), euros(216'000),
       "Règlements délégués (UE) 2025/2150–2152 (JOUE du 23/10/2025)"},
      {T::eu_works, d(2024, 1, 1), d(2025, 12, 31), euros(5'538'000),
       "Règlement délégué (UE) 2023/2495 ; avis relatif aux seuils de procédure"},
      {T::eu_works, d(2026, 1, 1), d(2027, 12, 31), euros(5'404'000),
       "Règlements délégués (UE) 2025/2150–2152 (JOUE du 23/10/2025)"},
      {T::no_competition_supplies_services, d(2024, 1, 1), d(2026, 3, 31), euros(40'000), "CCP R2122-8"},
      {T::no_competition_supplies_services, d(2026, 4, 1), std::nullopt, euros(60'000),
       "CCP R2122-8 modifié par le décret 2025-1386 du 29/12/2025"},
      {T::no_competition_works, d(2024, 1, 1), d(2025, 12, 31), euros(100'000),
       "Décret 2022-1683 du 28/12/2022, art. 6, prorogé jusqu'au 31/12/2025 par le décret 2024-1217 du 28/12/2024"},
      {T::no_competition_works, d(2026, 1, 1), std::nullopt, euros(100'000),
       "CCP R2122-8 modifié par le décret 2025-1386 du 29/12/2025"},
      {T::mapa_publicity, d(2024, 1, 1), std::nullopt, euros(90'000), "CCP R2131-12"},
      {T::small_lot_supplies_services, d(2024, 1, 1), std::nullopt, euros(80'000), "CCP R2123-1 2°"},
      {T::small_lot_works, d(2024, 1, 1), std::nullopt, euros(1'000'000), "CCP R2123-1 2°"},
      {T::small_lots_share_percent, d(2024, 1, 1), std::nullopt, 20, "CCP R2123-1 2°"},
  };
  for (const auto& entry : entries) [[maybe_unused]] auto status = table.add(entry);
  return table;
}

Status ThresholdTable::add(ThresholdEntry entry) {
  if (entry.until && *entry.until < entry.from)
    return Error::invalid("until", "ne doit pas précéder from", "threshold.until.out_of_range");
  if (entry.value < 0) return Error::invalid("value", "ne doit pas être négatif", "threshold.value.out_of_range");
  const auto same = std::find_if(entries_.begin(), entries_.end(), [&](const ThresholdEntry& e) {
    return e.threshold == entry.threshold && e.from == entry.from;
  });
  if (same != entries_.end()) {
    *same = std::move(entry);
  } else {
    entries_.push_back(std::move(entry));
  }
  std::sort(entries_.begin(), entries_.end(), [](const ThresholdEntry& a, const ThresholdEntry& b) {
    return a.threshold != b.threshold ? a.threshold < b.threshold : a.from < b.from;
  });
  return ok_status();
}

Result<ThresholdEntry> ThresholdTable::at(Threshold threshold, Date date) const {
  // The latest entry that has started and not ended: a later entry supersedes an open-ended one.
  const ThresholdEntry* found = nullptr;
  for (const auto& e : entries_) {
    if (e.threshold == threshold && e.from <= date && (!e.until || date <= *e.until)) found = &e;
  }
  if (found == nullptr) {
    return Error::invalid("launch_date",
                          "aucun seuil " + std::string(to_string(threshold)) + " n’est connu au " + to_string(date) +
                              " : l’ajouter dans les réglages des seuils",
                          "threshold.unknown_for_date");
  }
  return *found;
}

}  // namespace canopee
