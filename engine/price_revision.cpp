#include "engine/price_revision.hpp"

#include <algorithm>
#include <array>

#include "engine/enum_names.hpp"

namespace canopee {
namespace {

constexpr auto kKinds = enum_names<PriceKind>("firm", "firm_actualisable", "revisable");
constexpr auto kKindLabels = enum_names<PriceKind>("prix ferme", "prix ferme actualisable", "prix révisable");
constexpr std::array<std::string_view, 12> kFrenchMonths{"janvier",   "février", "mars",     "avril",
                                                         "mai",       "juin",    "juillet",  "août",
                                                         "septembre", "octobre", "novembre", "décembre"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal with a comma written with a dot, for parse_decimal.
std::string with_dot(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), ',', '.');
  return out;
}

std::string with_comma(std::string text) {
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

Error terms_error(std::string field, std::string message) {
  std::string code = "price_terms." + field;
  return Error::invalid(std::move(field), std::move(message), std::move(code));
}

}  // namespace

std::string_view to_string(PriceKind kind) { return kKinds(kind); }
std::string_view french_label(PriceKind kind) { return kKindLabels(kind); }
Result<PriceKind> parse_price_kind(std::string_view text, std::string_view field) {
  return parse_value(kKinds, text, field);
}

Result<YearMonth> parse_year_month(std::string_view text, std::string_view field) {
  const auto bad = [&] {
    return Error::invalid(std::string(field), "mois attendu sous la forme AAAA-MM (ex. 2026-01)", "month.invalid");
  };
  if (text.size() != 7 || text[4] != '-') return bad();
  for (std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U}) {
    if (!is_digit(text[i])) return bad();
  }
  const int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const auto month = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
  if (year < 1900 || year > 2999 || month < 1 || month > 12) return bad();
  return YearMonth{year, month};
}

std::string to_string(YearMonth month) {
  return std::to_string(month.year) + (month.month < 10 ? "-0" : "-") + std::to_string(month.month);
}

std::string to_french(YearMonth month) {
  return std::string(kFrenchMonths.at(month.month - 1)) + " " + std::to_string(month.year);
}

YearMonth month_of(Date date) {
  const auto civil = to_civil(date);
  return {civil.year, civil.month};
}

Date first_day(YearMonth month) { return from_civil({month.year, month.month, 1}); }

YearMonth add_months(YearMonth month, int months) {
  const int index = month.year * 12 + static_cast<int>(month.month) - 1 + months;
  return {index / 12, static_cast<unsigned>(index % 12) + 1};
}

Result<std::int64_t> parse_index_value(std::string_view text, std::string_view field) {
  const auto bad = [&] {
    return Error::invalid(std::string(field),
                          "valeur d’indice attendue, positive, d’au plus quatre décimales (ex. 131,2)",
                          "index.value_invalid");
  };
  auto value = parse_decimal(with_dot(text), kIndexScale, field);
  if (!value) return bad();
  if (*value <= 0 || *value > kMaxIndexValue) return bad();
  return *value;
}

std::string french_index_value(std::int64_t value) { return with_comma(format_decimal(value, kIndexScale, 0)); }

std::string french_unit_price(UnitPrice price) { return with_comma(to_string(price)) + "\u00a0€"; }

Status check_index_code(std::string_view code, std::string_view field) {
  const bool shape_ok = !code.empty() && code.size() <= 20 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-';
  });
  if (shape_ok) return ok_status();
  return Error::invalid(std::string(field), "code d’indice de 1 à 20 caractères parmi A–Z, 0–9, _ et - (ex. BT01)",
                        "price_terms.index_code");
}

Status check_price_terms(const PriceTerms& terms) {
  if (terms.fixed_part_bp < 0 || terms.fixed_part_bp > kBasisPoints) {
    return terms_error("fixed_part", "la partie fixe est comprise entre 0 et 10 000 dix-millièmes (0 à 100 %)");
  }
  if (terms.kind == PriceKind::firm) {
    if (!terms.index_code.empty() || terms.base_month || terms.first_revision_on || terms.periodicity_months ||
        terms.fixed_part_bp != 0) {
      return Error::invalid("kind", "un prix ferme (R2112-10) n’a ni indice, ni mois zéro, ni date de révision",
                            "price_terms.firm_has_formula");
    }
    return ok_status();
  }
  CANOPEE_TRY_STATUS(check_index_code(terms.index_code, "index_code"));
  if (!terms.base_month) return terms_error("base_month", "le mois zéro (mois de l’indice I0) est requis");
  if (!terms.first_revision_on) {
    return terms_error("first_revision_on", terms.kind == PriceKind::revisable
                                                ? "la date de la première révision est requise"
                                                : "la date de début d’exécution est requise");
  }
  if (month_of(*terms.first_revision_on) <= *terms.base_month) {
    return terms_error("first_revision_on", "la première révision tombe après le mois zéro");
  }
  if (terms.kind == PriceKind::revisable) {
    if (!terms.periodicity_months || *terms.periodicity_months < 1 ||
        *terms.periodicity_months > kMaxPeriodicityMonths) {
      return terms_error("periodicity_months", "la périodicité est de 1 à 120 mois");
    }
  } else if (terms.periodicity_months) {
    return terms_error("periodicity_months", "un prix ferme actualisable ne s’actualise qu’une fois (R2112-11)");
  }
  return ok_status();
}

bool actualisation_applies(YearMonth base_month, Date start) {
  return start > canopee::add_months(first_day(base_month), 3);
}

std::optional<Date> revision_in_force(const PriceTerms& terms, Date day) {
  if (terms.kind == PriceKind::firm || !terms.first_revision_on || !terms.base_month) return std::nullopt;
  const Date first = *terms.first_revision_on;
  if (day < first) return std::nullopt;
  if (terms.kind == PriceKind::firm_actualisable) {
    if (!actualisation_applies(*terms.base_month, first)) return std::nullopt;
    return first;
  }
  const int step = terms.periodicity_months.value_or(12);
  // Each date is taken from the first one (not from the previous), so a 31st stays a 31st
  // where the month has one.
  const auto civil_day = to_civil(day), civil_first = to_civil(first);
  int k = ((civil_day.year - civil_first.year) * 12 + static_cast<int>(civil_day.month) -
           static_cast<int>(civil_first.month)) /
          step;
  while (k > 0 && canopee::add_months(first, k * step) > day) --k;
  return canopee::add_months(first, k * step);
}

Status check_on_schedule(const PriceTerms& terms, Date effective_on) {
  if (terms.kind == PriceKind::firm) {
    return Error::rule_broken(ErrorCode::conflict, "revision.firm", "effective_on",
                              "le lot est à prix ferme (R2112-10) : son prix ne se révise pas");
  }
  if (revision_in_force(terms, effective_on) == effective_on) return ok_status();
  std::string message = terms.kind == PriceKind::revisable
                            ? "la date n’est pas une date de révision du lot (première révision le " +
                                  to_french(*terms.first_revision_on) + ", puis tous les " +
                                  std::to_string(terms.periodicity_months.value_or(12)) + " mois)"
                            : "le prix s’actualise une seule fois, au début d’exécution (le " +
                                  to_french(*terms.first_revision_on) +
                                  "), et seulement si plus de trois mois le séparent du mois zéro (R2112-11)";
  return Error::invalid("effective_on", std::move(message), "revision.not_on_schedule");
}

YearMonth index_month_for(const PriceTerms& terms, Date effective_on) {
  if (terms.kind == PriceKind::firm_actualisable) return month_of(canopee::add_months(effective_on, -3));
  return month_of(effective_on);
}

Result<Revision> compute_revision(const PriceTerms& terms, Date effective_on, std::optional<std::int64_t> base_value,
                                  std::optional<std::int64_t> index_value) {
  const YearMonth month = index_month_for(terms, effective_on);
  const auto missing = [&](YearMonth m) {
    return Error::rule_broken(ErrorCode::conflict, "revision.index_missing", "effective_on",
                              "la valeur de l’indice " + terms.index_code + " de " + to_french(m) +
                                  " n’est pas chargée (" + to_string(m) + ")");
  };
  if (!base_value) return missing(*terms.base_month);
  if (!index_value) return missing(month);
  Revision r;
  r.effective_on = effective_on;
  r.index_month = month;
  r.base_value = *base_value;
  r.index_value = *index_value;
  // Both values ≤ 10^11 and a ≤ 10^4: num and den stay below 10^16, within 64 bits.
  r.coefficient_num = terms.fixed_part_bp * r.base_value + (kBasisPoints - terms.fixed_part_bp) * r.index_value;
  r.coefficient_den = kBasisPoints * r.base_value;
  return r;
}

Result<UnitPrice> revised_price(const Revision& revision, UnitPrice base_price) {
  const int128 price = divide_round_half_away(int128{base_price.ten_thousandths} * revision.coefficient_num,
                                              revision.coefficient_den);
  if (price > kMaxUnitPrice || price < 0) {
    return Error::rule_broken(ErrorCode::invalid, "revision.price_out_of_range", "effective_on",
                              "le prix révisé dépasse le plus grand prix unitaire accepté");
  }
  return UnitPrice{static_cast<std::int64_t>(price)};
}

std::string french_coefficient(const Revision& revision) {
  const int128 scaled = divide_round_half_away(int128{revision.coefficient_num} * 100'000, revision.coefficient_den);
  return with_comma(format_decimal(static_cast<std::int64_t>(scaled), 5, 5));
}

std::string explain_coefficient(const PriceTerms& terms, const Revision& revision) {
  const std::string fixed = with_comma(format_decimal(terms.fixed_part_bp, 4, 0));
  const std::string variable = with_comma(format_decimal(kBasisPoints - terms.fixed_part_bp, 4, 0));
  // Without a fixed part the formula is the plain ratio of the indices.
  const std::string formula = terms.fixed_part_bp == 0 ? "P = P0 × I / I0"
                                                       : "P = P0 × (" + fixed + " + " + variable + " × I / I0)";
  return formula + " ; I0 = " + terms.index_code + " de " + to_french(*terms.base_month) + " = " +
         french_index_value(revision.base_value) + " ; I = " + terms.index_code + " de " +
         to_french(revision.index_month) + " = " + french_index_value(revision.index_value) + " ; coefficient " +
         french_coefficient(revision);
}

std::string explain_revision(const PriceTerms& terms, const Revision& revision, UnitPrice base_price,
                             UnitPrice revised) {
  return explain_coefficient(terms, revision) + " ; " + french_unit_price(base_price) + " → " +
         french_unit_price(revised) + " HT";
}

}  // namespace canopee
