#include "api/cookies.hpp"

#include "api/http_text.hpp"

namespace canopee::api {
namespace {

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
    const auto pair = trim_ows(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || trim_ows(pair.substr(0, equals)) != name) continue;
    if (found) return std::nullopt;  // twice: an injected cookie beside ours, trust neither
    found = trim_ows(pair.substr(equals + 1));
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
