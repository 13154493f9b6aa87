#include "engine/parties.hpp"

#include "engine/enum_names.hpp"

#include <array>
#include <vector>

#include "engine/identifiers.hpp"

namespace canopee {
namespace {

constexpr auto kRoles = enum_names<Role>("admin", "officer", "buyer", "finance");

bool printable(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

void check_name(std::vector<FieldError>& errors, std::string_view value, const char* field) {
  if (value.empty() || value.size() > 200 || !printable(value) ||
      value.find_first_not_of(' ') == std::string_view::npos) {
    errors.push_back({field, "1 à 200 caractères imprimables", "party.name.length"});
  }
}

void take(std::vector<FieldError>& errors, const Status& status) {
  if (!status) errors.insert(errors.end(), status.error().fields.begin(), status.error().fields.end());
}

Status done(std::vector<FieldError> errors, const char* what, const char* code) {
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, std::string(what) + " invalide", std::move(errors), code};
}

}  // namespace

std::string_view to_string(Role role) { return kRoles(role); }

Result<Role> parse_role(std::string_view text, std::string_view field) {
  if (auto value = kRoles.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’un des rôles " + kRoles.listed(), "user.role.unknown");
}

Status validate_member(const Member& m) {
  std::vector<FieldError> errors;
  bool code_ok = !m.code.empty() && m.code.size() <= 20;
  for (const char c : m.code)
    code_ok = code_ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  if (!code_ok) errors.push_back({"code", "1 à 20 caractères parmi A–Z, 0–9, _ et -", "member.code.format"});
  check_name(errors, m.name, "name");
  take(errors, validate_siren(m.siren));
  if (m.siret) {
    if (auto status = validate_siret(*m.siret); !status) {
      take(errors, status);
    } else if (m.siret->compare(0, 9, m.siren) != 0) {
      errors.push_back(
          {"siret", "doit commencer par le SIREN du membre (" + m.siren + ")", "member.siret.not_of_siren"});
    }
  }
  return done(std::move(errors), "membre", "member.invalid");
}

Status validate_user(const User& u) {
  std::vector<FieldError> errors;
  const auto at = u.email.find('@');
  if (u.email.size() < 3 || u.email.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= u.email.size() ||
      u.email.find('@', at + 1) != std::string::npos || u.email.find_first_of(" \t\r\n<>") != std::string::npos) {
    errors.push_back({"email", "doit être une adresse électronique", "user.email.format"});
  }
  check_name(errors, u.name, "name");
  if (u.role == Role::buyer && !u.member_id)
    errors.push_back({"member_id", "un acheteur appartient à un membre", "user.member_id.required"});
  return done(std::move(errors), "utilisateur", "user.invalid");
}

Status validate_supplier(const Supplier& s) {
  std::vector<FieldError> errors;
  check_name(errors, s.name, "name");
  take(errors, validate_siret(s.siret));
  return done(std::move(errors), "fournisseur", "supplier.invalid");
}

Status check_member_active(std::string_view code, bool active, std::string_view field, std::string_view what) {
  if (active) return ok_status();
  const std::string message = "le membre " + std::string(code) + " est inactif : il ne peut pas " + std::string(what);
  return Error::rule_broken(ErrorCode::conflict, "member.inactive", std::string(field), message);
}

}  // namespace canopee
