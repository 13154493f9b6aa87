#include "engine/units.hpp"

#include <string>

#include "engine/cpv.hpp"

namespace canopee {
namespace {

struct UnitInfo {
  Unit unit;
  std::string_view name;
  Dimension dimension;
  std::int64_t factor;
};

constexpr UnitInfo kUnits[] = {
    {Unit::u, "u", Dimension::count, 1},         {Unit::kg, "kg", Dimension::mass, 1},
    {Unit::t, "t", Dimension::mass, 1000},       {Unit::l, "l", Dimension::volume, 1},
    {Unit::m3, "m3", Dimension::volume, 1000},   {Unit::kWh, "kWh", Dimension::energy, 1},
    {Unit::MWh, "MWh", Dimension::energy, 1000}, {Unit::m, "m", Dimension::length, 1},
    {Unit::m2, "m2", Dimension::area, 1},        {Unit::h, "h", Dimension::hours, 1},
    {Unit::day, "day", Dimension::days, 1},      {Unit::month, "month", Dimension::months, 1},
    {Unit::lot, "lot", Dimension::lots, 1},
};

// Other spellings, compared after normalise (lower case, no accents, single blanks).
constexpr std::pair<std::string_view, Unit> kAliases[] = {
    {"unit", Unit::u},
    {"unite", Unit::u},
    {"units", Unit::u},
    {"pce", Unit::u},
    {"piece", Unit::u},
    {"ens", Unit::u},
    {"tonne", Unit::t},
    {"litre", Unit::l},
    {"liter", Unit::l},
    {"m\xc2\xb3", Unit::m3},
    {"kwh", Unit::kWh},
    {"mwh", Unit::MWh},
    {"m\xc2\xb2", Unit::m2},
    {"heure", Unit::h},
    {"hour", Unit::h},
    {"jour", Unit::day},
    {"j", Unit::day},
    {"days", Unit::day},
    {"mois", Unit::month},
    {"forfait", Unit::lot},
    {"ft", Unit::lot},
    // The mètre linéaire spelt out; "ml" alone is refused (see parse_unit).
    {"metre", Unit::m},
    {"metres", Unit::m},
    {"m lineaire", Unit::m},
    {"m lineaires", Unit::m},
    {"metre lineaire", Unit::m},
    {"metres lineaires", Unit::m},
    {"ml (metre lineaire)", Unit::m},
    {"ml (metres lineaires)", Unit::m},
};

// Lower case, no accents, surrounding blanks dropped and inner runs of blanks as one space.
std::string normalise(std::string_view text) {
  std::string out;
  for (const char c : fold_for_search(text)) {
    const bool blank = c == ' ' || c == '\t';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out.push_back(blank ? ' ' : c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const UnitInfo& info(Unit unit) { return kUnits[static_cast<int>(unit)]; }

}  // namespace

std::string_view to_string(Unit unit) { return info(unit).name; }
Dimension dimension_of(Unit unit) { return info(unit).dimension; }
std::int64_t finest_unit_factor(Unit unit) { return info(unit).factor; }

Result<Unit> parse_unit(std::string_view text, std::string_view field) {
  for (const auto& u : kUnits) {
    if (u.name == text) return u.unit;
  }
  const std::string folded = normalise(text);
  for (const auto& u : kUnits) {
    if (fold_for_search(u.name) == folded) return u.unit;
  }
  for (const auto& [alias, unit] : kAliases) {
    if (alias == folded) return unit;
  }
  // "mL"/"ml" is a millilitre on consumables price lists and a mètre linéaire on
  // works schedules: never guessed. There is no millilitre unit: litres take
  // three decimals, so a millilitre is exactly 0.001 l.
  if (folded == "ml") {
    return Error::invalid(std::string(field),
                          "« ml » est ambigu (millilitre ou mètre linéaire) : écrire les millilitres en litres "
                          "(250 ml = 0.25 l) et un mètre linéaire « m linéaire »",
                          "unit.ambiguous");
  }
  if (folded == "millilitre" || folded == "millilitres" || folded == "milliliter" || folded == "milliliters") {
    return Error::invalid(std::string(field),
                          "il n’y a pas d’unité millilitre : écrire la quantité en litres (250 ml = 0.25 l)",
                          "unit.millilitre");
  }
  return Error::invalid(std::string(field),
                        "unité inconnue ; utiliser l’une de u, kg, t, l, m3, kWh, MWh, m, m2, h, day, month, lot",
                        "unit.unknown");
}

Unit finer_unit(Unit a, Unit b) { return finest_unit_factor(a) <= finest_unit_factor(b) ? a : b; }

std::optional<Quantity> convert_to_finer(Quantity quantity, Unit from, Unit to) {
  if (dimension_of(from) != dimension_of(to)) return std::nullopt;
  const auto f = finest_unit_factor(from);
  const auto g = finest_unit_factor(to);
  if (f < g || f % g != 0) return std::nullopt;
  const int128 converted = static_cast<int128>(quantity.thousandths) * (f / g);
  if (converted > INT64_MAX || converted < INT64_MIN) return std::nullopt;
  return Quantity{static_cast<std::int64_t>(converted)};
}

std::string_view french_unit_name(std::string_view code) {
  constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"u", "unité"}, {"kg", "kg"}, {"t", "t"},     {"l", "l"},      {"m3", "m³"},      {"kWh", "kWh"}, {"MWh", "MWh"},
      {"m", "m"},     {"m2", "m²"}, {"h", "heure"}, {"day", "jour"}, {"month", "mois"}, {"lot", "lot"}};
  for (const auto& [from, to] : kNames) {
    if (from == code) return to;
  }
  return code;
}

}  // namespace canopee
