#pragma once
// French company identifiers (INSEE): SIREN (9 digits) and SIRET (SIREN + 5).
// Both carry a Luhn check, except La Poste's establishments (SIREN 356000000),
// whose SIRET digit sum is a multiple of 5 — all but La Poste's head office,
// 35600000000048, whose SIRET follows the Luhn rule (digit sum 26).
#include <string_view>

#include "engine/result.hpp"

namespace canopee {

inline constexpr std::string_view kLaPosteSiren = "356000000";
inline constexpr std::string_view kLaPosteHeadOfficeSiret = "35600000000048";

bool luhn_valid(std::string_view digits);
Status validate_siren(std::string_view siren, std::string_view field = "siren");
Status validate_siret(std::string_view siret, std::string_view field = "siret");

}  // namespace canopee
