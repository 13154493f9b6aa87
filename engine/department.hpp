#pragma once
// French départements: "01"–"95" (no "20"), "2A", "2B", and overseas "971"–"974" and "976"
// (975, Saint-Pierre-et-Miquelon, is a collectivité, not a département).
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace canopee {

struct Department {
  std::uint16_t index = 0;  // a compact number (1–95, 201/202 for 2A/2B, 971–974, 976)
  constexpr auto operator<=>(const Department&) const = default;
};

Result<Department> parse_department(std::string_view text, std::string_view field);
std::string to_string(Department department);

}  // namespace canopee
