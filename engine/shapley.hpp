#pragma once
// The Shapley value of the pooling game of one lot (design.md §4).
//
// With the winning schedule's cost C(q) = q × price(q), taken exactly (in
// 1/10,000,000 €, no rounding), a coalition S gains
//     v(S) = Σ_{i∈S} C(q_i) − C(q(S))
// by buying together. The marginal gain of i joining S depends only on q(S):
//     v(S ∪ i) − v(S) = C(q_i) − C(q(S) + q_i) + C(q(S)).
// Three ways to the value: exact enumeration of coalitions (small n), exact
// dynamic programming over (coalition size, coalition quantity) on a common
// quantity grid, and Monte Carlo permutation sampling with a 95 % error bound.
#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/price_schedule.hpp"
#include "engine/result.hpp"

namespace canopee {

using Rational = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

BigInt to_big(int128 value);

// Exact values, in 1/10,000,000 €. Enumeration: 2^n coalitions (n ≤ 25).
Result<std::vector<Rational>> shapley_by_enumeration(std::span<const Quantity> quantities,
                                                     const PriceSchedule& schedule);

// Exact values by DP; `max_states` bounds (n + 1) × (Σ q / gcd(q) + 1). n ≤ 66
// (coalition counts stay within 64 bits).
Result<std::vector<Rational>> shapley_by_dp(std::span<const Quantity> quantities, const PriceSchedule& schedule,
                                            std::size_t max_states);
// The DP's state count for these quantities (to choose an algorithm beforehand).
std::size_t shapley_dp_states(std::span<const Quantity> quantities);

struct SampledShapley {
  std::vector<double> values;      // 1/10,000,000 €
  std::vector<double> half_width;  // 95 % confidence half-width of each value
  std::uint64_t permutations = 0;  // pairs of a permutation and its reverse
};

// Samples permutation pairs (each with its reverse, which lowers the variance of
// these monotone games) until every value's 95 % half-width is at most
// `target_error` (same unit) or `max_permutations` is reached. Deterministic for a seed.
SampledShapley shapley_by_sampling(std::span<const Quantity> quantities, const PriceSchedule& schedule,
                                   double target_error, std::uint64_t max_permutations, std::uint64_t seed);

}  // namespace canopee
