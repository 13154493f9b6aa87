#include "api/cookies.hpp"

namespace canopee::api {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool plausible(std::string_view value) {
  if (value.empty() || value.size() > 100) return false;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == ';' || c == ',' || c == '"' || c == '\\') return false;
  }
  return true;
}

constexpr std::string_view kAttributes = "; Path=/; HttpOnly; Secure; SameSite=Strict";

}  // namespace

std::optional<std::string_view> session_cookie(std::string_view header) { return cookie_value(header, kSessionCookie); }

std::string read_after_cookie_set(std::string_view position) {
  std::string out(kReadAfterCookie);
  out.append("=").append(position).append(kAttributes).append("; Max-Age=").append(std::to_string(kReadAfterMaxAge));
  return out;
}

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  std::optional<std::string_view> found;
  while (!header.empty()) {
    const auto end = header.find(';');
    const auto pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || trim(pair.substr(0, equals)) != name) continue;
    if (found) return std::nullopt;  // twice: an injected cookie beside ours, trust neither
    found = trim(pair.substr(equals + 1));
  }
  if (found && !plausible(*found)) return std::nullopt;
  return found;
}

std::string session_cookie_set(std::string_view value, std::int64_t max_age_seconds) {
  std::string out(kSessionCookie);
  out.append("=").append(value).append(kAttributes).append("; Max-Age=").append(std::to_string(max_age_seconds));
  return out;
}

std::string session_cookie_cleared() {
  std::string out(kSessionCookie);
  out.append("=").append(kAttributes).append("; Max-Age=0");
  return out;
}

}  // namespace canopee::api
