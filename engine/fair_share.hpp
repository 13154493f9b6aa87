#pragma once
// Fair sharing of the pooling gain (design.md §4). For one lot, the gain is what
// pooling saved against each member buying alone from the same winner:
//     gain = Σ standalone_i − Σ contract_i     (cents, the contract lines' rounding)
// and it is allocated by
//   uniform       each member keeps its own pooling effect (one unit price for all)
//   shapley       the Shapley value of the lot's game (engine/shapley.hpp)
//   proportional  pro rata to quantity
//   equal         in equal parts
// always to the cent and summing exactly to the gain. Each lot is its own game; a
// member's tender figure is the sum of its lot figures. The report says whether
// the uniform allocation is in the core (no coalition would gain more alone) when
// the member count allows checking, and the transfer from uniform to the method.
#include <optional>
#include <span>
#include <vector>

#include "engine/price_schedule.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class FairMethod : std::uint8_t { uniform, shapley, proportional, equal };
enum class ShapleyAlgorithm : std::uint8_t { none, enumeration, dynamic_programming, sampling };
std::string_view to_string(FairMethod method);
std::string_view to_string(ShapleyAlgorithm algorithm);
Result<FairMethod> parse_fair_method(std::string_view text, std::string_view field);

struct Player {
  std::int64_t member_id = 0;
  Quantity quantity;
};

struct FairShareOptions {
  std::size_t enumeration_max_players = 20;
  std::size_t dp_max_states = 40'000'000;  // (players + 1) × (grid quantity + 1)
  double sampling_relative_error = 0.005;  // 95 % bound, as a share of the gain
  std::uint64_t sampling_max_permutations = 2'000'000;
  std::uint64_t seed = 20261129;
  std::size_t core_check_max_players = 16;
  std::optional<ShapleyAlgorithm> force;  // tests and benchmarks choose the algorithm
};

struct PlayerShare {
  std::int64_t member_id = 0;
  Amount standalone;  // alone, on the winner's schedule
  Amount contract;    // at the awarded unit price
  Amount uniform;     // standalone − contract
  Amount share;       // by the chosen method
  Amount transfer;    // share − uniform: what the member should receive (negative: pay)
};

struct Sampling {
  std::uint64_t samples = 0;
  Amount error_bound;  // 95 %, the largest over the members
};

struct GameShare {
  FairMethod method = FairMethod::uniform;
  ShapleyAlgorithm algorithm = ShapleyAlgorithm::none;
  Amount gain;
  std::vector<PlayerShare> players;     // by member id
  std::optional<bool> uniform_in_core;  // none when too many members to check
  std::optional<Sampling> sampling;
};

// `awarded_quantity` is the lot's total (Σ player quantities).
Result<GameShare> fair_share_lot(std::span<const Player> players, const PriceSchedule& schedule, FairMethod method,
                                 const FairShareOptions& options);

struct LotGame {
  std::vector<Player> players;
  PriceSchedule schedule;
};

// The tender: per member the sum of its lot figures; in_core checked on the sum
// game when the tender's members are few enough; sampling reports the total
// samples and the sum of the lots' bounds.
Result<GameShare> fair_share_tender(std::span<const LotGame> lots, FairMethod method, const FairShareOptions& options);

}  // namespace canopee
