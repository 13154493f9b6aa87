#include "engine/identifiers.hpp"

#include <string>

namespace canopee {
namespace {

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

Status validate_siren(std::string_view siren, std::string_view field) {
  if (siren.size() != 9 || !all_digits(siren)) {
    return Error::invalid(std::string(field), "doit compter 9 chiffres", "party.siren.format");
  }
  if (!luhn_valid(siren))
    return Error::invalid(std::string(field), "SIREN invalide : la clé de contrôle (Luhn) est fausse",
                          "party.siren.check_digit");
  return ok_status();
}

Status validate_siret(std::string_view siret, std::string_view field) {
  if (siret.size() != 14 || !all_digits(siret)) {
    return Error::invalid(std::string(field), "doit compter 14 chiffres", "party.siret.format");
  }
  // La Poste's establishments by their own rule; its head office by Luhn.
  if (siret.substr(0, 9) == kLaPosteSiren && siret != kLaPosteHeadOfficeSiret) {
    int sum = 0;
    for (const char c : siret) sum += c - '0';
    if (sum % 5 != 0)
      return Error::invalid(std::string(field),
                            "SIRET de La Poste invalide : la somme de ses chiffres doit être un multiple de 5",
                            "party.siret.check_digit");
    return ok_status();
  }
  if (!luhn_valid(siret))
    return Error::invalid(std::string(field), "SIRET invalide : la clé de contrôle (Luhn) est fausse",
                          "party.siret.check_digit");
  return ok_status();
}

}  // namespace canopee
