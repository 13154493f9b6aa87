#pragma once
// The reference of the savings (issue 19 item 2): where a need's reference price comes from,
// its date, and the index that brings it to the award date — the DAE "gains achats" method takes
// the historical price *actualisé* as the reference.
//
//   actualised = reference × I(award month) / I(reference month)
//
// I(reference month) is the value of the reference date's own month: when it is not loaded the
// award is refused (`reference.index_missing`), never computed with a coefficient of 1.
// I(award month) is the value of the award month or, when it is not published yet, of the latest
// month published before it (INSEE publishes the BT/TP indices about three months late: at the
// award the last known value is the one the price stands at; the same reading as a revision
// on "the last published month", see price_revision.hpp). Exact integer arithmetic, one rounding
// half away from zero to the cent per need line.
//
// "Average of the offers received": the reference unit price is the mean of the unit prices of
// the lot's valid bids — those the evaluation ranks, i.e. every bid not excluded by a recorded
// decision (irregular, rejected, abnormally low refused) — at the lot's total quantity, rounded
// half away from zero to 1/10,000 €. Pure: no I/O.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/evaluation.hpp"
#include "engine/money.hpp"
#include "engine/price_revision.hpp"
#include "engine/result.hpp"

namespace canopee {

// The DAE's list of references. Wire names are stable.
enum class ReferenceSource : std::uint8_t {
  historical_price,   // « prix historique payé »
  other_buyer_price,  // « prix payé par un autre acheteur »
  supplier_quotes,    // « devis fournisseurs »
  average_of_offers,  // « moyenne des offres reçues »
  budget_estimate,    // « estimation budgétaire »
};
std::string_view to_string(ReferenceSource source);
std::string_view french_label(ReferenceSource source);  // « Prix historique », …
// `need.reference.source_unknown` on `field` otherwise.
Result<ReferenceSource> parse_reference_source(std::string_view text, std::string_view field);

// A loaded index value and the month it is the value of.
struct IndexPoint {
  YearMonth month;
  std::int64_t value = 0;  // 1/10,000 point
  bool operator==(const IndexPoint&) const = default;
};
// The values loaded for the indices a computation needs: code → month → value.
using IndexSeries = std::map<std::string, std::map<YearMonth, std::int64_t>, std::less<>>;

// The value of `month` exactly, or none.
std::optional<IndexPoint> index_of_month(const IndexSeries& series, std::string_view code, YearMonth month);
// The value of `month`, or of the latest month loaded before it, or none.
std::optional<IndexPoint> latest_index_on_or_before(const IndexSeries& series, std::string_view code, YearMonth month);

// value × current / base, rounded half away from zero to the cent (base > 0).
Result<Amount> actualise(Amount value, std::int64_t base_value, std::int64_t current_value);

// The mean of the unit prices of the lot's valid (ranked) bids, half away from zero to 1/10,000 €,
// and how many bids it averages; `reference.no_valid_offer` when none is left.
struct OffersAverage {
  UnitPrice unit_price;
  int bids = 0;
};
Result<OffersAverage> average_of_offers(const LotEvaluation& evaluation);

// How the reference is computed, in French, for the answers and the reports' parameters.
inline constexpr std::string_view kReferenceRule =
    "référence HT de chaque besoin : prix de référence × quantité, actualisé à la date d’attribution par "
    "l’indice choisi (référence × I(mois d’attribution, ou dernier mois publié) / I(mois de la référence)), "
    "ou moyenne des offres valables reçues ; arrondi au centime par besoin";

// One need behind a member's line of a lot.
struct ReferenceNeed {
  std::int64_t need_id = 0;
  ReferenceSource source = ReferenceSource::historical_price;
  Date reference_date;
  std::string index_code;  // empty: not actualised
  bool one_off = false;    // a one-off need (counted once), not a recurring one
  // The weights that share the member's line among its needs, on the aggregation's basis:
  // value = quantity × reference unit price, quantity in the dimension's finest unit; both
  // × the months counted (duration for a recurring need, 12 for a one-off one).
  std::int64_t value_weight = 0;
  std::int64_t quantity_weight = 0;
};

// A member's line of a lot as frozen at the tender's creation, and its needs.
struct MemberReferenceInput {
  std::int64_t member_id = 0;
  Quantity quantity;
  Amount reference_value;  // raw, Σ of its needs' values
  std::vector<ReferenceNeed> needs;
};

// What one need's part of the reference was computed from.
struct ReferencePart {
  std::int64_t need_id = 0;
  ReferenceSource source = ReferenceSource::historical_price;
  Date reference_date;
  std::string index_code;
  std::optional<IndexPoint> base;     // I(reference month)
  std::optional<IndexPoint> current;  // I(award month) or the latest published before it
  std::optional<OffersAverage> average;
  Amount raw;            // its share of the member's raw reference
  Amount actualised;     // the reference used
  bool missing = false;  // a zero reference not computed from the offers: flagged, not refused
};

struct MemberReference {
  std::int64_t member_id = 0;
  Amount raw;
  Amount actualised;          // Σ parts: what the savings are computed against
  Amount one_off_actualised;  // Σ parts of one-off needs (the line's one-off reference)
  std::vector<ReferencePart> parts;
};

// The reference of each member line at an award on `awarded_on`:
//  - the raw line is shared among its needs by their value weights (largest remainder, so the
//    parts add up to the frozen line exactly);
//  - an "average of offers" need is valued at its share of the line's quantity (by quantity
//    weights) × the offers' average;
//  - a need with an index is actualised by I(award) / I(reference month).
// Errors: `reference.index_missing` (409) naming the index and month in French,
// `reference.date_after_award`, `reference.no_valid_offer`, `reference.amount.too_large`.
Result<std::vector<MemberReference>> compute_references(std::span<const MemberReferenceInput> lines,
                                                        const IndexSeries& series, Date awarded_on,
                                                        const std::optional<OffersAverage>& offers);

// « Prix historique du 15/03/2025 actualisé par l’indice BT01 : 1 100,0 → 1 155,0 », « Moyenne des
// offres reçues (3 offres) : 12,3400 € », « Estimation budgétaire du 01/02/2026 ».
std::string explain_reference(const ReferencePart& part);

}  // namespace canopee
