#include "engine/report.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <tuple>

#include "engine/cpv.hpp"

namespace canopee {
namespace {

constexpr auto kGroups = enum_names<ReportGroup>("member", "category", "tender", "month");
constexpr auto kBases = enum_names<ReportBasis>("contract", "12m");
constexpr auto kDateBases = enum_names<SavingsDateBasis>("notified", "award_decision");
constexpr auto kPooling = enum_names<PoolingStatus>("measured", "not_measurable", "partly_measured");
constexpr auto kRecurrence = enum_names<Recurrence>("recurring", "one_off", "mixed");

// The one-off part of a line's cost or subsidy: its share of the line's one-off
// contract value (of its reference when it has no contract value), half away from zero.
Amount one_off_part(Amount cost, const SavingsLine& line) {
  if (line.contract.cents > 0) {
    return Amount{static_cast<std::int64_t>(
        divide_round_half_away(static_cast<int128>(cost.cents) * line.one_off_contract.cents, line.contract.cents))};
  }
  if (line.reference.cents > 0) {
    return Amount{static_cast<std::int64_t>(
        divide_round_half_away(static_cast<int128>(cost.cents) * line.one_off_reference.cents, line.reference.cents))};
  }
  return Amount{0};
}

struct Prepared {
  const ReportLine* line;
  SavingsLine figures;
  Amount shared_costs;
  Amount subsidy;
};

}  // namespace

std::string_view to_string(ReportGroup g) { return kGroups(g); }
std::string_view to_string(ReportBasis b) { return kBases(b); }
std::string_view to_string(SavingsDateBasis b) { return kDateBases(b); }
std::string_view to_string(PoolingStatus p) { return kPooling(p); }
std::string_view to_string(Recurrence r) { return kRecurrence(r); }

Recurrence recurrence_of(const SavingsLine& line) {
  const bool any_one_off = line.one_off_reference.cents != 0 || line.one_off_contract.cents != 0;
  if (!any_one_off) return Recurrence::recurring;
  const bool all_one_off = line.one_off_reference == line.reference && line.one_off_contract == line.contract;
  return all_one_off ? Recurrence::one_off : Recurrence::mixed;
}

Amount with_vat(Amount ht, std::int64_t rate_bp) {
  return Amount{
      static_cast<std::int64_t>(divide_round_half_away(static_cast<int128>(ht.cents) * (10'000 + rate_bp), 10'000))};
}

PoolingStatus ReportFigures::pooling_status() const {
  if (lines_pooling_not_measurable == 0) return PoolingStatus::measured;
  return lines_pooling_measured == 0 ? PoolingStatus::not_measurable : PoolingStatus::partly_measured;
}

Result<ReportGroup> parse_report_group(std::string_view text, std::string_view field) {
  if (auto value = kGroups.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’un de member, category, tender, month",
                        "report.group_by.unknown");
}

Result<ReportBasis> parse_report_basis(std::string_view text, std::string_view field) {
  if (auto value = kBases.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être contract ou 12m", "report.basis.unknown");
}

std::int64_t ReportFigures::savings_pct_bp() const {
  if (reference.cents == 0) return 0;
  return static_cast<std::int64_t>(
      divide_round_half_away(static_cast<int128>(savings.cents) * 10'000, reference.cents));
}

// The projected CGLLS subsidy (issue 19 item 7): the same report built again on the
// projected amounts alone, so that they are spread, scaled and summed exactly like the
// granted subsidy, then copied beside it; never in net savings. Rows come in the same
// order (the same lines, the same keys).
static void add_projected_subsidy(SavingsReport& report, std::span<const ReportLine> lines,
                                  std::span<const TenderMemberCost> costs, ReportGroup group, ReportBasis basis,
                                  const std::function<std::string(std::uint32_t)>& class_label) {
  std::vector<TenderMemberCost> projected;
  for (const auto& c : costs) {
    if (c.subsidy_projected.cents != 0) projected.push_back({c.tender_id, c.member_id, Amount{0}, c.subsidy_projected});
  }
  if (projected.empty()) return;
  const auto shadow = build_savings_report(lines, projected, group, basis, class_label);
  for (std::size_t i = 0; i < report.rows.size() && i < shadow.rows.size(); ++i)
    report.rows[i].figures.subsidy_projected = shadow.rows[i].figures.subsidy;
  report.totals.subsidy_projected = shadow.totals.subsidy;
}

SavingsReport build_savings_report(std::span<const ReportLine> lines, std::span<const TenderMemberCost> costs,
                                   ReportGroup group, ReportBasis basis,
                                   const std::function<std::string(std::uint32_t)>& class_label) {
  std::vector<Prepared> prepared;
  prepared.reserve(lines.size());
  for (const auto& l : lines) prepared.push_back({&l, l.figures, Amount{0}, Amount{0}});

  // Spread each (tender, member) cost over that member's lines in the tender.
  for (const auto& c : costs) {
    std::vector<std::size_t> targets;
    std::vector<std::int64_t> weights;
    for (std::size_t i = 0; i < prepared.size(); ++i) {
      if (prepared[i].line->tender_id == c.tender_id && prepared[i].line->member_id == c.member_id) {
        targets.push_back(i);
        weights.push_back(std::max<std::int64_t>(0, prepared[i].figures.contract.cents));
      }
    }
    if (targets.empty()) continue;
    if (std::all_of(weights.begin(), weights.end(), [](auto w) { return w == 0; }))
      std::fill(weights.begin(), weights.end(), 1);
    const auto shares = allocate_largest_remainder(c.shared_costs.cents, weights).value();
    const auto subsidies = allocate_largest_remainder(c.subsidy.cents, weights).value();
    for (std::size_t k = 0; k < targets.size(); ++k) {
      prepared[targets[k]].shared_costs += Amount{shares[k]};
      prepared[targets[k]].subsidy += Amount{subsidies[k]};
    }
  }

  if (basis == ReportBasis::twelve_months) {
    for (auto& p : prepared) {
      const int months = p.line->duration_months;
      p.shared_costs = twelve_month_amount(p.shared_costs, one_off_part(p.shared_costs, p.figures), months);
      p.subsidy = twelve_month_amount(p.subsidy, one_off_part(p.subsidy, p.figures), months);
      p.figures = to_twelve_months(p.figures, months);
    }
  }

  SavingsReport report;
  report.group = group;
  report.basis = basis;
  std::map<std::string, ReportRow> rows;
  std::map<std::string, std::set<std::int64_t>> lots_of_row;
  std::set<std::int64_t> all_lots;
  for (const auto& p : prepared) {
    const auto& l = *p.line;
    std::string key, label;
    std::optional<std::int64_t> member;
    switch (group) {
      case ReportGroup::member: {
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%012lld", static_cast<long long>(l.member_id));  // sorts numerically
        key = buffer;
        label = l.member_code;
        member = l.member_id;
        break;
      }
      case ReportGroup::category: {
        const auto cls = cpv_prefix(l.cpv_digits, CpvDepth::class_);
        key = cpv_digits_string(cls);
        label = class_label(cls);
        break;
      }
      case ReportGroup::tender: {
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%012lld", static_cast<long long>(l.tender_id));
        key = buffer;
        label = l.tender_reference;
        break;
      }
      case ReportGroup::month: {
        key = to_string(l.counted_on()).substr(0, 7);  // the month the line is counted from
        label = key;
        break;
      }
    }
    auto& row = rows[key];
    row.key = key;
    row.label = label;
    row.member_id = member;
    auto& f = row.figures;
    f.reference += p.figures.reference;
    f.contract += p.figures.contract;
    f.savings += p.figures.savings;
    f.pooling_effect += p.figures.pooling_effect;
    f.competition_effect += p.figures.competition_effect;
    f.shared_costs += p.shared_costs;
    f.subsidy += p.subsidy;
    const Amount reference_ttc = with_vat(p.figures.reference, l.vat_rate_bp);
    const Amount contract_ttc = with_vat(p.figures.contract, l.vat_rate_bp);
    f.reference_ttc += reference_ttc;
    f.contract_ttc += contract_ttc;
    f.savings_ttc += reference_ttc - contract_ttc;
    f.contract_one_off += p.figures.one_off_contract;
    ++(p.figures.pooling_measurable ? f.lines_pooling_measured : f.lines_pooling_not_measurable);
    if (l.date_basis() == SavingsDateBasis::notified) {
      f.savings_notified += p.figures.savings;
      ++f.lines_notified;
    } else {
      f.savings_award_only += p.figures.savings;
      ++f.lines_award_only;
    }
    report.lines.push_back({l.tender_id, l.tender_reference, l.lot_id, l.member_id, l.member_code, l.awarded_on,
                            l.notified_on, l.counted_on(), l.date_basis(), p.figures.savings, recurrence_of(l.figures),
                            l.figures.pooling_measurable, l.vat_rate_bp});
    lots_of_row[key].insert(l.lot_id);
    all_lots.insert(l.lot_id);
  }
  for (auto& [key, row] : rows) {
    auto& f = row.figures;
    f.net_savings = f.savings - f.shared_costs + f.subsidy;
    f.lots = static_cast<std::int64_t>(lots_of_row[key].size());
    // keys for members and tenders were zero-padded for sorting; show them plainly
    if (group == ReportGroup::member || group == ReportGroup::tender) row.key = std::to_string(std::stoll(row.key));
    auto& t = report.totals;
    t.reference += f.reference;
    t.contract += f.contract;
    t.savings += f.savings;
    t.pooling_effect += f.pooling_effect;
    t.competition_effect += f.competition_effect;
    t.shared_costs += f.shared_costs;
    t.subsidy += f.subsidy;
    t.net_savings += f.net_savings;
    t.savings_notified += f.savings_notified;
    t.savings_award_only += f.savings_award_only;
    t.lines_notified += f.lines_notified;
    t.lines_award_only += f.lines_award_only;
    t.reference_ttc += f.reference_ttc;
    t.contract_ttc += f.contract_ttc;
    t.savings_ttc += f.savings_ttc;
    t.contract_one_off += f.contract_one_off;
    t.lines_pooling_measured += f.lines_pooling_measured;
    t.lines_pooling_not_measurable += f.lines_pooling_not_measurable;
    report.rows.push_back(std::move(row));
  }
  std::sort(report.lines.begin(), report.lines.end(), [](const ReportLineDates& a, const ReportLineDates& b) {
    return std::tuple(a.counted_on, a.lot_id, a.member_id) < std::tuple(b.counted_on, b.lot_id, b.member_id);
  });
  report.totals.lots = static_cast<std::int64_t>(all_lots.size());
  add_projected_subsidy(report, lines, costs, group, basis, class_label);
  return report;
}

}  // namespace canopee
