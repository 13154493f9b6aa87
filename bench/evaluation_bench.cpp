// evaluate_lot over 10,000 lots × 10 bids (three criteria, tiered schedules,
// two-pass-mean flags), beside the same run's baseline: a naive evaluation in
// double precision (scores as doubles, one sort) — the price of exact ranking.
#include <algorithm>
#include <cstdio>
#include <random>

#include "bench/support/bench_support.hpp"
#include "engine/evaluation.hpp"

using namespace canopee;

int main(int argc, char** argv) {
  const std::size_t lots = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000;
  const std::size_t per_lot = 10;
  std::mt19937_64 rng(1);
  const std::vector<Criterion> criteria = {{"prix", 60, true, false},
                                           {"technique", 30, false, false},
                                           {"environnement", 10, false, true}};
  std::vector<std::vector<BidInput>> all(lots);
  std::vector<Quantity> quantities(lots);
  for (std::size_t l = 0; l < lots; ++l) {
    quantities[l] = Quantity{static_cast<std::int64_t>(1'000 + rng() % 100'000'000)};
    for (std::size_t b = 0; b < per_lot; ++b) {
      BidInput bid;
      bid.bid_id = static_cast<std::int64_t>(l * per_lot + b + 1);
      bid.supplier_id = static_cast<std::int64_t>(b + 1);
      bid.regularity = Regularity::valid;
      const auto base = static_cast<std::int64_t>(10'000 + rng() % 1'000'000);
      bid.schedule = *PriceSchedule::make({{Quantity{0}, UnitPrice{base}},
                                           {Quantity{1'000'000}, UnitPrice{base * 95 / 100}},
                                           {Quantity{10'000'000}, UnitPrice{base * 90 / 100}}});
      bid.scores = {{"technique", static_cast<std::int64_t>(rng() % 1'000'001)},
                    {"environnement", static_cast<std::int64_t>(rng() % 1'000'001)}};
      all[l].push_back(std::move(bid));
    }
  }

  std::size_t flagged = 0;
  const auto exact_times = bench::time_runs(5, [&] {
    flagged = 0;
    for (std::size_t l = 0; l < lots; ++l) {
      auto e = evaluate_lot(quantities[l], criteria, all[l], {});
      if (!e) std::abort();
      for (const auto& b : e->bids) flagged += b.abnormally_low ? 1 : 0;
    }
  });
  double checksum = 0;
  const auto naive_times = bench::time_runs(5, [&] {
    checksum = 0;
    for (std::size_t l = 0; l < lots; ++l) {
      struct Row {
        double price;
        double total;
      };
      std::vector<Row> rows;
      double p_min = 1e300;
      for (const auto& b : all[l]) {
        const double price = static_cast<double>(quantities[l].thousandths) / 1e3 *
                             static_cast<double>(b.schedule.unit_price_at(quantities[l]).ten_thousandths) / 1e4;
        rows.push_back({price, 0});
        p_min = std::min(p_min, price);
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].total = 0.6 * 100 * p_min / rows[i].price + 0.3 * static_cast<double>(all[l][i].scores[0].score) / 1e4 +
                        0.1 * static_cast<double>(all[l][i].scores[1].score) / 1e4;
      }
      std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.total > b.total; });
      checksum += rows.front().total;
    }
  });
  const double exact = bench::median(exact_times);
  const double naive = bench::median(naive_times);
  const auto count = static_cast<double>(lots);
  std::printf("evaluate_lot: %zu lots × %zu bids, 3 criteria, 3-tier schedules, two-pass-mean flags (%zu flagged)\n",
              lots, per_lot, flagged);
  std::printf("  engine (exact)     median %8.1f ms   %8.0f lots/s   %6.2f µs per lot\n", exact * 1e3, count / exact,
              exact / count * 1e6);
  std::printf("  baseline (double)  median %8.1f ms   %8.0f lots/s   (checksum %.3f)\n", naive * 1e3, count / naive,
              checksum);
  std::printf("  ratio engine/baseline time  %.2f\n", exact / naive);
  return 0;
}
