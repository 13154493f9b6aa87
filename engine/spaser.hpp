#pragma once
// Responsible-purchasing figures per member and calendar year (issue 19 item 10): what
// the schéma de promotion des achats socialement et écologiquement responsables
// (SPASER, L2111-3) reports — the number and amount (HT) of the member's contracts,
// the share of them with environmental considerations, with social considerations,
// awarded to SMEs and reserved (L2113-12, L2113-13, L2113-15), and whether the
// member's yearly purchases are above the SPASER threshold.
//
// L2111-3: the schéma is adopted « lorsque le montant total annuel de leurs achats est
// supérieur à un montant fixé par voie réglementaire »; D2111-3 sets it at 50 millions
// d'euros HT. « Supérieur à » is strict: exactly 50,000,000.00 € HT does not make it
// mandatory, 50,000,000.01 € does.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/date.hpp"
#include "engine/money.hpp"
#include "engine/result.hpp"

namespace canopee {

// How a contract is reserved: not at all, to ESAT and entreprises adaptées (L2113-12),
// to SIAE (L2113-13), to ESS enterprises for health, social and cultural services
// (L2113-15).
enum class Reservation : std::uint8_t { none, esat_ea, siae, ess };
std::string_view to_string(Reservation reservation);
Result<Reservation> parse_reservation(std::string_view text, std::string_view field);
// The article it rests on ("" for none): "L2113-12", "L2113-13", "L2113-15".
std::string_view legal_basis(Reservation reservation);
std::string_view french_label(Reservation reservation);

// 50,000,000.00 € HT (D2111-3), the default of the setting `spaser_threshold`.
inline constexpr Amount kDefaultSpaserThreshold{5'000'000'000};

// One member's contract, dated like the savings report: by its notification when
// recorded, else by the award decision (engine/report.hpp, SavingsDateBasis).
struct SpaserContract {
  std::int64_t member_id = 0;
  Date awarded_on;
  std::optional<Date> notified_on;
  Amount amount;               // HT
  bool environmental = false;  // the tender's environmental considerations are not blank
  bool social = false;         // the tender's social considerations are not blank
  bool sme = false;            // the supplier is an SME
  Reservation reserved = Reservation::none;

  Date counted_on() const { return notified_on.value_or(awarded_on); }
};

// A count and an amount, and their shares of the year's (basis points, half away
// from zero; 0 when the year has none).
struct SpaserShare {
  std::int64_t count = 0;
  Amount amount;
  std::int64_t count_bp = 0;
  std::int64_t amount_bp = 0;
};

struct SpaserYear {
  std::int64_t member_id = 0;
  int year = 0;
  std::int64_t contracts = 0;
  Amount amount;
  SpaserShare environmental, social, sme, reserved;
  bool threshold_exceeded = false;  // amount > threshold: the schéma is mandatory (L2111-3)
};

// The share of `part` in `whole` in basis points, half away from zero; 0 when whole is 0.
std::int64_t share_bp(std::int64_t part, std::int64_t whole);

// The figures per (member, year) of the contracts given, ordered by member then year;
// only the contracts counted in `year` when it is given.
std::vector<SpaserYear> spaser_figures(std::span<const SpaserContract> contracts, Amount threshold,
                                       std::optional<int> year = std::nullopt);

// The threshold as an operator writes it (a positive amount in euros HT, at most
// kMaxAmount); errors name `field`, code `spaser.threshold.invalid`.
Result<Amount> parse_spaser_threshold(std::string_view text, std::string_view field);

}  // namespace canopee
