#pragma once
// People signing in with their e-mail address and password, and setting a password
// through a one-time link an administrator issued (engine/sign_in for the rules,
// adapters/security/passwords for argon2id). The argon2id work (a tenth of a second,
// 64 MiB) runs outside any transaction.
#include <optional>
#include <string>

#include "adapters/db/credential_repository.hpp"
#include "adapters/db/database.hpp"
#include "engine/sign_in.hpp"

namespace canopee::usecases {

struct SignInResult {
  enum class Outcome {
    signed_in,  // `session_token` and `times` are set
    refused,    // unknown address, no password yet, or a wrong password: one answer for all
    locked,     // too many failures: `locked_until`
    revoked,    // the user's access was revoked (right password)
  };
  Outcome outcome = Outcome::refused;
  std::optional<User> user;
  std::string session_token;  // the cookie's value: shown once, stored hashed
  SessionTimes times{};
  Instant locked_until{};
};

// Unavailable when the database is; never an error for a bad address or password.
Result<SignInResult> sign_in(db::Database& database, const db::Actor& actor, const std::string& email,
                             const std::string& password, Instant now);

// A one-time link for the user (the token is returned once; its hash is stored).
struct PasswordLink {
  std::string token;
  Instant expires{};
};
Result<PasswordLink> issue_password_link(db::Database& database, const db::Actor& actor, std::int64_t user_id,
                                         Instant now);

// Sets the password of the link's user: not_found for an unknown link, conflict
// (password_link.used / password_link.expired) for a link that served, was replaced or
// expired, invalid (password.*) for a password the rules refuse — then nothing changes.
Result<User> set_password_with_link(db::Database& database, const db::Actor& actor, const std::string& link_token,
                                    const std::string& password, Instant now);

// The CSRF token that goes with a session: derived from the cookie's value, so that
// nothing more is stored and no page can compute it without the cookie.
std::string csrf_token_for(const std::string& session_token);

}  // namespace canopee::usecases
