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
// grouping carries them and rows always sum to the totals to the cent. On the
// 12-month basis every figure of a line — costs included — is scaled by
// 12 / duration, each rounded to the cent, before grouping.
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
// The rule as the report's parameters echo it.
inline constexpr std::string_view kSavingsDateRule = "notification_else_award";
std::string_view to_string(ReportGroup group);
std::string_view to_string(ReportBasis basis);
std::string_view to_string(SavingsDateBasis basis);
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
  SavingsLine figures;  // contract basis

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
