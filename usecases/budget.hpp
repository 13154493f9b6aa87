#pragma once
// Budget and accounting codes (issue 19 item 9): each member's code list, managed by
// its finance users and the administrators; the codes of its needs; and the finance
// exports by code for the member's accounting system — commitments (order lines sent,
// by the day the order was sent, with what the contracts leave to order listed apart)
// and realised spend (order lines invoiced and paid, by the day of the invoice). HT.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "adapters/db/actor.hpp"
#include "adapters/db/budget_repository.hpp"
#include "adapters/db/database.hpp"
#include "adapters/formats/table.hpp"
#include "engine/budget.hpp"

namespace canopee::usecases {

// `scope`: the member a scoped user (buyer, a member's finance user) is confined to;
// none for network-wide users. Outside it, a code or need is not found.

Result<std::vector<BudgetCode>> list_budget_codes(db::Database& database, std::optional<std::int64_t> member_id);

// Invalid budget_code.code.invalid / label.invalid, not found member.not_found,
// conflict budget_code.duplicate (the member already has that code of that kind).
Result<BudgetCode> create_budget_code(db::Database& database, const db::Actor& actor, BudgetCode code);

struct BudgetCodePatch {
  std::optional<std::string> label;
  std::optional<bool> active;
};
// Not found budget_code.not_found (or outside the scope), stale budget_code.stale.
Result<BudgetCode> update_budget_code(db::Database& database, const db::Actor& actor, std::int64_t id,
                                      std::optional<std::int64_t> version, const BudgetCodePatch& patch,
                                      std::optional<std::int64_t> scope);

struct NeedCodesView {
  std::int64_t need_id = 0;
  std::int64_t member_id = 0;
  db::NeedCodes codes;
};
// Not found need.not_found (or outside the scope).
Result<NeedCodesView> need_codes(db::Database& database, std::int64_t need_id, std::optional<std::int64_t> scope);
// Each code given must be one of the need's member's codes of its kind, active
// (budget_code.unknown, budget_code.inactive); none clears it.
Result<NeedCodesView> set_need_codes(db::Database& database, const db::Actor& actor, std::int64_t need_id,
                                     const db::NeedCodes& codes, std::optional<std::int64_t> scope);

// ---- The exports ----
enum class BudgetExportKind : std::uint8_t { commitments, spend };

struct BudgetFilter {
  std::optional<Date> from, to;  // inclusive: the day sent (commitments), invoiced (spend)
  std::optional<std::int64_t> member_id;
};

struct BudgetExportRow {
  BudgetRow row;
  std::string member_name;
  std::string nature_label, analytic_label;
};

// A contract's amount not yet ordered (commitments only, whatever the period).
struct UnorderedRow {
  db::ContractFacts contract;
  std::string member_name;
  Amount ordered;
  Amount remaining;
  Amount remaining_ttc;  // at the lot's VAT rate
};

struct BudgetExport {
  BudgetExportKind kind = BudgetExportKind::commitments;
  BudgetFilter filter;
  std::vector<BudgetExportRow> rows;
  Amount amount, paid;
  std::int64_t lines = 0;
  Amount amount_ttc, paid_ttc;
  std::vector<UnorderedRow> unordered;
  Amount unordered_total, unordered_total_ttc;
};

// Invalid report.period.reversed when `to` precedes `from`.
Result<BudgetExport> budget_export(db::Database& database, BudgetExportKind kind, const BudgetFilter& filter);
boost::json::value budget_export_json(const BudgetExport& report);
formats::Table budget_export_table(const BudgetExport& report);
// The contracts' amounts not yet ordered, as their own table.
formats::Table unordered_table(const BudgetExport& report);

// The codes an order line takes when none is given: those the member's needs in the
// lot agree on (engine/budget.hpp, agreed_code).
db::NeedCodes default_line_codes(soci::session& sql, std::int64_t lot_id, std::int64_t member_id);
// A code given on an order line: one of the member's active codes of its kind
// (`member_codes`, read once per order: db::list_budget_codes).
Status check_line_codes(std::span<const BudgetCode> member_codes, const db::NeedCodes& codes,
                        const std::string& field_prefix);

}  // namespace canopee::usecases
