#pragma once
// The anti-splitting view (R2121-6, R2121-7): the value of a year's purchases of one
// homogeneous family (the CPV class, first four digits), per member and for the
// network's joint tenders, against the thresholds, with an alert when items were
// bought under a lighter procedure than the year's total requires.
//
// The year is the calendar year: a joint tender counts in the year of its launch
// date (the planned one before publication, else its creation day); a stand-alone
// purchase in the year of its order date. Cancelled tenders and cancelled purchases
// count for nothing.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/cpv.hpp"
#include "engine/procedure.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee {

inline constexpr std::size_t kMaxStandaloneLabel = 300;         // code points
inline constexpr std::size_t kMaxStandaloneSupplierText = 200;  // code points
inline constexpr std::size_t kMaxCancelReason = 2000;           // code points
inline constexpr int kFirstSplittingYear = 2024;                // the threshold table's first year
inline constexpr int kLastSplittingYear = 2099;

// What a member bought outside the joint tenders (R2121-6/7 count it too).
struct StandalonePurchase {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  CpvCode cpv;
  std::string label;
  Amount amount;                   // HT
  Date purchased_on;               // the order (commitment) date
  std::string supplier_name;       // may be empty
  std::string supplier_reference;  // the order or invoice reference, may be empty
  bool cancelled = false;
  std::string cancel_reason;
  std::optional<std::int64_t> created_by;  // user id
  std::string created_at;
  std::string cancelled_at;
  std::int64_t version = 1;
};

// Label 1–300 code points, supplier texts at most 200, amount positive and at most
// kMaxAmount, date from 2024-01-01 to 2099-12-31, member positive, texts valid UTF-8
// without control characters. Errors name the field, in French, code
// "standalone_purchase.invalid".
Status validate_standalone_purchase(const StandalonePurchase& purchase);
// A cancellation reason: 1–2000 code points, no control character but newlines.
Status validate_cancel_reason(std::string_view reason);
// Who may cancel a purchase on `today` (Paris): an officer always; the member's buyer
// only on the day it was recorded (a typing mistake). Later, a purchase really made
// must not vanish from the yearly view to lift an alert: 409
// "standalone_purchase.cancel_by_officer" (R2121-6, R2121-7).
Status check_cancel_right(const StandalonePurchase& purchase, bool by_officer, Date today);

// The year a joint tender counts in: its launch date's, else its creation day's;
// none when it has neither.
std::optional<int> tender_year(const Tender& tender);
int year_of(Date date);

// The key of the joint grouping a tender belongs to, whose tenders are added up:
// "groupement:<id>" for a tender of a groupement de commandes (the groupement buys
// for its members), "network" for the others (a centrale's, or one made before the
// conventions were recorded).
std::string joint_grouping_key(const Tender& tender);

// The homogeneous family (CPV class) of a code: its first four digits.
std::uint32_t homogeneous_family(std::uint32_t cpv_digits);

// The procedure a value requires at `date` for purchases of `kind`: below the
// dispense (R2122-8) none, below the EU threshold the adapted procedure, from it a
// formal one — "<" and "≥" as in advise_procedure.
Result<Procedure> procedure_required(Amount value, PurchaseKind kind, Date date, const ThresholdTable& thresholds);

// The members' shares of a lot's estimate: each member line's reference value; when
// the officer set the lot's estimate, that estimate split pro rata to the reference
// values (by quantity when they are all zero), largest remainder, by member id.
std::vector<std::pair<std::int64_t, Amount>> member_shares(const Lot& lot);

enum class SplittingScope : std::uint8_t { member, joint };
std::string_view to_string(SplittingScope scope);

struct SplittingItem {
  enum class Source : std::uint8_t { joint_tender, standalone_purchase };
  Source source = Source::joint_tender;
  std::int64_t id = 0;                              // tender id or stand-alone purchase id
  std::string reference;                            // tender reference, or the purchase's supplier reference
  std::string label;                                // tender title, or the purchase's label
  Date date;                                        // the date that places it in the year
  Amount value;                                     // in this row's family (and member, for a member row)
  Procedure procedure = Procedure::no_competition;  // the tender's; a purchase's own amount's at its date
  Procedure required = Procedure::no_competition;   // what the row's total requires at this item's date
  bool lighter = false;                             // procedure < required
};
std::string_view to_string(SplittingItem::Source source);

struct SplittingThresholds {
  Date date;              // the thresholds in force on this day (see the row)
  Amount no_competition;  // R2122-8
  Amount mapa_publicity;  // R2131-12
  Amount eu;              // R2124-1
  std::string no_competition_source;
  std::string eu_source;
};

struct SplittingAlert {
  std::string code;     // "splitting.threshold_crossed"
  std::string article;  // "R2121-6, R2121-7"
  std::string message;  // French
};

struct SplittingRow {
  SplittingScope scope = SplittingScope::member;
  std::optional<std::int64_t> member_id;  // member rows
  std::string grouping_key;               // joint rows
  std::uint32_t family = 0;               // CPV class digits, "NNNN0000"
  PurchaseKind kind = PurchaseKind::supplies;
  Amount joint_value;
  Amount standalone_value;
  Amount total;
  // The thresholds of the item whose date makes the total's requirement strictest
  // (the earliest such item): thresholds change within a year (the dispense went from
  // 40,000 € to 60,000 € on 2026-04-01).
  SplittingThresholds thresholds;
  Procedure required_procedure = Procedure::no_competition;
  std::vector<SplittingItem> items;  // by date, then source, then id
  std::optional<SplittingAlert> alert;
};

struct SplittingReport {
  int year = 0;
  std::vector<SplittingRow> rows;  // member rows (by member, family), then joint rows (by key, family)
};

struct SplittingRequest {
  int year = 0;
  std::optional<std::int64_t> member_id;  // only this member's rows, and no joint rows
  bool joint_rows = true;                 // false for a caller confined to one member
};

// Pure: the tenders (with lots and member lines) and purchases given, whatever
// their year; those outside `year`, cancelled ones and purchases of other members
// (when filtered) are left out here. A year the thresholds do not cover is an
// error on "year".
Result<SplittingReport> splitting_report(const SplittingRequest& request, std::span<const Tender> tenders,
                                         std::span<const StandalonePurchase> purchases,
                                         const ThresholdTable& thresholds);

// The year's other joint tenders, per family, for the advice of one tender (or of a
// proposal when `self` is none): non-cancelled tenders of the same grouping key and
// calendar year, other than `self`.
struct FamilyYearTotal {
  std::uint32_t family = 0;
  Amount other_tenders_value;
  int other_tenders = 0;
};
std::vector<FamilyYearTotal> other_family_totals(std::span<const Tender> tenders, int year,
                                                 std::string_view grouping_key, std::optional<std::int64_t> self);

// Adds the warning "splitting.family_year_total" (R2121-6, R2121-7) to an advice
// for each family of `input` whose value with the year's other joint tenders of
// that family requires a stricter procedure than the advice's: the tender alone
// stays under a threshold the family's year total crosses. A warning, not a
// refusal: the officer may know the needs are not homogeneous.
Status add_family_year_warnings(ProcedureAdvice& advice, const ProcedureInput& input,
                                std::span<const FamilyYearTotal> others, const ThresholdTable& thresholds);

}  // namespace canopee
