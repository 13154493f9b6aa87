#include "engine/sign_in.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace canopee {
namespace {

Status refuse(std::string code, std::string message) {
  return Error::rule_broken(ErrorCode::invalid, std::move(code), "password", std::move(message));
}

// The code points of a UTF-8 text, or nullopt when it is not well-formed UTF-8
// (overlong forms, surrogates and values beyond U+10FFFF included).
std::optional<std::size_t> count_code_points(std::string_view text, bool& has_control) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length = 0;
    std::uint32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      cp = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      cp = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + static_cast<std::size_t>(length) > text.size()) return std::nullopt;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0u) != 0x80u) return std::nullopt;
      cp = (cp << 6) | (next & 0x3Fu);
    }
    const bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) has_control = true;
    i += static_cast<std::size_t>(length);
  }
  return count;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Status check_password(std::string_view password, std::string_view email) {
  if (password.size() > kPasswordMaxBytes) {
    return refuse("password.too_long", "le mot de passe compte au plus 256 octets");
  }
  bool has_control = false;
  const auto characters = count_code_points(password, has_control);
  if (!characters || has_control) {
    return refuse("password.invalid", "le mot de passe contient des caractères de contrôle ou illisibles");
  }
  if (*characters < kPasswordMinCharacters) {
    return refuse("password.too_short", "le mot de passe compte au moins 12 caractères");
  }
  bool lower = false;
  bool upper = false;
  bool digit = false;
  bool other = false;
  for (const char c : password) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 'a' && byte <= 'z') {
      lower = true;
    } else if (byte >= 'A' && byte <= 'Z') {
      upper = true;
    } else if (byte >= '0' && byte <= '9') {
      digit = true;
    } else {
      other = true;  // punctuation, space, and every letter beyond ASCII (é, ç…)
    }
  }
  if (static_cast<int>(lower) + static_cast<int>(upper) + static_cast<int>(digit) + static_cast<int>(other) <
      kPasswordMinKinds) {
    return refuse("password.too_simple",
                  "le mot de passe mêle au moins trois sortes de caractères : minuscules, majuscules, chiffres, "
                  "autres (ponctuation, accents, espaces)");
  }
  const auto lowered = lower_ascii(password);
  const auto address = lower_ascii(email);
  const auto local_part = address.substr(0, address.find('@'));
  if (!address.empty() && (lowered == address || lowered == local_part)) {
    return refuse("password.is_email", "le mot de passe ne peut pas être l’adresse électronique");
  }
  return ok_status();
}

std::optional<Instant> lockout_after_failure(int failures, Instant now) {
  if (failures <= 0 || failures % kLockoutAttempts != 0) return std::nullopt;
  return add_seconds(now, kLockoutSeconds);
}

SessionTimes new_session_times(Instant now) {
  return {add_seconds(now, kSessionLifetimeSeconds), add_seconds(now, kSessionIdleSeconds)};
}

bool session_alive(const SessionTimes& times, Instant now) { return now < times.expires && now < times.idle_until; }

std::optional<Instant> touched_idle_deadline(const SessionTimes& times, Instant now) {
  const auto wanted = std::min(add_seconds(now, kSessionIdleSeconds), times.expires);
  if (wanted.micros - times.idle_until.micros < kSessionTouchSeconds * kMicrosPerSecond) return std::nullopt;
  return wanted;
}

}  // namespace canopee
