#pragma once
// Budget and accounting codes (issue 19 item 9): each member's own codes — the nature
// (its chart of accounts, e.g. 6152 « Entretien et réparations ») and the analytic axis
// (a programme, a group of buildings) — attached to its needs and order lines, and the
// finance exports by code: commitments (orders sent) and realised spend (invoiced and
// paid order lines). Every amount HT, in cents; sums of line amounts.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class BudgetCodeKind : std::uint8_t { nature, analytic };
std::string_view to_string(BudgetCodeKind kind);
Result<BudgetCodeKind> parse_budget_code_kind(std::string_view text, std::string_view field);

struct BudgetCode {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  BudgetCodeKind kind = BudgetCodeKind::nature;
  std::string code;
  std::string label;
  bool active = true;
  std::int64_t version = 1;
};

inline constexpr std::size_t kMaxBudgetCodeLength = 40;
inline constexpr std::size_t kMaxBudgetLabelLength = 200;

// A code: 1 to 40 characters, letters and digits first, then letters, digits, '.',
// '-', '_' or '/' (what charts of accounts and analytic axes use; never a formula).
// Invalid `budget_code.code.invalid` on `field`.
Status validate_budget_code_text(std::string_view code, std::string_view field);
// A label: 1 to 200 characters of text, not blank. Invalid `budget_code.label.invalid`.
Status validate_budget_label(std::string_view label, std::string_view field);

// The code `code` of `kind` among the member's codes: unprocessable
// `budget_code.unknown` when the member has no such code of that kind,
// `budget_code.inactive` when it is deactivated. Errors name `field`.
Status check_budget_code(std::span<const BudgetCode> member_codes, BudgetCodeKind kind, std::string_view code,
                         std::string_view field);

// The code an order line takes by default from the member's needs in its lot: the
// needs' code when they all carry the same one, none otherwise (no need, or one
// without a code, or two codes that differ).
std::optional<std::string> agreed_code(std::span<const std::optional<std::string>> need_codes);

// ---- The exports ----

// An order line as the exports read it.
struct BudgetLineFacts {
  std::int64_t member_id = 0;
  std::optional<std::string> nature, analytic;
  Amount amount;        // the line's amount HT
  bool paid = false;    // its order is paid (realised spend)
  Amount amount_ttc{};  // HT × (10000 + the lot's VAT rate) / 10000, half away from zero, per line
};

// One row per (member, nature, analytic) — none sorts first — with the sum of its lines.
struct BudgetRow {
  std::int64_t member_id = 0;
  std::optional<std::string> nature, analytic;
  Amount amount;
  Amount paid;  // of which on paid orders
  std::int64_t lines = 0;
  Amount amount_ttc, paid_ttc;  // sums of the lines' TTC
};

struct BudgetTotals {
  std::vector<BudgetRow> rows;
  Amount amount, paid;
  std::int64_t lines = 0;
  Amount amount_ttc, paid_ttc;
};

BudgetTotals budget_rows(std::span<const BudgetLineFacts> lines);

// What a contract still leaves to order: its amount less the order lines sent and not
// cancelled, never below zero.
Amount not_yet_ordered(Amount contract_amount, Amount ordered);

}  // namespace canopee
