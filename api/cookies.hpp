#pragma once
// The browser session's cookie: its name, reading it from a Cookie header, and the
// Set-Cookie values that open and end it. HttpOnly (no script reads it), Secure
// (never over plain HTTP, localhost aside in browsers), SameSite=Strict (never sent
// with a request another site starts), for the whole origin.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace canopee::api {

inline constexpr std::string_view kSessionCookie = "canopee_session";
// The header a browser session sends its CSRF token in, on every request that writes.
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// The value of the session cookie in a Cookie header ("a=1; canopee_session=…"), if
// present once with a plausible value (visible ASCII, 1–100 characters).
std::optional<std::string_view> session_cookie(std::string_view cookie_header);
// The value of cookie `name` in a Cookie header, on the same terms.
std::optional<std::string_view> cookie_value(std::string_view cookie_header, std::string_view name);
std::string session_cookie_set(std::string_view value, std::int64_t max_age_seconds);
std::string session_cookie_cleared();
// The client's last write position (read-your-writes with a read standby, api/app.cpp):
// short-lived, for the browser, beside the Canopee-Read-After header API clients read.
inline constexpr std::string_view kReadAfterCookie = "canopee_read_after";
inline constexpr std::int64_t kReadAfterMaxAge = 60;  // seconds: the staleness bound is far shorter
std::string read_after_cookie_set(std::string_view position);
// A session's key in the TokenCache (beside API tokens' hashes).
inline std::string session_cache_key(std::string_view session_hash) { return "session:" + std::string(session_hash); }

}  // namespace canopee::api
