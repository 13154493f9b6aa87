// The ledger of a framework agreement (issue 18, "Done when"): 100,000 order lines
// (by default) spread over the contracts of 50 members on 4 lots, each contract's
// ledger computed by the engine (engine/orders.hpp: contract_ledger — maximum,
// ordered, delivered, invoiced, paid, by month, the pace), then the realised savings
// over the delivered lines (engine/realised_savings.hpp: by member, division and
// month). The same run's baseline sums the same lines' amounts in a plain loop: the
// ratio is the price of the ledger's bookkeeping over reading the lines once.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench/support/bench_support.hpp"
#include "engine/orders.hpp"
#include "engine/realised_savings.hpp"

using namespace canopee;

namespace {

constexpr int kMembers = 50;
constexpr int kLots = 4;
constexpr int kContracts = kMembers * kLots;

struct Framework {
  std::vector<std::vector<Order>> orders;  // per contract, oldest first (as contract_orders reads them)
  std::vector<DeliveredLineFacts> delivered;
  std::size_t lines = 0;
};

// Deterministic: the same framework on every run and machine.
Framework make_framework(std::size_t lines_wanted) {
  Framework f;
  f.orders.resize(kContracts);
  const Date start = *parse_date("2027-01-01", "start");
  std::uint64_t seed = 42;
  const auto next = [&](std::uint64_t bound) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33U) % bound;
  };
  std::int64_t id = 0;
  while (f.lines < lines_wanted) {
    const auto contract = static_cast<std::int64_t>(next(kContracts));
    Order o;
    o.id = ++id;
    o.contract_id = contract + 1;
    o.lot_id = contract % kLots + 1;
    o.member_id = contract / kLots + 1;
    o.ordered_on = add_days(start, static_cast<int>(next(700)));
    const auto roll = next(100);
    o.status = roll < 3    ? OrderStatus::cancelled
               : roll < 6  ? OrderStatus::draft
               : roll < 30 ? OrderStatus::sent
               : roll < 45 ? OrderStatus::partially_delivered
               : roll < 65 ? OrderStatus::delivered
               : roll < 80 ? OrderStatus::invoiced
                           : OrderStatus::paid;
    const auto count = std::min<std::size_t>(1 + next(8), lines_wanted - f.lines);
    const UnitPrice price{static_cast<std::int64_t>(5'0000 + o.lot_id * 2'5000)};
    const UnitPrice reference{price.ten_thousandths + 1'2345};
    for (std::size_t i = 0; i < count; ++i) {
      OrderLine line;
      line.quantity = Quantity{static_cast<std::int64_t>(1'000 + next(500'000))};
      line.unit_price = price;
      line.amount = *line_amount(line.quantity, price);
      if (o.status == OrderStatus::partially_delivered) line.delivered = Quantity{line.quantity.thousandths / 3};
      else if (o.status >= OrderStatus::delivered && o.status <= OrderStatus::paid) line.delivered = line.quantity;
      o.total += line.amount;
      o.lines.push_back(line);
    }
    if (o.status != OrderStatus::draft && o.status != OrderStatus::cancelled) o.sent_on = o.ordered_on;
    if (o.status >= OrderStatus::partially_delivered && o.status <= OrderStatus::paid)
      o.delivered_on = add_days(o.ordered_on, 10);
    if (o.status == OrderStatus::invoiced || o.status == OrderStatus::paid) {
      o.invoiced_on = add_days(o.ordered_on, 20);
      o.invoiced_amount = o.total;
    }
    if (o.status == OrderStatus::paid) o.paid_on = add_days(o.ordered_on, 50);
    if (o.status == OrderStatus::cancelled) o.cancelled_on = o.ordered_on;
    for (const auto& line : o.lines) {
      if (line.delivered.thousandths == 0 || !o.delivered_on) continue;
      f.delivered.push_back({o.member_id, o.lot_id, 44U + static_cast<std::uint32_t>(o.lot_id % 3), *o.delivered_on,
                             o.status == OrderStatus::paid, line, reference});
    }
    f.lines += o.lines.size();
    f.orders[static_cast<std::size_t>(contract)].push_back(std::move(o));
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t wanted = argc > 1 ? static_cast<std::size_t>(std::atol(argv[1])) : 100'000;
  const Framework f = make_framework(wanted);
  std::size_t orders = 0;
  for (const auto& c : f.orders) orders += c.size();
  ContractPeriod period;
  period.notified_on = *parse_date("2027-01-01", "notified");
  period.months = 48;
  const Date today = *parse_date("2028-12-31", "today");

  // Baseline: every line's amount summed, once, in a plain loop.
  std::int64_t baseline_sum = 0;
  const auto baseline_times = bench::time_runs(7, [&] {
    Amount sum;
    for (const auto& contract : f.orders)
      for (const auto& o : contract)
        for (const auto& line : o.lines) sum += line.amount;
    baseline_sum = sum.cents;
  });

  // The framework's ledger: each contract's, as GET /v1/tenders/{id}/lots/{lot}/ledger computes them.
  Amount ordered, delivered, invoiced;
  std::size_t months = 0;
  const auto ledger_times = bench::time_runs(7, [&] {
    ordered = delivered = invoiced = Amount{};
    months = 0;
    for (std::size_t c = 0; c < f.orders.size(); ++c) {
      const auto ledger = contract_ledger(static_cast<std::int64_t>(c + 1), MaximumBasis::value, 5'000'000'000,
                                          std::nullopt, period, f.orders[c], today);
      ordered += ledger.ordered_value;
      delivered += ledger.delivered_value;
      invoiced += ledger.invoiced_value;
      months += ledger.months.size();
    }
  });

  RealisedSavings realised;
  const auto realised_times = bench::time_runs(7, [&] { realised = realised_savings(f.delivered); });

  const double base = bench::median(baseline_times);
  const double ledger = bench::median(ledger_times);
  const double savings = bench::median(realised_times);
  std::printf("framework: %d members × %d lots = %d contracts, %zu orders, %zu order lines, %zu delivered lines\n",
              kMembers, kLots, kContracts, orders, f.lines, f.delivered.size());
  std::printf("  baseline: Σ line amounts, plain loop   %8.2f ms   (%s)\n", base * 1e3,
              to_string(Amount{baseline_sum}).c_str());
  std::printf("  ledger of every contract               %8.2f ms   %5.1f× the baseline   best %.2f ms\n", ledger * 1e3,
              ledger / base, bench::best(ledger_times) * 1e3);
  std::printf("    ordered %s, delivered %s, invoiced %s, %zu contract-months\n", to_string(ordered).c_str(),
              to_string(delivered).c_str(), to_string(invoiced).c_str(), months);
  std::printf("  realised savings (member, division, month)  %8.2f ms   %5.1f× the baseline   best %.2f ms\n",
              savings * 1e3, savings / base, bench::best(realised_times) * 1e3);
  std::printf("    realised %s on %s delivered, %zu rows, %zu members\n", to_string(realised.totals.realised).c_str(),
              to_string(realised.totals.delivered_value).c_str(), realised.rows.size(), realised.by_member.size());
  return 0;
}
