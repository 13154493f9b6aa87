#pragma once
// A joint tender and its lots, and the status machines of tenders, lots and bids
// (design.md §6).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/aggregation.hpp"
#include "engine/evaluation.hpp"
#include "engine/procedure.hpp"

namespace canopee {

// draft → published → closed → awarded, or cancelled from any state before awarded.
enum class TenderStatus : std::uint8_t { draft, published, closed, awarded, cancelled };
enum class LotStatus : std::uint8_t { open, awarded, unsuccessful };
enum class Vehicle : std::uint8_t { groupement, centrale };

std::string_view to_string(TenderStatus status);
std::string_view to_string(LotStatus status);
std::string_view to_string(Vehicle vehicle);
Result<TenderStatus> parse_tender_status(std::string_view text, std::string_view field);
Result<LotStatus> parse_lot_status(std::string_view text, std::string_view field);
Result<Vehicle> parse_vehicle(std::string_view text, std::string_view field);
Result<Procedure> parse_procedure(std::string_view text, std::string_view field);

bool tender_transition_allowed(TenderStatus from, TenderStatus to);
// A bid's status may move from received to any other; valid, irregular and
// rejected are final except that a valid bid may still be rejected (after a
// refused justification).
bool bid_transition_allowed(BidStatus from, BidStatus to);

struct LotMemberLine {
  std::int64_t member_id = 0;
  Quantity quantity;
  Amount reference_value;
  UnitPrice reference_unit_price;
};

struct Lot {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  int number = 0;
  std::string key;
  std::string title;
  std::string cpv;  // the grouping code, "NNNNNNNN-N" (or 8 digits for a prefix not in the nomenclature)
  Unit unit = Unit::u;
  std::optional<Department> department;
  Quantity quantity;
  Amount estimated_value;            // the sum of the members' reference values
  // The officer's own estimate of the lot (R2121-1: sincere, the whole need), set when
  // the references are missing or do not reflect the market; it takes precedence.
  std::optional<Amount> officer_estimate{};
  Amount estimate() const { return officer_estimate.value_or(estimated_value); }
  LotStatus status = LotStatus::open;
  std::string unsuccessful_reason;
  std::vector<LotMemberLine> members;  // by member id
  std::vector<std::int64_t> need_ids;
  // A lot made from a proposal: the version of each need as the proposal read it,
  // parallel to need_ids; the tender pools the needs on these versions only, so
  // a lot line always equals the needs it holds. Empty on a stored lot.
  std::vector<std::int64_t> need_versions;
  std::int64_t version = 1;
};

struct Tender {
  std::int64_t id = 0;
  std::string reference;
  std::string title;
  TenderStatus status = TenderStatus::draft;
  Vehicle vehicle = Vehicle::groupement;
  std::int64_t coordinator_member_id = 0;
  PurchaseKind kind = PurchaseKind::supplies;
  Procedure procedure = Procedure::adapted;
  Date contract_start;
  int duration_months = 12;
  std::string bid_deadline;  // RFC 3339, empty until set
  std::vector<Criterion> criteria;
  PriceFormula price_formula = PriceFormula::proportional;
  AbnormallyLowMethod abnormally_low_method = AbnormallyLowMethod::two_pass_mean;
  bool framework_agreement = true;
  std::string allotment_justification;
  std::optional<Date> launch_date;
  std::vector<Lot> lots;  // by number
  std::int64_t version = 1;
};

struct Bid {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  std::int64_t supplier_id = 0;
  BidStatus status = BidStatus::received;
  Justification justification = Justification::none;
  std::string received_at;
  std::vector<Tier> tiers;
  std::vector<CriterionScore> scores;
  std::int64_t version = 1;
};

// Lots from a proposal, numbered from 1 in the proposal's order, titled from the
// CPV labels; `cpv` resolves the grouping code's check digit and label.
std::vector<Lot> lots_from_proposal(const Proposal& proposal, const CpvNomenclature& cpv);

// What publishing requires: criteria valid, at least one lot, a bid deadline, and
// from 2026-08-21 an environmental criterion (R2152-7), every lot with a positive
// estimate (R2121-1, code estimate.missing).
Status check_publishable(const Tender& tender, Date today);

// The procedure input of a stored tender: its lots at their estimates (the
// officer's when set), families by CPV class, criteria, framework and duration.
ProcedureInput procedure_input(const Tender& tender, Date launch_date);

}  // namespace canopee
