#pragma once
// Procedure advice: from the estimated value of the whole joint tender and of its
// homogeneous families, the purchase kind and the launch date, which procedure the
// Code de la commande publique requires, the publicity level, which lots may use
// the adapted procedure as "petits lots", and warnings — each answer citing its article.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/aggregation.hpp"
#include "engine/thresholds.hpp"

namespace canopee {

enum class Procedure : std::uint8_t { no_competition, adapted, formal };
enum class Publicity : std::uint8_t { none, free, boamp_or_jal, boamp_and_joue };
std::string_view to_string(Procedure procedure);
std::string_view to_string(Publicity publicity);

// Environmental criteria are required from this date (loi Climat et résilience, art. 35).
Date environmental_criterion_date();

struct CriterionInfo {
  std::string name;
  int weight = 0;
  bool environmental = false;
};

// Works, supplies or services from a CPV code's division (its first two digits):
// 45 is works; 03 to 44 and 48 are supplies; 49 to 98 are services.
PurchaseKind purchase_kind_of_cpv(std::uint32_t digits);

struct LotValue {
  std::string key;
  Amount value;                               // the officer's estimate when set, else the sum of the references
  int lines_without_reference = 0;            // member lines with no reference price (R2121-1)
  bool officer_estimate = false;              // `value` is the officer's estimate for the lot
  std::optional<std::uint32_t> cpv_digits{};  // the lot's grouping code, which gives its kind
};

// The kind of a tender made of these lots: the kind of its main object, the one with the
// largest estimated value (a tie keeps `declared` when it is among the largest, else the
// first of supplies, services, works); `declared` when no lot carries a CPV code.
PurchaseKind main_purchase_kind(std::span<const LotValue> lots, PurchaseKind declared);

struct ProcedureInput {
  PurchaseKind kind = PurchaseKind::supplies;  // as declared; the advice applies the lots' main kind
  Date launch_date;
  Amount estimated_total;
  std::vector<Family> families;
  std::vector<LotValue> lots;
  bool framework_agreement = true;
  int duration_months = 12;                            // renewals included
  bool duration_justified = false;                     // a framework agreement beyond 4 years is justified (L2125-1)
  std::optional<std::string> allotment_justification;  // why a single lot (L2113-11)
  std::optional<std::vector<CriterionInfo>> criteria;  // absent until the tender sets them
};

struct Citation {
  std::string article;
  std::string text;
};

struct Warning {
  std::string code;
  std::string article;
  std::string message;
};

struct ProcedureAdvice {
  PurchaseKind kind = PurchaseKind::supplies;  // the kind whose thresholds apply (the main object's)
  Procedure procedure = Procedure::adapted;
  Publicity publicity = Publicity::free;
  std::vector<std::string> small_lots;  // lot keys
  Amount small_lots_value;
  Amount eu_threshold;
  Amount no_competition_threshold;
  std::vector<Citation> citations;
  std::vector<Warning> warnings;
};

// Builds the input from a proposal.
ProcedureInput procedure_input(const Proposal& proposal, const AggregationOptions& options, Date launch_date);

Result<ProcedureAdvice> advise_procedure(const ProcedureInput& input, const ThresholdTable& thresholds);

}  // namespace canopee
