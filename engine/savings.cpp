#include "engine/savings.hpp"

#include <algorithm>

namespace canopee {
namespace {

void derive(SavingsLine& line) {
  line.savings = line.reference - line.contract;
  line.pooling_effect = line.standalone - line.contract;
  line.competition_effect = line.reference - line.standalone;
}

}  // namespace

SavingsLine& SavingsLine::operator+=(const SavingsLine& o) {
  reference += o.reference;
  contract += o.contract;
  standalone += o.standalone;
  savings += o.savings;
  pooling_effect += o.pooling_effect;
  competition_effect += o.competition_effect;
  one_off_reference += o.one_off_reference;
  one_off_contract += o.one_off_contract;
  one_off_standalone += o.one_off_standalone;
  pooling_measurable = pooling_measurable && o.pooling_measurable;
  return *this;
}

Result<std::vector<SavingsLine>> compute_savings(std::span<const LotLine> lines, const PriceSchedule& winning_schedule,
                                                 UnitPrice awarded_unit_price) {
  std::vector<SavingsLine> out;
  out.reserve(lines.size());
  for (const auto& line : lines) {
    SavingsLine s;
    s.member_id = line.member_id;
    s.reference = line.reference_value;
    auto contract = line_amount(line.quantity, awarded_unit_price);
    if (!contract) return std::move(contract).error();
    auto standalone = winning_schedule.cost_at(line.quantity);
    if (!standalone) return std::move(standalone).error();
    s.contract = *contract;
    s.standalone = *standalone;
    derive(s);
    s.pooling_measurable = !winning_schedule.is_flat();
    const auto one_off = std::clamp(line.one_off_quantity.thousandths, std::int64_t{0}, line.quantity.thousandths);
    s.one_off_reference = line.one_off_reference_value;
    if (one_off == line.quantity.thousandths) {
      s.one_off_contract = s.contract;
      s.one_off_standalone = s.standalone;
    } else if (one_off > 0) {
      auto part = line_amount(Quantity{one_off}, awarded_unit_price);
      if (!part) return std::move(part).error();
      s.one_off_contract = std::min(*part, s.contract);
      s.one_off_standalone = Amount{static_cast<std::int64_t>(
          divide_round_half_away(static_cast<int128>(s.standalone.cents) * one_off, line.quantity.thousandths))};
    }
    out.push_back(s);
  }
  return out;
}

Amount twelve_month_amount(Amount whole, Amount one_off, int duration_months) {
  const auto recurring = static_cast<int128>(whole.cents - one_off.cents);
  return Amount{static_cast<std::int64_t>(divide_round_half_away(recurring * 12, duration_months)) + one_off.cents};
}

SavingsLine to_twelve_months(const SavingsLine& line, int duration_months) {
  SavingsLine out;
  out.member_id = line.member_id;
  out.reference = twelve_month_amount(line.reference, line.one_off_reference, duration_months);
  out.contract = twelve_month_amount(line.contract, line.one_off_contract, duration_months);
  out.standalone = twelve_month_amount(line.standalone, line.one_off_standalone, duration_months);
  out.one_off_reference = line.one_off_reference;
  out.one_off_contract = line.one_off_contract;
  out.one_off_standalone = line.one_off_standalone;
  out.pooling_measurable = line.pooling_measurable;
  derive(out);
  return out;
}

}  // namespace canopee
