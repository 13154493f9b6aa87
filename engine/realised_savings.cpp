#include "engine/realised_savings.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace canopee {

RealisedFigures& RealisedFigures::operator+=(const RealisedFigures& other) {
  delivered_value += other.delivered_value;
  at_reference += other.at_reference;
  realised += other.realised;
  paid += other.paid;
  lines += other.lines;
  return *this;
}

RealisedFigures realised_figures(const DeliveredLineFacts& line) {
  RealisedFigures f;
  f.delivered_value = line_amount(line.line.delivered, line.line.unit_price).value_or(Amount{});
  f.at_reference = line_amount(line.line.delivered, line.reference).value_or(Amount{});
  f.realised = realised_saving(line.line, line.reference);
  if (line.paid) f.paid = f.realised;
  f.lines = 1;
  return f;
}

RealisedSavings realised_savings(std::span<const DeliveredLineFacts> lines) {
  RealisedSavings out;
  out.member_lots.reserve(lines.size());
  for (const auto& line : lines) {
    const auto figures = realised_figures(line);
    const auto month = month_of(line.delivered_on);
    out.rows[std::tuple{line.member_id, month, line.cpv_division}] += figures;
    out.by_member[line.member_id] += figures;
    out.by_division[line.cpv_division] += figures;
    out.by_month[month] += figures;
    out.totals += figures;
    out.member_lots.emplace_back(line.member_id, line.lot_id);
  }
  std::sort(out.member_lots.begin(), out.member_lots.end());
  out.member_lots.erase(std::unique(out.member_lots.begin(), out.member_lots.end()), out.member_lots.end());
  return out;
}

std::optional<std::uint32_t> cpv_division_of(std::string_view cpv) {
  if (cpv.size() < 2 || cpv[0] < '0' || cpv[0] > '9' || cpv[1] < '0' || cpv[1] > '9') return std::nullopt;
  return static_cast<std::uint32_t>((cpv[0] - '0') * 10 + (cpv[1] - '0'));
}

}  // namespace canopee
