// The Shapley value of a lot's pooling game by each algorithm, against its target,
// with the brute force (every coalition, exact rational weights) timed on 14
// members in the same run and extrapolated to each size as the ratio.
#include <cmath>
#include <cstdio>
#include <random>

#include "bench/support/bench_support.hpp"
#include "engine/fair_share.hpp"
#include "engine/shapley.hpp"

using namespace canopee;

namespace {

PriceSchedule eight_tiers(std::int64_t total) {
  std::vector<Tier> tiers;
  for (int t = 0; t < 8; ++t) {
    tiers.push_back({Quantity{total * t / 8}, UnitPrice{1'000'000 - 40'000 * t}});
  }
  return *PriceSchedule::make(tiers);
}

std::vector<Quantity> quantities(std::mt19937_64& rng, std::size_t n, std::int64_t grid, std::int64_t total_units) {
  // n random shares of total_units grid units (each at least 1)
  std::vector<std::int64_t> cuts = {0, total_units};
  while (cuts.size() < n + 1) {
    const auto c = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total_units - 1));
    if (std::find(cuts.begin(), cuts.end(), c) == cuts.end()) cuts.push_back(c);
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<Quantity> q;
  for (std::size_t i = 0; i < n; ++i) q.push_back(Quantity{(cuts[i + 1] - cuts[i]) * grid});
  return q;
}

// The textbook formula: every coalition, factorial weights as exact rationals.
double brute_force_seconds_per_term(std::mt19937_64& rng) {
  const std::size_t n = 14;
  const auto q = quantities(rng, n, 1000, 10'000);
  const auto schedule = eight_tiers(10'000'000);
  std::vector<BigInt> factorial(n + 1, BigInt(1));
  for (std::size_t k = 1; k <= n; ++k) factorial[k] = factorial[k - 1] * BigInt(k);
  const auto times = bench::time_runs(1, [&] {
    std::vector<Rational> values(n, Rational(0));
    for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
      std::int64_t coalition = 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (mask & (std::size_t{1} << j)) coalition += q[j].thousandths;
      }
      const auto k = static_cast<std::size_t>(__builtin_popcountll(mask));
      for (std::size_t i = 0; i < n; ++i) {
        if (mask & (std::size_t{1} << i)) continue;
        const int128 m = schedule.exact_cost_at(q[i]) - schedule.exact_cost_at(Quantity{coalition + q[i].thousandths}) +
                         schedule.exact_cost_at(Quantity{coalition});
        values[i] += Rational(to_big(m)) * Rational(factorial[k] * factorial[n - k - 1], factorial[n]);
      }
    }
  });
  return times[0] / (std::ldexp(1.0, static_cast<int>(n)) * n);
}

std::string human_seconds(double s) {
  char buffer[64];
  if (s < 1) std::snprintf(buffer, sizeof buffer, "%.1f ms", s * 1e3);
  else if (s < 3600) std::snprintf(buffer, sizeof buffer, "%.1f s", s);
  else if (s < 86400 * 365.0) std::snprintf(buffer, sizeof buffer, "%.1f days", s / 86400);
  else std::snprintf(buffer, sizeof buffer, "%.1e years", s / (86400 * 365.0));
  return buffer;
}

void report(const char* what, std::size_t n, double seconds, double target, double per_term, const char* extra) {
  const double brute = per_term * std::ldexp(1.0, static_cast<int>(n)) * static_cast<double>(n);
  std::printf("  %-34s %9s  (target < %.0f s: %s)  brute force ≈ %s, ratio %.1e%s\n", what,
              human_seconds(seconds).c_str(), target, seconds < target ? "met" : "MISSED", human_seconds(brute).c_str(),
              brute / seconds, extra);
}

}  // namespace

int main() {
  std::mt19937_64 rng(2026);
  const double per_term = brute_force_seconds_per_term(rng);
  std::printf("Shapley value of one lot's pooling game (8-tier all-units schedule)\n");
  std::printf("  brute force measured on 14 members: %.2f µs per (coalition, member) term\n", per_term * 1e6);

  {
    const auto q = quantities(rng, 20, 1000, 1'000'000);
    const auto schedule = eight_tiers(1'000'000'000);
    const auto t = bench::time_runs(3, [&] {
      if (!shapley_by_enumeration(q, schedule)) std::abort();
    });
    report("exact enumeration, 20 members", 20, bench::median(t), 1.0, per_term, "");
  }
  {
    const auto q = quantities(rng, 60, 1000, 100'000);
    const auto schedule = eight_tiers(100'000'000);
    const auto t = bench::time_runs(3, [&] {
      if (!shapley_by_dp(q, schedule, 50'000'000)) std::abort();
    });
    char extra[96];
    std::snprintf(extra, sizeof extra, "; %zu DP states", shapley_dp_states(q));
    report("exact DP, 60 members, 100,000 units", 60, bench::median(t), 1.0, per_term, extra);
  }
  {
    std::vector<Player> players;
    const auto q = quantities(rng, 200, 997, 5'000'000);
    for (std::size_t i = 0; i < q.size(); ++i) players.push_back({static_cast<std::int64_t>(i + 1), q[i]});
    const auto schedule = eight_tiers(4'985'000'000);
    FairShareOptions options;
    options.force = ShapleyAlgorithm::sampling;
    GameShare game;
    const auto t = bench::time_runs(3, [&] {
      auto g = fair_share_lot(players, schedule, FairMethod::shapley, options);
      if (!g) std::abort();
      game = std::move(g).value();
    });
    char extra[160];
    std::snprintf(extra, sizeof extra, "; %llu permutation pairs, 95%% bound %s € = %.3f %% of the gain %s €",
                  static_cast<unsigned long long>(game.sampling->samples),
                  to_string(game.sampling->error_bound).c_str(),
                  100.0 * static_cast<double>(game.sampling->error_bound.cents) / static_cast<double>(game.gain.cents),
                  to_string(game.gain).c_str());
    report("sampled, 200 members, bound 0.5 %", 200, bench::median(t), 1.0, per_term, extra);
  }
  return 0;
}
