#pragma once
// A joint tender and its lots, and the status machines of tenders, lots and bids
// (design.md §6).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/aggregation.hpp"
#include "engine/bid_review.hpp"
#include "engine/evaluation.hpp"
#include "engine/framework.hpp"
#include "engine/procedure.hpp"

namespace canopee {

// draft → published → closed → awarded, or cancelled from any state before awarded.
enum class TenderStatus : std::uint8_t { draft, published, closed, awarded, cancelled };
enum class LotStatus : std::uint8_t { open, awarded, unsuccessful };
enum class Vehicle : std::uint8_t { groupement, centrale };
// Why the open call's minimum time limit is shortened (R2161-3): none, a prior
// information notice was published, or a duly justified urgency.
enum class TimeLimitReduction : std::uint8_t { none, prior_information_notice, urgency };

std::string_view to_string(TenderStatus status);
std::string_view to_string(LotStatus status);
std::string_view to_string(Vehicle vehicle);
Result<TenderStatus> parse_tender_status(std::string_view text, std::string_view field);
// The status as officers read it: « brouillon », « publiée », « close », « attribuée », « annulée ».
std::string_view french_label(TenderStatus status);
Result<LotStatus> parse_lot_status(std::string_view text, std::string_view field);
Result<Vehicle> parse_vehicle(std::string_view text, std::string_view field);
Result<Procedure> parse_procedure(std::string_view text, std::string_view field);
std::string_view to_string(TimeLimitReduction reduction);
Result<TimeLimitReduction> parse_time_limit_reduction(std::string_view text, std::string_view field);

bool tender_transition_allowed(TenderStatus from, TenderStatus to);

struct LotMemberLine {
  std::int64_t member_id = 0;
  Quantity quantity;
  Amount reference_value;
  UnitPrice reference_unit_price;
  // The part of quantity and reference_value from one-off needs; the rest recurs.
  Quantity one_off_quantity{};
  Amount one_off_reference_value{};
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
  Amount estimated_value;  // the sum of the members' reference values
  // The officer's own estimate of the lot (R2121-1: sincere, the whole need), set when
  // the references are missing or do not reflect the market; it takes precedence.
  std::optional<Amount> officer_estimate{};
  Amount estimate() const { return officer_estimate.value_or(estimated_value); }
  // The lot's VAT rate in basis points (engine/vat.hpp): amounts stay HT, TTC derived.
  std::int64_t vat_rate_bp = 2000;
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
  // The groupement de commandes the tender belongs to (engine/groupement.hpp); none
  // for a centrale's tender and for tenders made before conventions were recorded.
  std::optional<std::int64_t> groupement_id{};
  PurchaseKind kind = PurchaseKind::supplies;
  Procedure procedure = Procedure::adapted;
  Date contract_start;
  int duration_months = 12;
  std::string bid_deadline;  // RFC 3339, empty until set
  std::vector<Criterion> criteria;
  PriceFormula price_formula = PriceFormula::proportional;
  AbnormallyLowMethod abnormally_low_method = AbnormallyLowMethod::two_pass_mean;
  TieBreak tie_break = TieBreak::heaviest_criterion;  // announced in the rules of the consultation
  bool framework_agreement = true;
  // Renewals, the maxima per lot and member, the margin (engine/framework.hpp).
  FrameworkTerms framework_terms;
  std::string allotment_justification;
  // Before publication, the planned launch (the advice is computed at it); set at
  // publication to the day the notice is sent, never earlier than the creation.
  std::optional<Date> launch_date;
  TimeLimitReduction time_limit_reduction = TimeLimitReduction::none;
  int mapa_minimum_days = 15;           // the "reasonable" time of a MAPA (R2123-4)
  std::optional<Date> created_on;       // read from the store
  std::optional<Instant> published_at;  // the notice sent
  std::optional<Instant> closed_at;
  std::string close_reason;   // why it closed before the deadline
  std::string cancel_reason;  // why a launched procedure was declared without follow-up (R2185-1)
  // The execution conditions of 21 August 2026 (loi 2021-1104 art. 35), summaries of
  // the clauses (at most kMaxConditionLength code points, empty when none):
  std::string environmental_conditions;  // environmental considerations (L2112-2)
  std::string social_considerations;     // social considerations (L2112-2-1)
  std::string social_exception;          // why none are taken into account (L2112-2-1, 2nd al.)
  std::vector<Lot> lots;                 // by number
  std::int64_t version = 1;
};

// The lot of the tender with this id, or null when it is not one of its lots.
const Lot* find_lot(const Tender& tender, std::int64_t lot_id);

// A settled lot (awarded or unsuccessful) no longer receives, changes or settles
// bids: conflict `lot.settled`.
Error lot_settled_error();
Status check_lot_open(const Lot& lot);
// A lot is awarded or declared unsuccessful once the tender is closed (the bids
// opened), and only once: conflict `lot.settled` (first), or `lot.settle.tender_not_closed`.
Status check_lot_settleable(const Tender& tender, const Lot& lot);

inline constexpr int kDefaultMapaMinimumDays = 15;
inline constexpr int kMaxMapaMinimumDays = 365;
inline constexpr std::size_t kMaxConditionLength = 4000;  // code points

struct Bid {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  std::int64_t supplier_id = 0;
  BidReview review;  // regularity and price review, changed only by decisions (engine/bid_review.hpp)
  std::string received_at;
  std::vector<Tier> tiers;
  std::vector<CriterionScore> scores;
  std::vector<BidDecisionRecord> decisions;  // oldest first
  std::int64_t version = 1;
};

// Lots from a proposal, numbered from 1 in the proposal's order, titled from the
// CPV labels; `cpv` resolves the grouping code's check digit and label.
std::vector<Lot> lots_from_proposal(const Proposal& proposal, const CpvNomenclature& cpv);

// The minimum time between sending the notice and the bid deadline, in days, and
// the article it rests on: open call for tenders 35 days (R2161-2), 30 because
// offers are always submitted electronically here (R2161-3), 15 with a prior
// information notice or in a duly justified urgency (R2161-3); an adapted
// procedure a "reasonable" time the tender sets (R2123-4, default 15 days); no
// minimum without competition (R2122-8).
struct TimeLimit {
  int days = 0;
  std::string article;
  std::string basis;  // in French, for messages
};
TimeLimit minimum_time_limit(Procedure procedure, TimeLimitReduction reduction, int mapa_minimum_days);

// What publishing at `sent` (the instant the notice is sent, `launch` its day)
// requires: criteria valid, at least one lot, a bid deadline at least the
// procedure's minimum time limit after `sent`, the award-criteria rules in force
// at `launch` (R2152-7: from 2026-08-21 an environmental criterion or a single
// life-cycle cost), every lot with a positive estimate (R2121-1, code
// estimate.missing), a justified single lot (L2113-11), a framework agreement of at
// most 4 years with renewals or justified (L2125-1). `launch` is the server's
// day of publication, so never earlier than the creation; a launch date a user
// gives is a planned one, checked by check_planned_launch.
Status check_publishable(const Tender& tender, Date launch, Instant sent);

// The texts of the execution conditions: valid UTF-8, no control character but
// newlines and tabs, at most kMaxConditionLength code points; errors name the field.
Status validate_execution_conditions(const Tender& tender);

// The execution conditions required at `launch` for a tender passed under
// `procedure` (part of check_publishable, on the tender's procedure): from
// 2026-08-21 (execution_conditions_date), environmental considerations always
// (L2112-2 as amended by loi 2021-1104 art. 35, code
// tender.environmental_conditions.missing); for a formal procedure (at or above the
// EU thresholds) social considerations or the justification of their absence
// (L2112-2-1, code tender.social_considerations.missing). Before that date, none.
std::vector<FieldError> execution_condition_errors(const Tender& tender, Procedure procedure, Date launch);
Date execution_conditions_date();

// A planned launch date (a draft's) is not earlier than the tender's creation.
Status check_planned_launch(Date planned, Date created);

// The period of a tender whose lots are made is fixed: its quantities, values and
// procedure advice were computed on it (R2121-1, R2121-8).
Status check_period_unchanged(const Tender& before, const Tender& after);

// Closing at `now` before the deadline needs a reason.
Status check_close(const Tender& tender, Instant now, std::string_view reason);

// A bid received at `received` (the clock reads `now`): not in the future, not
// before publication, not after the deadline (R2151-5), and only while the tender
// is published.
Status check_bid_receipt(const Tender& tender, Instant received, Instant now);

// The procedure input of a stored tender: its lots at their estimates (the
// officer's when set), families by CPV class, criteria, framework and duration.
ProcedureInput procedure_input(const Tender& tender, Date launch_date);

}  // namespace canopee
