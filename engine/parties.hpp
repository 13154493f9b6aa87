#pragma once
// The parties: network members (the landlords), users, and suppliers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/department.hpp"
#include "engine/result.hpp"

namespace canopee {

struct Member {
  std::int64_t id = 0;
  std::string code;  // short, upper case: OPAL, REIMS …
  std::string name;
  std::string siren;
  Department department;
  bool active = true;
  // The SIRET of its establishment (SIREN + NIC), which the DECP name the buyer by;
  // none until recorded (then it is left out of the DECP export).
  std::optional<std::string> siret{};
  std::int64_t version = 1;
};

// A member set inactive takes part in nothing new: its buyers record no need, its
// needs are not pooled, it joins no new tender (nor coordinates one); its
// existing tenders and contracts stand. `what` names the refused act
// ("record needs", "join a tender"); the error (conflict) names `field`.
Status check_member_active(std::string_view code, bool active, std::string_view field, std::string_view what);

enum class Role : std::uint8_t { admin, officer, buyer, finance };
std::string_view to_string(Role role);
Result<Role> parse_role(std::string_view text, std::string_view field);

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  Role role = Role::buyer;
  std::optional<std::int64_t> member_id;  // none: network-wide
  bool active = true;
  std::int64_t version = 1;
};

struct Supplier {
  std::int64_t id = 0;
  std::string name;
  std::string siret;
  Department department;
  bool sme = false;
  std::int64_t version = 1;
};

// Field-level validation (every problem at once). Ids and versions are not checked.
Status validate_member(const Member& member);
Status validate_user(const User& user);
Status validate_supplier(const Supplier& supplier);

}  // namespace canopee
