#include "engine/shapley.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace canopee {
namespace {

// n-choose-k for n ≤ 66 (fits 64 bits).
std::uint64_t binomial(unsigned n, unsigned k) {
  if (k > n) return 0;
  k = std::min(k, n - k);
  uint128 result = 1;
  for (unsigned i = 1; i <= k; ++i) result = result * (n - k + i) / i;
  return static_cast<std::uint64_t>(result);
}

// φ_i = Σ_k T_k / (n · C(n−1, k)), where T_k sums i's marginal gains over the
// coalitions of size k without i.
Rational combine(const std::vector<int128>& totals_by_size, unsigned n) {
  Rational value = 0;
  for (unsigned k = 0; k < totals_by_size.size(); ++k) {
    if (totals_by_size[k] == 0) continue;
    value += Rational(to_big(totals_by_size[k]), BigInt(n) * BigInt(binomial(n - 1, k)));
  }
  return value;
}

// splitmix64: a small, fast, well-mixed generator; fixed seeds give repeatable runs.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t bound) {
    return static_cast<std::uint64_t>((static_cast<uint128>(next()) * bound) >> 64);
  }
};

}  // namespace

BigInt to_big(int128 value) {
  const bool negative = value < 0;
  const uint128 magnitude = negative ? -static_cast<uint128>(value) : static_cast<uint128>(value);
  BigInt big = BigInt(static_cast<std::uint64_t>(magnitude >> 64));
  big <<= 64;
  big += BigInt(static_cast<std::uint64_t>(magnitude));
  return negative ? BigInt(-big) : big;
}

Result<std::vector<Rational>> shapley_by_enumeration(std::span<const Quantity> quantities,
                                                     const PriceSchedule& schedule) {
  const auto n = static_cast<unsigned>(quantities.size());
  if (n == 0) return std::vector<Rational>{};
  if (n > 25) return Error::invalid("players", "l’énumération est limitée à 25 membres", "shapley.players.too_many");
  const std::size_t coalitions = std::size_t{1} << n;
  std::vector<std::int64_t> quantity(coalitions, 0);
  std::vector<int128> cost(coalitions, 0);
  for (std::size_t mask = 1; mask < coalitions; ++mask) {
    const auto low = static_cast<unsigned>(__builtin_ctzll(mask));
    quantity[mask] = quantity[mask & (mask - 1)] + quantities[low].thousandths;
    cost[mask] = schedule.exact_cost_at(Quantity{quantity[mask]});
  }
  std::vector<std::vector<int128>> totals(n, std::vector<int128>(n, 0));
  for (std::size_t mask = 0; mask < coalitions; ++mask) {
    const auto size = static_cast<unsigned>(__builtin_popcountll(mask));
    if (size == n) continue;
    for (unsigned i = 0; i < n; ++i) {
      const std::size_t bit = std::size_t{1} << i;
      if (mask & bit) continue;
      totals[i][size] += cost[bit] - cost[mask | bit] + cost[mask];
    }
  }
  std::vector<Rational> values;
  for (unsigned i = 0; i < n; ++i) values.push_back(combine(totals[i], n));
  return values;
}

std::size_t shapley_dp_states(std::span<const Quantity> quantities) {
  std::int64_t grid = 0;
  for (const auto& q : quantities) grid = std::gcd(grid, q.thousandths);
  if (grid == 0) return quantities.size() + 1;
  uint128 total = 0;
  for (const auto& q : quantities) total += static_cast<uint128>(q.thousandths / grid);
  const uint128 states = (static_cast<uint128>(quantities.size()) + 1) * (total + 1);
  return states > SIZE_MAX ? SIZE_MAX : static_cast<std::size_t>(states);
}

Result<std::vector<Rational>> shapley_by_dp(std::span<const Quantity> quantities, const PriceSchedule& schedule,
                                            std::size_t max_states) {
  const auto n = static_cast<unsigned>(quantities.size());
  if (n == 0) return std::vector<Rational>{};
  if (n > 66) return Error::invalid("players", "le calcul exact est limité à 66 membres", "shapley.players.too_many");
  for (const auto& q : quantities) {
    if (q.thousandths < 0)
      return Error::invalid("players", "les quantités ne doivent pas être négatives", "shapley.players.quantity");
  }
  if (shapley_dp_states(quantities) > max_states) {
    return Error::invalid("players", "les quantités n’ont pas de pas commun assez petit pour le calcul exact",
                          "shapley.grid.too_fine");
  }
  std::int64_t grid = 0;
  for (const auto& q : quantities) grid = std::gcd(grid, q.thousandths);
  if (grid == 0) return std::vector<Rational>(n, Rational(0));
  std::vector<std::size_t> weight(n);
  std::size_t total = 0;
  for (unsigned i = 0; i < n; ++i) {
    weight[i] = static_cast<std::size_t>(quantities[i].thousandths / grid);
    total += weight[i];
  }
  const std::size_t width = total + 1;
  std::vector<int128> cost(width);
  for (std::size_t x = 0; x < width; ++x)
    cost[x] = schedule.exact_cost_at(Quantity{static_cast<std::int64_t>(x) * grid});

  // count[k][x]: coalitions of the whole set with k players and quantity x.
  std::vector<std::uint64_t> count((n + 1) * width, 0);
  const auto at = [width](unsigned k, std::size_t x) { return static_cast<std::size_t>(k) * width + x; };
  count[at(0, 0)] = 1;
  std::size_t reach = 0;  // largest quantity reached so far
  for (unsigned j = 0; j < n; ++j) {
    const auto w = weight[j];
    for (unsigned k = j + 1; k-- > 0;) {
      for (std::size_t x = reach + 1; x-- > 0;) {
        const auto c = count[at(k, x)];
        if (c != 0) count[at(k + 1, x + w)] += c;
      }
    }
    reach += w;
  }

  // Coalitions of k players weigh between the k lightest and the k heaviest.
  std::vector<std::size_t> sorted_weights(weight);
  std::sort(sorted_weights.begin(), sorted_weights.end());
  std::vector<std::size_t> lightest(n + 1, 0);
  std::vector<std::size_t> heaviest(n + 1, 0);
  for (unsigned k = 1; k <= n; ++k) {
    lightest[k] = lightest[k - 1] + sorted_weights[k - 1];
    heaviest[k] = heaviest[k - 1] + sorted_weights[n - k];
  }
  // When every cost fits 62 bits, marginal gains fit 64 and one multiply per term does.
  bool narrow = true;
  for (const auto c : cost) narrow = narrow && c < (int128{1} << 62) && c > -(int128{1} << 62);
  std::vector<std::int64_t> cost64;
  if (narrow) cost64.assign(cost.begin(), cost.end());

  // For each distinct weight: remove one player of that weight from the counts,
  //   without[k][x] = count[k][x] − without[k−1][x − w],
  // and in the same pass sum its marginal gains over the coalitions left, by size.
  std::map<std::size_t, Rational> by_weight;
  std::vector<std::uint64_t> previous(width, 0);
  std::vector<std::uint64_t> current(width, 0);
  for (unsigned i = 0; i < n; ++i) {
    const auto w = weight[i];
    if (by_weight.count(w) != 0) continue;
    std::vector<int128> totals(n, 0);
    std::fill(previous.begin(), previous.end(), 0);
    for (unsigned k = 0; k < n; ++k) {
      const std::size_t low = k == 0 ? 0 : lightest[k] - std::min(lightest[k], w);  // generous: may include i
      const std::size_t high = std::min(heaviest[k], total - w);
      int128 sum = 0;
      const std::uint64_t* counts = &count[at(k, 0)];
      if (narrow) {
        const std::int64_t alone = cost64[w];
        for (std::size_t x = low; x <= high; ++x) {
          const std::uint64_t c = counts[x] - (x >= w ? previous[x - w] : 0);
          current[x] = c;
          if (c != 0) sum += static_cast<int128>(static_cast<std::int64_t>(c)) * (alone - cost64[x + w] + cost64[x]);
        }
      } else {
        for (std::size_t x = low; x <= high; ++x) {
          const std::uint64_t c = counts[x] - (x >= w ? previous[x - w] : 0);
          current[x] = c;
          if (c != 0) sum += static_cast<int128>(c) * (cost[w] - cost[x + w] + cost[x]);
        }
      }
      totals[k] = sum;
      // Keep only this row's range in `previous` for the next size.
      std::fill(previous.begin(), previous.end(), 0);
      std::copy(current.begin() + static_cast<std::ptrdiff_t>(low),
                current.begin() + static_cast<std::ptrdiff_t>(high + 1),
                previous.begin() + static_cast<std::ptrdiff_t>(low));
      std::fill(current.begin() + static_cast<std::ptrdiff_t>(low),
                current.begin() + static_cast<std::ptrdiff_t>(high + 1), 0);
    }
    by_weight.emplace(w, combine(totals, n));
  }
  std::vector<Rational> values;
  for (unsigned i = 0; i < n; ++i) values.push_back(by_weight.at(weight[i]));
  return values;
}

SampledShapley shapley_by_sampling(std::span<const Quantity> quantities, const PriceSchedule& schedule,
                                   double target_error, std::uint64_t max_permutations, std::uint64_t seed) {
  const auto n = quantities.size();
  SampledShapley result;
  result.values.assign(n, 0.0);
  result.half_width.assign(n, 0.0);
  if (n == 0) return result;
  std::vector<double> mean(n, 0.0);
  std::vector<double> m2(n, 0.0);
  std::vector<double> standalone(n);
  for (std::size_t i = 0; i < n; ++i) standalone[i] = static_cast<double>(schedule.exact_cost_at(quantities[i]));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> forward(n);
  SplitMix rng{seed};
  std::uint64_t samples = 0;
  const auto walk = [&](auto begin, auto end, std::vector<double>& marginal) {
    std::int64_t q = 0;
    double before = 0.0;
    for (auto it = begin; it != end; ++it) {
      const auto i = *it;
      q += quantities[i].thousandths;
      const auto after = static_cast<double>(schedule.exact_cost_at(Quantity{q}));
      marginal[i] = standalone[i] - after + before;
      before = after;
    }
  };
  std::vector<double> backward(n);
  while (samples < max_permutations) {
    for (std::size_t k = n - 1; k > 0; --k) std::swap(order[k], order[rng.below(k + 1)]);
    walk(order.begin(), order.end(), forward);
    walk(order.rbegin(), order.rend(), backward);
    ++samples;
    const auto s = static_cast<double>(samples);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = 0.5 * (forward[i] + backward[i]);  // the antithetic pair's mean
      const double delta = x - mean[i];
      mean[i] += delta / s;
      m2[i] += delta * (x - mean[i]);
    }
    if (samples >= 32 && samples % 32 == 0) {
      double worst = 0.0;
      for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, 1.96 * std::sqrt(m2[i] / (s - 1) / s));
      if (worst <= target_error) break;
    }
  }
  const double s = static_cast<double>(std::max<std::uint64_t>(samples, 2));
  for (std::size_t i = 0; i < n; ++i) {
    result.values[i] = mean[i];
    result.half_width[i] = 1.96 * std::sqrt(m2[i] / (s - 1) / s);
  }
  result.permutations = samples;
  return result;
}

}  // namespace canopee
