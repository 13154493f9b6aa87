#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "engine/fair_share.hpp"
#include "engine/shapley.hpp"

using namespace canopee;

namespace {

Quantity qty(const char* t) { return *parse_quantity(t, "q"); }
UnitPrice price(const char* t) { return *parse_unit_price(t, "p"); }

PriceSchedule three_tiers() {
  return *PriceSchedule::make({{qty("0"), price("10")}, {qty("500"), price("8")}, {qty("1000"), price("6")}});
}

const PlayerShare& of(const GameShare& g, std::int64_t member) {
  return *std::find_if(g.players.begin(), g.players.end(), [&](const PlayerShare& p) { return p.member_id == member; });
}

// Brute force, independent of the engine's algorithms: the average marginal gain
// over every order of arrival, v(S) = Σ C(q_i) − C(q(S)) with C exact.
std::vector<Rational> shapley_by_permutations(const std::vector<Quantity>& q, const PriceSchedule& schedule) {
  const auto n = q.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<Rational> sum(n, Rational(0));
  long long count = 0;
  do {
    std::int64_t coalition = 0;
    for (const auto i : order) {
      const int128 before = schedule.exact_cost_at(Quantity{coalition});
      const int128 after = schedule.exact_cost_at(Quantity{coalition + q[i].thousandths});
      sum[i] += Rational(to_big(schedule.exact_cost_at(q[i]) - after + before));
      coalition += q[i].thousandths;
    }
    ++count;
  } while (std::next_permutation(order.begin(), order.end()));
  for (auto& s : sum) s /= count;
  return sum;
}

// The textbook formula over coalitions with factorial weights, also independent.
std::vector<Rational> shapley_by_formula(const std::vector<Quantity>& q, const PriceSchedule& schedule) {
  const auto n = q.size();
  std::vector<BigInt> factorial(n + 1, BigInt(1));
  for (std::size_t k = 1; k <= n; ++k) factorial[k] = factorial[k - 1] * BigInt(k);
  std::vector<Rational> values(n, Rational(0));
  for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
    std::int64_t coalition = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (mask & (std::size_t{1} << j)) coalition += q[j].thousandths;
    }
    const auto k = static_cast<std::size_t>(__builtin_popcountll(mask));
    for (std::size_t i = 0; i < n; ++i) {
      if (mask & (std::size_t{1} << i)) continue;
      const int128 marginal = schedule.exact_cost_at(q[i]) -
                              schedule.exact_cost_at(Quantity{coalition + q[i].thousandths}) +
                              schedule.exact_cost_at(Quantity{coalition});
      values[i] += Rational(to_big(marginal)) * Rational(factorial[k] * factorial[n - k - 1], factorial[n]);
    }
  }
  return values;
}

PriceSchedule random_schedule(std::mt19937_64& rng, int tiers, std::int64_t max_quantity) {
  std::vector<Tier> list = {{Quantity{0}, UnitPrice{static_cast<std::int64_t>(100'000 + rng() % 900'000)}}};
  for (int t = 1; t < tiers; ++t) {
    const auto min = list.back().min_quantity.thousandths + 1 +
                     static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(max_quantity));
    const auto p = std::max<std::int64_t>(1, list.back().unit_price.ten_thousandths -
                                                 static_cast<std::int64_t>(rng() % 60'000));
    list.push_back({Quantity{min}, UnitPrice{p}});
  }
  return *PriceSchedule::make(list);
}

std::vector<Quantity> random_quantities(std::mt19937_64& rng, std::size_t n, std::int64_t grid,
                                        std::int64_t max_units) {
  std::vector<Quantity> q;
  for (std::size_t i = 0; i < n; ++i)
    q.push_back(Quantity{grid * static_cast<std::int64_t>(1 + rng() % static_cast<std::uint64_t>(max_units))});
  return q;
}

std::vector<Player> players_of(const std::vector<Quantity>& q) {
  std::vector<Player> players;
  for (std::size_t i = 0; i < q.size(); ++i) players.push_back({static_cast<std::int64_t>(i + 1), q[i]});
  return players;
}

}  // namespace

TEST_CASE("two members: the Shapley value halves the pooling gain") {
  // 300 and 700 units; 12.00 below 500 units, 9.00 from 500: alone 3,600 and 6,300, together 9,000.
  const auto schedule = *PriceSchedule::make({{qty("0"), price("12")}, {qty("500"), price("9")}});
  const std::vector<Player> players = {{1, qty("300")}, {2, qty("700")}};
  auto g = fair_share_lot(players, schedule, FairMethod::shapley, {});
  REQUIRE(g.ok());
  CHECK(g->gain.cents == 90000);
  CHECK(of(*g, 1).uniform.cents == 90000);  // the small member brings no discount but gets it all
  CHECK(of(*g, 2).uniform.cents == 0);
  CHECK(of(*g, 1).share.cents == 45000);
  CHECK(of(*g, 2).share.cents == 45000);
  CHECK(of(*g, 1).transfer.cents == -45000);
  CHECK(of(*g, 2).transfer.cents == 45000);
  CHECK(g->algorithm == ShapleyAlgorithm::enumeration);
  CHECK(g->uniform_in_core == true);
}

TEST_CASE("three members, hand-computed: every method") {
  // 200, 300, 500 units at 10 / 8 from 500 / 6 from 1,000.
  // v(12) = 1000, v(13) = 400, v(23) = 600, v(123) = 3000 (euros)
  // φ1 = 1000/6 + 400/6 + 2400/3 = 1033.33…, φ2 = 1000/6 + 600/6 + 2600/3 = 1133.33…, φ3 = 833.33…
  const std::vector<Player> players = {{1, qty("200")}, {2, qty("300")}, {3, qty("500")}};
  auto shapley = fair_share_lot(players, three_tiers(), FairMethod::shapley, {});
  REQUIRE(shapley.ok());
  CHECK(shapley->gain.cents == 300000);
  CHECK(of(*shapley, 1).share.cents == 103334);  // three equal remainders: the cent goes to the first
  CHECK(of(*shapley, 2).share.cents == 113333);
  CHECK(of(*shapley, 3).share.cents == 83333);
  CHECK(of(*shapley, 1).uniform.cents == 80000);  // 2,000 alone − 1,200 at 6.00
  CHECK(of(*shapley, 2).uniform.cents == 120000);
  CHECK(of(*shapley, 3).uniform.cents == 100000);
  CHECK(of(*shapley, 1).transfer.cents == 23334);
  CHECK(of(*shapley, 3).transfer.cents == -16667);

  auto proportional = fair_share_lot(players, three_tiers(), FairMethod::proportional, {});
  CHECK(of(*proportional, 1).share.cents == 60000);
  CHECK(of(*proportional, 3).share.cents == 150000);
  auto equal = fair_share_lot(players, three_tiers(), FairMethod::equal, {});
  CHECK(of(*equal, 2).share.cents == 100000);
  auto uniform = fair_share_lot(players, three_tiers(), FairMethod::uniform, {});
  CHECK(of(*uniform, 2).share.cents == 120000);
  CHECK(of(*uniform, 2).transfer.cents == 0);

  FairShareOptions dp;
  dp.force = ShapleyAlgorithm::dynamic_programming;
  auto by_dp = fair_share_lot(players, three_tiers(), FairMethod::shapley, dp);
  REQUIRE(by_dp.ok());
  CHECK(of(*by_dp, 1).share.cents == 103334);
  CHECK(of(*by_dp, 3).share.cents == 83333);
}

TEST_CASE("the core: in it with falling prices, out of it when a bigger order costs more per unit") {
  const std::vector<Player> players = {{1, qty("200")}, {2, qty("300")}, {3, qty("500")}};
  CHECK(fair_share_lot(players, three_tiers(), FairMethod::uniform, {})->uniform_in_core == true);
  // 9.00 up to 999 units, then 9.50: the grand coalition pays more per unit than any smaller one
  const auto rising = *PriceSchedule::make({{qty("0"), price("9")}, {qty("1000"), price("9.5")}});
  CHECK(fair_share_lot(players, rising, FairMethod::uniform, {})->uniform_in_core == false);
  FairShareOptions few;
  few.core_check_max_players = 2;
  CHECK_FALSE(fair_share_lot(players, three_tiers(), FairMethod::uniform, few)->uniform_in_core.has_value());
}

TEST_CASE("Shapley by enumeration equals the brute force over permutations and the factorial formula") {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 40; ++round) {
    const auto n = static_cast<std::size_t>(1 + rng() % 10);
    const auto schedule = random_schedule(rng, 1 + static_cast<int>(rng() % 8), 4'000'000);
    const auto q = random_quantities(rng, n, 1, 3'000'000);
    auto values = shapley_by_enumeration(q, schedule);
    REQUIRE(values.ok());
    const auto reference = n <= 8 ? shapley_by_permutations(q, schedule) : shapley_by_formula(q, schedule);
    for (std::size_t i = 0; i < n; ++i) REQUIRE((*values)[i] == reference[i]);
  }
}

TEST_CASE("Shapley by DP equals enumeration up to 20 members") {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 25; ++round) {
    const auto n = static_cast<std::size_t>(2 + rng() % 19);
    const auto grid = static_cast<std::int64_t>(1 + rng() % 5000);
    const auto q = random_quantities(rng, n, grid, 200);
    const auto schedule = random_schedule(rng, 1 + static_cast<int>(rng() % 8), grid * 600);
    auto dp = shapley_by_dp(q, schedule, 50'000'000);
    auto enumeration = shapley_by_enumeration(q, schedule);
    REQUIRE(dp.ok());
    REQUIRE(enumeration.ok());
    for (std::size_t i = 0; i < n; ++i) REQUIRE((*dp)[i] == (*enumeration)[i]);
  }
  // no usable grid: refused, not approximated
  std::vector<Quantity> coprime = {Quantity{999'983}, Quantity{1'000'003}, Quantity{7}};
  CHECK_FALSE(shapley_by_dp(coprime, three_tiers(), 1000).ok());
}

TEST_CASE("sampled Shapley lands within its reported bound of the exact value") {
  std::mt19937_64 rng(11);
  const auto q = random_quantities(rng, 30, 1000, 100);
  const auto schedule = random_schedule(rng, 8, 400'000);
  auto exact = shapley_by_dp(q, schedule, 50'000'000);
  REQUIRE(exact.ok());
  Rational total = 0;
  for (const auto& v : *exact) total += v;
  const double target = 0.005 * total.convert_to<double>();
  const auto sampled = shapley_by_sampling(q, schedule, target, 1'000'000, 3);
  CHECK(sampled.permutations > 0);
  int within_own = 0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    const double error = std::abs(sampled.values[i] - (*exact)[i].convert_to<double>());
    CHECK(sampled.half_width[i] <= target * 1.0001);
    CHECK(error <= 3 * target);  // far outside a 95 % bound would mean a wrong estimator
    if (error <= sampled.half_width[i]) ++within_own;
  }
  CHECK(within_own >= 25);  // about 95 % of 30 within their own 95 % interval
}

TEST_CASE("sampling is chosen for many members and reports its samples and bound") {
  std::mt19937_64 rng(8);
  std::vector<Player> players;
  for (int i = 0; i < 80; ++i)
    players.push_back({i + 1, Quantity{static_cast<std::int64_t>(1 + rng() % 1'000'000'000)}});
  const auto schedule = random_schedule(rng, 8, 10'000'000'000);
  auto g = fair_share_lot(players, schedule, FairMethod::shapley, {});
  REQUIRE(g.ok());
  CHECK(g->algorithm == ShapleyAlgorithm::sampling);
  REQUIRE(g->sampling.has_value());
  CHECK(g->sampling->samples > 0);
  std::int64_t sum = 0;
  for (const auto& p : g->players) sum += p.share.cents;
  CHECK(sum == g->gain.cents);
  CHECK_FALSE(g->uniform_in_core.has_value());
  // repeatable: the same seed gives the same shares
  auto again = fair_share_lot(players, schedule, FairMethod::shapley, {});
  CHECK(again->players[17].share == g->players[17].share);
}

TEST_CASE("properties: efficiency, symmetry, the null game, transfers sum to zero") {
  std::mt19937_64 rng(123);
  for (int round = 0; round < 200; ++round) {
    const auto n = static_cast<std::size_t>(1 + rng() % 12);
    auto q = random_quantities(rng, n, 1 + static_cast<std::int64_t>(rng() % 100), 10'000);
    if (n >= 2) q[1] = q[0];  // two symmetric members
    const auto schedule = random_schedule(rng, 1 + static_cast<int>(rng() % 6), 3'000'000);
    for (auto method : {FairMethod::uniform, FairMethod::shapley, FairMethod::proportional, FairMethod::equal}) {
      auto g = fair_share_lot(players_of(q), schedule, method, {});
      REQUIRE(g.ok());
      std::int64_t shares = 0;
      std::int64_t transfers = 0;
      for (const auto& p : g->players) {
        shares += p.share.cents;
        transfers += p.transfer.cents;
      }
      REQUIRE(shares == g->gain.cents);  // efficiency, to the cent
      REQUIRE(transfers == 0);
      if (n >= 2 && method != FairMethod::uniform) {
        REQUIRE(std::abs(g->players[0].share.cents - g->players[1].share.cents) <= 1);  // symmetry
      }
    }
  }
  // a flat price: no coalition gains anything, every share is zero
  auto flat = fair_share_lot(players_of({qty("10"), qty("20"), qty("30")}), PriceSchedule::flat(price("5")),
                             FairMethod::shapley, {});
  CHECK(flat->gain.cents == 0);
  for (const auto& p : flat->players) CHECK(p.share.cents == 0);
}

TEST_CASE("a tender sums its lots, each its own game, and checks the core on the sum") {
  const LotGame paint{{{1, qty("200")}, {2, qty("300")}, {3, qty("500")}}, three_tiers()};
  const LotGame power{{{1, qty("300")}, {2, qty("700")}},
                      *PriceSchedule::make({{qty("0"), price("12")}, {qty("500"), price("9")}})};
  const std::vector<LotGame> lots = {paint, power};
  auto t = fair_share_tender(lots, FairMethod::shapley, {});
  REQUIRE(t.ok());
  CHECK(t->gain.cents == 300000 + 90000);
  CHECK(of(*t, 1).share.cents == 103334 + 45000);
  CHECK(of(*t, 3).share.cents == 83333);
  CHECK(t->uniform_in_core == true);
  CHECK_FALSE(fair_share_lot(std::vector<Player>{}, three_tiers(), FairMethod::shapley, {}).ok());
  CHECK_FALSE(
      fair_share_lot(std::vector<Player>{{1, qty("1")}, {1, qty("2")}}, three_tiers(), FairMethod::equal, {}).ok());
  CHECK(parse_fair_method("shapley", "method").value() == FairMethod::shapley);
  CHECK_FALSE(parse_fair_method("nash", "method").ok());
}

TEST_CASE("property: Shapley cents follow the largest remainders of the exact values") {
  std::mt19937_64 rng(4242);
  for (int round = 0; round < 150; ++round) {
    const auto n = static_cast<std::size_t>(2 + rng() % 9);
    const auto q = random_quantities(rng, n, 1, 2'000'000);
    const auto schedule = random_schedule(rng, 2 + static_cast<int>(rng() % 6), 3'000'000);
    auto g = fair_share_lot(players_of(q), schedule, FairMethod::shapley, {});
    REQUIRE(g.ok());
    const auto exact = shapley_by_formula(q, schedule);  // 1e-7 €
    // targets: exact values in cents, shifted equally so they sum to the gain in cents
    Rational sum = 0;
    for (const auto& v : exact) sum += v / 100'000;
    const Rational shift = (Rational(g->gain.cents) - sum) / Rational(static_cast<long long>(n));
    Rational lowest_up = 2;      // smallest remainder among members rounded up
    Rational highest_down = -1;  // largest remainder among members rounded down
    for (std::size_t i = 0; i < n; ++i) {
      const Rational target = exact[i] / 100'000 + shift;
      const Rational difference = Rational(g->players[i].share.cents) - target;
      REQUIRE(difference > -1);
      REQUIRE(difference < 1);
      const Rational remainder = difference > 0 ? Rational(1) - difference : -difference;
      if (difference > 0) lowest_up = std::min(lowest_up, remainder);
      if (difference <= 0) highest_down = std::max(highest_down, remainder);
    }
    REQUIRE(lowest_up >= highest_down);  // a cent never goes to a smaller remainder
  }
}
