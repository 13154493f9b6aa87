#pragma once
// Signing people in with a password: what a password must be, how failed attempts
// lock an account, how long a browser session and a one-time link live. Pure
// rules; hashing (argon2id) and storage are the adapters'.
//
// The figures follow the CNIL's recommendation on passwords (délibération
// n° 2022-100 du 21 juillet 2022): at least 12 characters mixing at least three
// kinds (lower case, upper case, digits, others) — its "case 1", which needs no
// lockout — and, on top, a temporary lockout after repeated failures.
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/date.hpp"
#include "engine/result.hpp"

namespace canopee {

inline constexpr std::size_t kPasswordMinCharacters = 12;
inline constexpr std::size_t kPasswordMaxBytes = 256;  // argon2id reads it all: bounded
inline constexpr int kPasswordMinKinds = 3;

// Refuses a password that is too short (password.too_short), too long
// (password.too_long), of fewer than three kinds (password.too_simple), not UTF-8
// or holding control characters (password.invalid), or equal to the e-mail address
// or its local part, whatever the case (password.is_email). The field is "password".
Status check_password(std::string_view password, std::string_view email);

// Failed attempts in a row before the account locks, and for how long.
inline constexpr int kLockoutAttempts = 5;
inline constexpr std::int64_t kLockoutSeconds = std::int64_t{15} * 60;

// After a failed attempt that made `failures` in a row at `now`: the end of the
// lockout it starts, if it starts one (at the 5th failure, then at each 5th).
std::optional<Instant> lockout_after_failure(int failures, Instant now);

// A browser session ends 12 hours after sign-in, or after 60 minutes without a request.
inline constexpr std::int64_t kSessionLifetimeSeconds = std::int64_t{12} * 3600;
inline constexpr std::int64_t kSessionIdleSeconds = std::int64_t{60} * 60;
// Its idle deadline is pushed forward at most once a minute (one write, not one per request).
inline constexpr std::int64_t kSessionTouchSeconds = 60;

struct SessionTimes {
  Instant expires;     // absolute end
  Instant idle_until;  // end if no request comes
};

SessionTimes new_session_times(Instant now);
bool session_alive(const SessionTimes& times, Instant now);
// The idle deadline after a request at `now`, if it should be written (see kSessionTouchSeconds);
// never beyond the absolute end.
std::optional<Instant> touched_idle_deadline(const SessionTimes& times, Instant now);

// A one-time link to set a password is valid 72 hours.
inline constexpr std::int64_t kPasswordLinkSeconds = std::int64_t{72} * 3600;

}  // namespace canopee
