#pragma once
// VAT of a lot (issue 19 item 8). Every amount the product stores — references, bids,
// contracts, orders, thresholds — is HT; a lot carries its VAT rate so that finance
// reports can show TTC, what an OPH's budget is voted in (its rental activity does not
// recover most VAT). The rates a lot may take (Code général des impôts):
//   20 %   the normal rate, art. 278;
//   10 %   improvement and maintenance works on dwellings completed more than two
//          years ago, art. 279-0 bis;
//   5,5 %  energy-renovation works on such dwellings, art. 278-0 bis A; and the
//          reduced rates of social housing, art. 278 sexies.
// The network may narrow or widen the list (setting `vat_rates`, e.g. "20;10;5.5").
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace canopee {

inline constexpr std::int64_t kDefaultVatRateBp = 2000;
inline constexpr std::int64_t kLegalVatRatesBp[] = {2000, 1000, 550};

// "20;10;5.5" (';' between rates, '.' or ',' before the decimals) → {2000, 1000, 550};
// nullopt when a rate is malformed or outside 0–100 %.
std::optional<std::vector<std::int64_t>> parse_vat_rates(std::string_view setting);

// The rate is one of `allowed` (field "vat_rate", code lot.vat_rate.unknown).
Status check_vat_rate(std::int64_t rate_bp, std::span<const std::int64_t> allowed, std::string_view field);

}  // namespace canopee
