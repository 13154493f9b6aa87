#include "engine/reference.hpp"

#include <algorithm>

#include "engine/enum_names.hpp"

namespace canopee {
namespace {

constexpr auto kSourceNames = enum_names<ReferenceSource>("historical_price", "other_buyer_price", "supplier_quotes",
                                                          "average_of_offers", "budget_estimate");
constexpr auto kSourceLabels = enum_names<ReferenceSource>("Prix historique", "Prix payé par un autre acheteur",
                                                           "Devis fournisseurs", "Moyenne des offres reçues",
                                                           "Estimation budgétaire");

// "1 100,0": thousands separated by a no-break space, at least one decimal.
std::string french_index(std::int64_t value) {
  const std::string plain = format_decimal(value, kIndexScale, 1);  // "1100.0"
  const auto dot = plain.find('.');
  const std::string digits = plain.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00a0";
    out += digits[i];
  }
  return out + "," + plain.substr(dot + 1);
}

// « de mars 2025 », « d’avril 2025 »: French elides before avril, août and octobre.
std::string of_month(YearMonth month) {
  const bool vowel = month.month == 4 || month.month == 8 || month.month == 10;
  return (vowel ? "d’" : "de ") + to_french(month);
}

Error amount_too_large() {
  return Error::of(ErrorCode::invalid, "la référence actualisée dépasse le plus grand montant pris en charge",
                   "reference.amount.too_large");
}

}  // namespace

std::string_view to_string(ReferenceSource source) { return kSourceNames(source); }
std::string_view french_label(ReferenceSource source) { return kSourceLabels(source); }

Result<ReferenceSource> parse_reference_source(std::string_view text, std::string_view field) {
  if (auto value = kSourceNames.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’une des valeurs " + kSourceNames.listed(),
                        "need.reference.source_unknown");
}

std::optional<IndexPoint> index_of_month(const IndexSeries& series, std::string_view code, YearMonth month) {
  const auto values = series.find(code);
  if (values == series.end()) return std::nullopt;
  const auto found = values->second.find(month);
  if (found == values->second.end()) return std::nullopt;
  return IndexPoint{found->first, found->second};
}

std::optional<IndexPoint> latest_index_on_or_before(const IndexSeries& series, std::string_view code, YearMonth month) {
  const auto values = series.find(code);
  if (values == series.end()) return std::nullopt;
  auto after = values->second.upper_bound(month);  // the first month later than `month`
  if (after == values->second.begin()) return std::nullopt;
  --after;
  return IndexPoint{after->first, after->second};
}

Result<Amount> actualise(Amount value, std::int64_t base_value, std::int64_t current_value) {
  if (base_value <= 0 || current_value <= 0) {
    return Error::of(ErrorCode::invalid, "une valeur d’indice est strictement positive", "reference.index_invalid");
  }
  const int128 cents = divide_round_half_away(static_cast<int128>(value.cents) * current_value, base_value);
  if (cents > kMaxAmount || cents < -kMaxAmount) return amount_too_large();
  return Amount{static_cast<std::int64_t>(cents)};
}

Result<OffersAverage> average_of_offers(const LotEvaluation& evaluation) {
  int128 sum = 0;
  int count = 0;
  for (const auto& bid : evaluation.bids) {
    if (!bid.rank) continue;  // excluded by a recorded decision
    sum += bid.unit_price.ten_thousandths;
    ++count;
  }
  if (count == 0) {
    return Error::of(ErrorCode::conflict,
                     "aucune offre valable : la moyenne des offres reçues ne peut servir de référence",
                     "reference.no_valid_offer");
  }
  return OffersAverage{UnitPrice{static_cast<std::int64_t>(divide_round_half_away(sum, count))}, count};
}

Result<std::vector<MemberReference>> compute_references(std::span<const MemberReferenceInput> lines,
                                                        const IndexSeries& series, Date awarded_on,
                                                        const std::optional<OffersAverage>& offers) {
  const YearMonth award_month = month_of(awarded_on);
  std::vector<MemberReference> out;
  out.reserve(lines.size());
  for (const auto& line : lines) {
    MemberReference member;
    member.member_id = line.member_id;
    member.raw = line.reference_value;
    if (line.needs.empty()) {  // nothing known beyond the frozen line: used as it is
      member.actualised = line.reference_value;
      out.push_back(std::move(member));
      continue;
    }
    std::vector<std::int64_t> value_weights;
    std::vector<std::int64_t> quantity_weights;
    for (const auto& need : line.needs) {
      value_weights.push_back(need.value_weight);
      quantity_weights.push_back(need.quantity_weight);
    }
    // All-zero weights (every price 0): the raw line is 0 and shared as zeros.
    std::vector<std::int64_t> raw_parts(line.needs.size(), 0);
    if (std::any_of(value_weights.begin(), value_weights.end(), [](std::int64_t w) { return w > 0; })) {
      CANOPEE_TRY(shares, allocate_largest_remainder(line.reference_value.cents, value_weights));
      raw_parts = std::move(shares);
    }
    std::vector<std::int64_t> quantity_parts(line.needs.size(), 0);
    if (std::any_of(quantity_weights.begin(), quantity_weights.end(), [](std::int64_t w) { return w > 0; })) {
      CANOPEE_TRY(shares, allocate_largest_remainder(line.quantity.thousandths, quantity_weights));
      quantity_parts = std::move(shares);
    }
    int128 total = 0;
    for (std::size_t i = 0; i < line.needs.size(); ++i) {
      const auto& need = line.needs[i];
      ReferencePart part;
      part.need_id = need.need_id;
      part.source = need.source;
      part.reference_date = need.reference_date;
      part.index_code = need.index_code;
      part.raw = Amount{raw_parts[i]};
      part.actualised = part.raw;
      if (need.source == ReferenceSource::average_of_offers) {
        if (!offers) {
          return Error::of(ErrorCode::conflict,
                           "aucune offre valable : la moyenne des offres reçues ne peut servir de référence",
                           "reference.no_valid_offer");
        }
        part.average = *offers;
        auto value = line_amount(Quantity{quantity_parts[i]}, offers->unit_price);
        if (!value) return amount_too_large();
        part.actualised = *value;
      } else if (!need.index_code.empty()) {
        const YearMonth reference_month = month_of(need.reference_date);
        if (reference_month > award_month) {
          return Error::rule_broken(ErrorCode::conflict, "reference.date_after_award", "reference_date",
                                    "besoin " + std::to_string(need.need_id) + " : la référence du " +
                                        to_french(need.reference_date) +
                                        " est postérieure à l’attribution : elle ne peut être actualisée");
        }
        part.base = index_of_month(series, need.index_code, reference_month);
        part.current = latest_index_on_or_before(series, need.index_code, award_month);
        if (!part.base || !part.current) {
          const YearMonth month = part.base ? award_month : reference_month;
          return Error::rule_broken(ErrorCode::conflict, "reference.index_missing", "reference_index",
                                    "besoin " + std::to_string(need.need_id) + " : la valeur de l’indice " +
                                        need.index_code + " " + of_month(month) +
                                        " n’est pas chargée : la référence ne peut être actualisée");
        }
        CANOPEE_TRY(value, actualise(part.raw, part.base->value, part.current->value));
        part.actualised = value;
      }
      part.missing = part.actualised.cents == 0 && need.source != ReferenceSource::average_of_offers;
      total += part.actualised.cents;
      if (need.one_off) member.one_off_actualised += part.actualised;
      member.parts.push_back(std::move(part));
    }
    if (total > kMaxAmount) return amount_too_large();
    member.actualised = Amount{static_cast<std::int64_t>(total)};
    out.push_back(std::move(member));
  }
  return out;
}

std::string explain_reference(const ReferencePart& part) {
  std::string text(french_label(part.source));
  if (part.source == ReferenceSource::average_of_offers) {
    if (part.average) {
      text += " (" + std::to_string(part.average->bids) + (part.average->bids > 1 ? " offres" : " offre") +
              ") : " + french_unit_price(part.average->unit_price);
    }
    return text;
  }
  text += " du " + to_french(part.reference_date);
  if (part.base && part.current) {
    text += " actualisé par l’indice " + part.index_code + " : " + french_index(part.base->value) + " → " +
            french_index(part.current->value);
    text += " (" + to_french(part.base->month) + " → " + to_french(part.current->month) + ")";
  }
  if (part.missing) text += " — référence manquante (prix à 0)";
  return text;
}

}  // namespace canopee
