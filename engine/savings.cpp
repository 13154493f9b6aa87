#include "engine/savings.hpp"

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
    out.push_back(s);
  }
  return out;
}

SavingsLine to_twelve_months(const SavingsLine& line, int duration_months) {
  const auto scale = [&](Amount a) {
    return Amount{
        static_cast<std::int64_t>(divide_round_half_away(static_cast<int128>(a.cents) * 12, duration_months))};
  };
  SavingsLine out;
  out.member_id = line.member_id;
  out.reference = scale(line.reference);
  out.contract = scale(line.contract);
  out.standalone = scale(line.standalone);
  derive(out);
  return out;
}

}  // namespace canopee
