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

struct LotValue {
  std::string key;
  Amount value;
};

struct ProcedureInput {
  PurchaseKind kind = PurchaseKind::supplies;
  Date launch_date;
  Amount estimated_total;
  std::vector<Family> families;
  std::vector<LotValue> lots;
  bool framework_agreement = true;
  int duration_months = 12;
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
