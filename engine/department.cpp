#include "engine/department.hpp"

namespace canopee {

Result<Department> parse_department(std::string_view text, std::string_view field) {
  const auto fail = [&] {
    return Error::invalid(std::string(field), "doit être un code de département : 01–95, 2A, 2B, 971–974 ou 976",
                          "department.unknown");
  };
  if (text == "2A") return Department{201};
  if (text == "2B") return Department{202};
  if (text.size() != 2 && text.size() != 3) return fail();
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return fail();
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (text.size() == 2 && value >= 1 && value <= 95 && value != 20) {
    return Department{static_cast<std::uint16_t>(value)};
  }
  if (text.size() == 3 && value >= 971 && value <= 976 && value != 975)
    return Department{static_cast<std::uint16_t>(value)};
  return fail();
}

std::string to_string(Department department) {
  if (department.index == 201) return "2A";
  if (department.index == 202) return "2B";
  if (department.index < 10) return "0" + std::to_string(department.index);
  return std::to_string(department.index);
}

}  // namespace canopee
