#pragma once
// The savings report (design.md §2 step 7): the frozen savings lines of awarded
// lots, grouped by member, category (CPV class), tender or month, on the contract
// basis or a 12-month basis, with each tender's shared costs and subsidy.
//
// Dates (issue 17 item 4, issue 19 item 4; design.md §10): a line is counted from
// the notification of the member's contract for its lot when it is recorded (the
// contract is in force from then, R2182-4; the DAE's convention), otherwise from
// the award decision, and says which (`date_basis`). The period and the months are
// those of that counting date; a line not yet notified is included, flagged.
//
// A member's shared costs and subsidy for a tender are spread over its lines in
// that tender pro rata to contract value (largest remainder), so that every
// grouping carries them and rows always sum to the totals to the cent.
//
// The 12-month basis (issue 19 item 1, the DAE's annual gain): only what recurs is
// annualised. Each figure of a line is its recurring part × 12 / duration (to the
// cent, half away from zero) plus its one-off part once; a line's shared costs and
// subsidy follow the line (their recurring share is the line's recurring share of
// its contract value). A one-off purchase counts the same on both bases.
//
// Pooling (item 3): a winning bid with a single price cannot measure the pooling
// effect (0 by construction): lines say whether it was measured, and rows count
// them, so that a report says « non mesurable (prix unique) » rather than 0.
//
// VAT (item 8): every figure is HT. The TTC columns — reference, contract, savings —
// are each line's HT figure × (1 + the lot's rate), half away from zero to the cent,
// then summed; savings TTC = reference TTC − contract TTC exactly.
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/aided_project.hpp"
#include "engine/date.hpp"
#include "engine/savings.hpp"

namespace canopee {

enum class ReportGroup : std::uint8_t { member, category, tender, month };
enum class ReportBasis : std::uint8_t { contract, twelve_months };
// Where a line's counting date comes from: its contract's notification, or the award
// decision alone (the contract is not notified yet).
enum class SavingsDateBasis : std::uint8_t { notified, award_decision };
// Whether the pooling effect of a row was measured: on every line, on none (every
// winning price was a single price), or on some.
enum class PoolingStatus : std::uint8_t { measured, not_measurable, partly_measured };
// Whether a line recurs: from recurring needs only, one-off needs only, or both.
enum class Recurrence : std::uint8_t { recurring, one_off, mixed };
// The rule as the report's parameters echo it.
inline constexpr std::string_view kSavingsDateRule = "notification_else_award";
// The method and its rules, as the report's parameters echo them.
inline constexpr std::string_view kSavingsMethod = "dae_gains_achats_2024";
inline constexpr std::string_view kRecurrenceRule = "recurring_annualised_one_off_once";
inline constexpr std::string_view kPoolingRule = "tiered_price_only";
std::string_view to_string(ReportGroup group);
std::string_view to_string(ReportBasis basis);
std::string_view to_string(SavingsDateBasis basis);
std::string_view to_string(PoolingStatus status);
std::string_view to_string(Recurrence recurrence);
Recurrence recurrence_of(const SavingsLine& line);
// amount × (10000 + rate_bp) / 10000, half away from zero.
Amount with_vat(Amount ht, std::int64_t rate_bp);
Result<ReportGroup> parse_report_group(std::string_view text, std::string_view field);
Result<ReportBasis> parse_report_basis(std::string_view text, std::string_view field);

struct ReportLine {
  std::int64_t tender_id = 0;
  std::string tender_reference;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  std::string member_code;
  std::uint32_t cpv_digits = 0;     // the lot's code
  Date awarded_on;                  // the award decision
  std::optional<Date> notified_on;  // the member contract's notification, when recorded
  int duration_months = 12;
  SavingsLine figures;              // contract basis
  std::int64_t vat_rate_bp = 2000;  // the lot's VAT rate (2000 = 20 %)

  // The day the line's savings are counted from: the notification, else the decision.
  Date counted_on() const { return notified_on.value_or(awarded_on); }
  SavingsDateBasis date_basis() const {
    return notified_on ? SavingsDateBasis::notified : SavingsDateBasis::award_decision;
  }
};

struct TenderMemberCost {
  std::int64_t tender_id = 0;
  std::int64_t member_id = 0;
  Amount shared_costs;
  Amount subsidy;  // CGLLS subsidy granted (aided project granted or paid): in net savings
  // Planned or requested aided projects, and subsidy-eligible costs of no project ("sans
  // projet"): shown apart, never in net savings (issue 19 item 7, docs/reports.md).
  Amount subsidy_projected{};
};

struct ReportFigures {
  Amount reference, contract, savings, pooling_effect, competition_effect, shared_costs, subsidy, net_savings;
  std::int64_t lots = 0;
  // TTC (the lots' VAT rates): what members' budgets are voted in.
  Amount reference_ttc, contract_ttc, savings_ttc;
  // The one-off part of the contract value (counted once on every basis).
  Amount contract_one_off;
  // Member lines whose pooling effect was measured (a tiered price) or not (a single price).
  std::int64_t lines_pooling_measured = 0, lines_pooling_not_measurable = 0;
  PoolingStatus pooling_status() const;
  Amount subsidy_projected{};  // spread, scaled and summed like subsidy; not in net_savings
  // The savings split by date basis: savings_notified + savings_award_only = savings,
  // to the cent; and the member lines (one per lot and member) counted each way.
  Amount savings_notified, savings_award_only;
  std::int64_t lines_notified = 0, lines_award_only = 0;
  // savings / reference, in hundredths of a percent (basis points), half away from zero; 0 without reference.
  std::int64_t savings_pct_bp() const;
};

struct ReportRow {
  std::string key;    // member id, CPV class, tender id, or YYYY-MM
  std::string label;  // member code, CPV class label, tender reference, month
  std::optional<std::int64_t> member_id;
  ReportFigures figures;
};

// One member's line of one lot, with its dates, as counted (on the report's basis).
struct ReportLineDates {
  std::int64_t tender_id = 0;
  std::string tender_reference;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  std::string member_code;
  Date awarded_on;
  std::optional<Date> notified_on;
  Date counted_on;
  SavingsDateBasis date_basis = SavingsDateBasis::award_decision;
  Amount savings;
  Recurrence recurrence = Recurrence::recurring;
  bool pooling_measurable = true;
  std::int64_t vat_rate_bp = 2000;
};

struct SavingsReport {
  ReportGroup group = ReportGroup::member;
  ReportBasis basis = ReportBasis::contract;
  std::vector<ReportRow> rows;  // by key
  ReportFigures totals;
  std::vector<ReportLineDates> lines;           // by counting date, lot, member
  std::optional<AidSettings> subsidy_settings;  // the CGLLS rates and caps in force, for the parameters
};

// `class_label` names a CPV class for the category rows.
SavingsReport build_savings_report(std::span<const ReportLine> lines, std::span<const TenderMemberCost> costs,
                                   ReportGroup group, ReportBasis basis,
                                   const std::function<std::string(std::uint32_t)>& class_label);

}  // namespace canopee
