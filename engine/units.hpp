#pragma once
// The unit vocabulary. Each unit has a dimension; quantities of different
// dimensions are never added. Within a dimension, conversions are exact towards
// the finer unit (1 t = 1,000 kg, 1 m3 = 1,000 l, 1 MWh = 1,000 kWh).
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class Unit : std::uint8_t { u, kg, t, l, m3, kWh, MWh, m, m2, h, day, month, lot };
enum class Dimension : std::uint8_t { count, mass, volume, energy, length, area, hours, days, months, lots };

inline constexpr int kUnitCount = 13;

// Canonical names ("u", "kg", "t", "l", "m3", "kWh", "MWh", "m", "m2", "h", "day",
// "month", "lot"); parsing also takes common spellings (m³, unité, jour, mois, heure…).
std::string_view to_string(Unit unit);
Result<Unit> parse_unit(std::string_view text, std::string_view field);
// The unit as a French reader names it ("unité", "m³", "jour"…); an unknown code as it is.
std::string_view french_unit_name(std::string_view code);

Dimension dimension_of(Unit unit);
// How many of the dimension's finest unit one `unit` is (t → 1000, kg → 1).
std::int64_t finest_unit_factor(Unit unit);
// The finer of two units of one dimension.
Unit finer_unit(Unit a, Unit b);
// Converts a quantity to a unit of the same dimension that is at least as fine;
// nullopt if the dimensions differ or the target is coarser or it would overflow.
std::optional<Quantity> convert_to_finer(Quantity quantity, Unit from, Unit to);

}  // namespace canopee
