#include "engine/budget.hpp"

#include "engine/need.hpp"

namespace canopee {

std::string_view to_string(BudgetCodeKind kind) { return kind == BudgetCodeKind::nature ? "nature" : "analytic"; }

Result<BudgetCodeKind> parse_budget_code_kind(std::string_view text, std::string_view field) {
  if (text == "nature") return BudgetCodeKind::nature;
  if (text == "analytic") return BudgetCodeKind::analytic;
  return Error::invalid(std::string(field), "doit être nature ou analytic", "budget_code.kind.unknown");
}

namespace {

bool alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

Status validate_budget_code_text(std::string_view code, std::string_view field) {
  bool ok = !code.empty() && code.size() <= kMaxBudgetCodeLength && alnum(code.front());
  for (char c : code) ok = ok && (alnum(c) || c == '.' || c == '-' || c == '_' || c == '/');
  if (!ok)
    return Error::invalid(std::string(field),
                          "doit faire de 1 à 40 caractères : lettres et chiffres d’abord, puis lettres, chiffres, "
                          "« . », « - », « _ » ou « / »",
                          "budget_code.code.invalid");
  return ok_status();
}

Status validate_budget_label(std::string_view label, std::string_view field) {
  const auto length = text_length(label, false);
  if (!length || *length == 0 || *length > kMaxBudgetLabelLength || is_blank(label))
    return Error::invalid(std::string(field), "doit faire de 1 à 200 caractères", "budget_code.label.invalid");
  return ok_status();
}

Status check_budget_code(std::span<const BudgetCode> member_codes, BudgetCodeKind kind, std::string_view code,
                         std::string_view field) {
  for (const auto& c : member_codes) {
    if (c.kind != kind || c.code != code) continue;
    if (!c.active)
      return Error::rule_broken(ErrorCode::invalid, "budget_code.inactive", std::string(field),
                                "le code " + std::string(code) + " est désactivé");
    return ok_status();
  }
  return Error::rule_broken(ErrorCode::invalid, "budget_code.unknown", std::string(field),
                            "le membre n’a pas de code " +
                                std::string(kind == BudgetCodeKind::nature ? "de nature " : "analytique ") +
                                std::string(code));
}

std::optional<std::string> agreed_code(std::span<const std::optional<std::string>> need_codes) {
  if (need_codes.empty() || !need_codes.front()) return std::nullopt;
  for (const auto& c : need_codes) {
    if (c != need_codes.front()) return std::nullopt;
  }
  return need_codes.front();
}

BudgetTotals budget_rows(std::span<const BudgetLineFacts> lines) {
  using Key = std::tuple<std::int64_t, std::optional<std::string>, std::optional<std::string>>;
  std::map<Key, BudgetRow> by_key;
  BudgetTotals totals;
  for (const auto& l : lines) {
    auto& row = by_key[Key{l.member_id, l.nature, l.analytic}];
    row.member_id = l.member_id;
    row.nature = l.nature;
    row.analytic = l.analytic;
    row.amount += l.amount;
    row.amount_ttc += l.amount_ttc;
    if (l.paid) {
      row.paid += l.amount;
      row.paid_ttc += l.amount_ttc;
      totals.paid += l.amount;
      totals.paid_ttc += l.amount_ttc;
    }
    ++row.lines;
    totals.amount += l.amount;
    totals.amount_ttc += l.amount_ttc;
    ++totals.lines;
  }
  for (auto& [key, row] : by_key) totals.rows.push_back(std::move(row));
  return totals;
}

Amount not_yet_ordered(Amount contract_amount, Amount ordered) {
  return contract_amount > ordered ? contract_amount - ordered : Amount{};
}

}  // namespace canopee
