#include "engine/fair_share.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "engine/shapley.hpp"

namespace canopee {
namespace {

constexpr auto kMethods = enum_names<FairMethod>("uniform", "shapley", "proportional", "equal");
constexpr auto kAlgorithms = enum_names<ShapleyAlgorithm>("none", "enumeration", "dynamic_programming", "sampling");
constexpr std::int64_t kSubCentsPerCent = 100'000;  // exact costs are in 1/10,000,000 €

BigInt floor_of(const Rational& r) {
  const BigInt& num = boost::multiprecision::numerator(r);
  const BigInt& den = boost::multiprecision::denominator(r);
  BigInt q = num / den;  // truncates toward zero
  if (num < 0 && q * den != num) q -= 1;
  return q;
}

// Integers summing to `total`, each within one cent of targets[i] shifted by an
// equal share of (total − Σ targets): floors, then one more cent to the largest
// remainders, ties to the earlier position.
std::vector<std::int64_t> round_to_total(const std::vector<Rational>& targets, std::int64_t total) {
  const auto n = targets.size();
  Rational sum = 0;
  for (const auto& t : targets) sum += t;
  const Rational shift = (Rational(total) - sum) / Rational(static_cast<long long>(n));
  std::vector<std::int64_t> out(n);
  std::vector<Rational> remainder(n);
  std::int64_t allocated = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Rational t = targets[i] + shift;
    const BigInt f = floor_of(t);
    out[i] = f.convert_to<std::int64_t>();
    remainder[i] = t - Rational(f);
    allocated += out[i];
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return remainder[a] > remainder[b]; });
  for (std::int64_t k = 0; k < total - allocated; ++k) ++out[order[static_cast<std::size_t>(k)]];
  return out;
}

// The uniform allocation is in the core iff no coalition's own unit price is
// below the grand coalition's: x(S) − v(S) = q(S)·(price(q(S)) − price(Q)).
std::optional<bool> uniform_in_core(std::span<const Player> players, const PriceSchedule& schedule,
                                    std::size_t max_players) {
  const auto n = players.size();
  if (n > max_players || n > 25) return std::nullopt;
  std::int64_t total = 0;
  for (const auto& p : players) total += p.quantity.thousandths;
  const auto grand = schedule.unit_price_at(Quantity{total});
  std::vector<std::int64_t> quantity(std::size_t{1} << n, 0);
  for (std::size_t mask = 1; mask < quantity.size(); ++mask) {
    quantity[mask] = quantity[mask & (mask - 1)] +
                     players[static_cast<std::size_t>(__builtin_ctzll(mask))].quantity.thousandths;
    if (quantity[mask] > 0 && schedule.unit_price_at(Quantity{quantity[mask]}) < grand) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(FairMethod m) { return kMethods(m); }
std::string_view to_string(ShapleyAlgorithm a) { return kAlgorithms(a); }

Result<FairMethod> parse_fair_method(std::string_view text, std::string_view field) {
  if (auto value = kMethods.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’une des méthodes " + kMethods.listed(),
                        "fair_share.method.unknown");
}

Result<GameShare> fair_share_lot(std::span<const Player> input, const PriceSchedule& schedule, FairMethod method,
                                 const FairShareOptions& options) {
  if (input.empty())
    return Error::invalid("players", "un partage demande au moins un membre", "fair_share.players.empty");
  std::vector<Player> players(input.begin(), input.end());
  std::sort(players.begin(), players.end(), [](const Player& a, const Player& b) { return a.member_id < b.member_id; });
  std::int64_t total = 0;
  for (std::size_t i = 0; i < players.size(); ++i) {
    if (players[i].quantity.thousandths <= 0)
      return Error::invalid("players", "les quantités doivent être positives", "fair_share.players.quantity");
    if (i > 0 && players[i].member_id == players[i - 1].member_id)
      return Error::invalid("players", "un membre apparaît deux fois", "fair_share.players.duplicate");
    total += players[i].quantity.thousandths;
  }
  const UnitPrice awarded = schedule.unit_price_at(Quantity{total});

  GameShare game;
  game.method = method;
  for (const auto& p : players) {
    PlayerShare s;
    s.member_id = p.member_id;
    auto standalone = schedule.cost_at(p.quantity);
    auto contract = line_amount(p.quantity, awarded);
    if (!standalone || !contract)
      return Error::invalid("players", "un montant dépasse le plus grand pris en charge",
                            "fair_share.amount.too_large");
    s.standalone = *standalone;
    s.contract = *contract;
    s.uniform = s.standalone - s.contract;
    game.gain += s.uniform;
    game.players.push_back(s);
  }
  const auto n = players.size();

  std::vector<std::int64_t> shares(n);
  switch (method) {
    case FairMethod::uniform:
      for (std::size_t i = 0; i < n; ++i) shares[i] = game.players[i].uniform.cents;
      break;
    case FairMethod::proportional:
    case FairMethod::equal: {
      std::vector<std::int64_t> weights;
      weights.reserve(players.size());
      for (const auto& p : players) weights.push_back(method == FairMethod::equal ? 1 : p.quantity.thousandths);
      shares = *allocate_largest_remainder(game.gain.cents, weights);
      break;
    }
    case FairMethod::shapley: {
      std::vector<Quantity> quantities;
      quantities.reserve(players.size());
      for (const auto& p : players) quantities.push_back(p.quantity);
      auto algorithm = options.force.value_or(n <= options.enumeration_max_players ? ShapleyAlgorithm::enumeration
                                              : (n <= 66 && shapley_dp_states(quantities) <= options.dp_max_states)
                                                  ? ShapleyAlgorithm::dynamic_programming
                                                  : ShapleyAlgorithm::sampling);
      game.algorithm = algorithm;
      std::vector<Rational> values;  // cents
      if (algorithm == ShapleyAlgorithm::sampling) {
        const double target = std::max(1.0, std::abs(static_cast<double>(game.gain.cents)) * kSubCentsPerCent *
                                                options.sampling_relative_error);
        const auto sampled = shapley_by_sampling(quantities, schedule, target, options.sampling_max_permutations,
                                                 options.seed);
        double worst = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          values.emplace_back(static_cast<long long>(std::llround(sampled.values[i])), kSubCentsPerCent);
          worst = std::max(worst, sampled.half_width[i]);
        }
        game.sampling = Sampling{sampled.permutations,
                                 Amount{static_cast<std::int64_t>(std::ceil(worst / kSubCentsPerCent))}};
      } else {
        auto exact = algorithm == ShapleyAlgorithm::enumeration
                         ? shapley_by_enumeration(quantities, schedule)
                         : shapley_by_dp(quantities, schedule, options.dp_max_states);
        if (!exact) return std::move(exact).error();
        for (auto& v : *exact) values.emplace_back(v / kSubCentsPerCent);
      }
      shares = round_to_total(values, game.gain.cents);
      break;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    game.players[i].share = Amount{shares[i]};
    game.players[i].transfer = game.players[i].share - game.players[i].uniform;
  }
  game.uniform_in_core = uniform_in_core(players, schedule, options.core_check_max_players);
  return game;
}

Result<GameShare> fair_share_tender(std::span<const LotGame> lots, FairMethod method, const FairShareOptions& options) {
  GameShare tender;
  tender.method = method;
  std::map<std::int64_t, PlayerShare> members;
  bool any_core_unknown = false;
  for (std::size_t l = 0; l < lots.size(); ++l) {
    FairShareOptions lot_options = options;
    lot_options.seed = options.seed + l;  // each lot its own stream, still repeatable
    auto lot = fair_share_lot(lots[l].players, lots[l].schedule, method, lot_options);
    if (!lot) return std::move(lot).error();
    tender.gain += lot->gain;
    if (lot->algorithm > tender.algorithm) tender.algorithm = lot->algorithm;
    for (const auto& p : lot->players) {
      auto& m = members[p.member_id];
      m.member_id = p.member_id;
      m.standalone += p.standalone;
      m.contract += p.contract;
      m.uniform += p.uniform;
      m.share += p.share;
      m.transfer += p.transfer;
    }
    if (lot->sampling) {
      if (!tender.sampling) tender.sampling = Sampling{};
      tender.sampling->samples += lot->sampling->samples;
      tender.sampling->error_bound += lot->sampling->error_bound;
    }
    if (!lot->uniform_in_core) any_core_unknown = true;
  }
  for (const auto& [id, share] : members) tender.players.push_back(share);

  // The sum game: x(S) − v(S) = Σ_lots q_l(S)·(price_l(q_l(S)) − price_l(Q_l)), exactly.
  const auto n = tender.players.size();
  if (n <= options.core_check_max_players && n <= 25 && !lots.empty()) {
    std::map<std::int64_t, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index[tender.players[i].member_id] = i;
    bool in_core = true;
    for (std::size_t mask = 1; mask < (std::size_t{1} << n) && in_core; ++mask) {
      int128 excess = 0;
      for (const auto& lot : lots) {
        std::int64_t q = 0;
        std::int64_t total = 0;
        for (const auto& p : lot.players) {
          total += p.quantity.thousandths;
          if (mask & (std::size_t{1} << index[p.member_id])) q += p.quantity.thousandths;
        }
        if (q == 0) continue;
        excess += static_cast<int128>(q) * (lot.schedule.unit_price_at(Quantity{q}).ten_thousandths -
                                            lot.schedule.unit_price_at(Quantity{total}).ten_thousandths);
      }
      if (excess < 0) in_core = false;
    }
    tender.uniform_in_core = in_core;
  } else if (!any_core_unknown && lots.empty()) {
    tender.uniform_in_core = true;
  }
  return tender;
}

}  // namespace canopee
