#include "engine/procedure.hpp"

#include <algorithm>
#include <array>

namespace canopee {
namespace {

constexpr std::array<std::string_view, 3> kProcedureNames = {"no_competition", "adapted", "formal"};
constexpr std::array<std::string_view, 4> kPublicityNames = {"none", "free", "boamp_or_jal", "boamp_and_joue"};

std::string euros(Amount amount) { return to_string(amount) + " €"; }

}  // namespace

std::string_view to_string(Procedure procedure) { return kProcedureNames[static_cast<std::size_t>(procedure)]; }
std::string_view to_string(Publicity publicity) { return kPublicityNames[static_cast<std::size_t>(publicity)]; }

Date environmental_criterion_date() { return from_civil({2026, 8, 21}); }

ProcedureInput procedure_input(const Proposal& proposal, const AggregationOptions& options, Date launch_date) {
  ProcedureInput input;
  input.kind = options.kind;
  input.launch_date = launch_date;
  input.estimated_total = proposal.estimated_total;
  input.families = proposal.families;
  input.duration_months = options.duration_months;
  for (const auto& lot : proposal.lots) input.lots.push_back({lot.key, lot.estimated_value});
  return input;
}

Result<ProcedureAdvice> advise_procedure(const ProcedureInput& input, const ThresholdTable& thresholds) {
  const bool works = input.kind == PurchaseKind::works;
  const Date date = input.launch_date;
  auto eu = thresholds.at(works ? Threshold::eu_works : Threshold::eu_supplies_services, date);
  if (!eu) return std::move(eu).error();
  auto free_below = thresholds.at(works ? Threshold::no_competition_works : Threshold::no_competition_supplies_services, date);
  if (!free_below) return std::move(free_below).error();
  auto publicity_from = thresholds.at(Threshold::mapa_publicity, date);
  if (!publicity_from) return std::move(publicity_from).error();
  auto small_lot = thresholds.at(works ? Threshold::small_lot_works : Threshold::small_lot_supplies_services, date);
  if (!small_lot) return std::move(small_lot).error();
  auto small_share = thresholds.at(Threshold::small_lots_share_percent, date);
  if (!small_share) return std::move(small_share).error();

  ProcedureAdvice advice;
  advice.eu_threshold = Amount{eu->value};
  advice.no_competition_threshold = Amount{free_below->value};
  const Amount total = input.estimated_total;
  auto cite = [&](std::string article, std::string text) { advice.citations.push_back({std::move(article), std::move(text)}); };
  auto warn = [&](std::string code, std::string article, std::string message) {
    advice.warnings.push_back({std::move(code), std::move(article), std::move(message)});
  };

  cite("R2121-1", "The estimated value is the total excluding VAT of all the lots, options and renewals of the "
                  "joint tender, the needs of every member of the groupement added up: " + euros(total) + ".");
  if (input.framework_agreement) {
    cite("R2121-8", "For a framework agreement the value is the maximum over its whole duration (" +
                        std::to_string(input.duration_months) + " months).");
  }
  if (works) {
    cite("R2121-5", "For works, the value covers the whole opération.");
  } else {
    for (const auto& family : input.families) {
      cite("R2121-6", "Homogeneous family CPV " + cpv_digits_string(family.cpv_digits) + ": " +
                          euros(family.estimated_value) + " (supplies and services of the same family are counted together).");
    }
  }

  if (total.cents < free_below->value) {
    advice.procedure = Procedure::no_competition;
    advice.publicity = Publicity::none;
    cite("R2122-8", "Below " + euros(Amount{free_below->value}) + " (" + free_below->source +
                        "), the contract may be awarded without publicity or competition; choose a relevant offer, "
                        "use public money well and do not always award to the same supplier.");
  } else if (total.cents < eu->value) {
    advice.procedure = Procedure::adapted;
    cite("R2123-1 1°", "Below the EU threshold of " + euros(Amount{eu->value}) + " (" + eu->source +
                           "), the adapted procedure (MAPA) applies.");
    if (total.cents < publicity_from->value) {
      advice.publicity = Publicity::free;
      cite("R2131-12 1°", "Below " + euros(Amount{publicity_from->value}) +
                              ", the buyer chooses publicity suited to the purchase (publicité adaptée). "
                              "Whether R2131-12 or R2131-13 governs OPHs is unconfirmed.");
    } else {
      advice.publicity = Publicity::boamp_or_jal;
      cite("R2131-12 2°", "From " + euros(Amount{publicity_from->value}) +
                              " up to the EU threshold, a notice in the BOAMP or a journal of legal notices (JAL). "
                              "Whether R2131-12 or R2131-13 governs OPHs is unconfirmed.");
    }
  } else {
    advice.procedure = Procedure::formal;
    advice.publicity = Publicity::boamp_and_joue;
    cite("R2124-1", "At or above the EU threshold of " + euros(Amount{eu->value}) + " (" + eu->source +
                        "), a formal procedure is required: open call for tenders (appel d'offres, R2124-2 1°).");
    cite("R2131-16", "Notices in the BOAMP and in the Official Journal of the European Union.");

    // Petits lots: cheapest first, while their sum stays within the share of the total.
    std::vector<LotValue> eligible;
    for (const auto& lot : input.lots) {
      if (lot.value.cents < small_lot->value) eligible.push_back(lot);
    }
    std::sort(eligible.begin(), eligible.end(), [](const LotValue& a, const LotValue& b) {
      return a.value != b.value ? a.value < b.value : a.key < b.key;
    });
    int128 sum = 0;
    for (const auto& lot : eligible) {
      if ((sum + lot.value.cents) * 100 > static_cast<int128>(total.cents) * small_share->value) break;
      sum += lot.value.cents;
      advice.small_lots.push_back(lot.key);
    }
    advice.small_lots_value = Amount{static_cast<std::int64_t>(sum)};
    if (!advice.small_lots.empty()) {
      std::sort(advice.small_lots.begin(), advice.small_lots.end());
      cite("R2123-1 2°", std::to_string(advice.small_lots.size()) + " lot(s) below " + euros(Amount{small_lot->value}) +
                             ", together " + euros(advice.small_lots_value) + " (at most " +
                             std::to_string(small_share->value) + " % of the total), may be awarded by the adapted procedure.");
    }
  }

  // Close below a threshold: an estimate missing options or renewals would change the procedure.
  for (const auto limit : {free_below->value, eu->value}) {
    if (total.cents < limit && static_cast<int128>(total.cents) * 100 >= static_cast<int128>(limit) * 95) {
      warn("near_threshold", "R2121-1",
           "The estimate is within 5 % below the threshold of " + euros(Amount{limit}) +
               ": check that it includes every option, renewal and member need; splitting a need to stay under "
               "a threshold is illegal.");
    }
  }
  if (input.lots.size() == 1 && (!input.allotment_justification || input.allotment_justification->empty())) {
    warn("single_lot_unjustified", "L2113-11",
         "A single lot must be justified (distinct services cannot be identified, or allotting would restrict "
         "competition or make execution harder or costlier).");
  }
  if (input.lots.size() > 1) {
    cite("L2113-10", "Awarded in " + std::to_string(input.lots.size()) + " separate lots, assessed lot by lot (L2152-7).");
  }
  if (input.framework_agreement && input.duration_months > 48) {
    warn("framework_too_long", "L2125-1",
         "A framework agreement lasts at most 4 years (48 months); " + std::to_string(input.duration_months) + " requested.");
  }
  if (date >= environmental_criterion_date()) {
    if (!input.criteria) {
      warn("environmental_criterion_required", "R2152-7",
           "Launched from 2026-08-21: at least one award criterion must take environmental characteristics into "
           "account (loi Climat et résilience, art. 35).");
    } else if (std::none_of(input.criteria->begin(), input.criteria->end(),
                            [](const CriterionInfo& c) { return c.environmental; })) {
      warn("environmental_criterion_missing", "R2152-7",
           "No award criterion takes environmental characteristics into account; one is required for tenders "
           "launched from 2026-08-21 (loi Climat et résilience, art. 35).");
    }
  }
  return advice;
}

}  // namespace canopee
