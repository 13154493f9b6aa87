#pragma once
// Passwords, one-time password links and browser sessions (schema/0025). Secrets are
// stored hashed: the password as argon2id, links and sessions by SHA-256. Every
// sign-in, failure, lockout, link and password change writes its audit row.
#include <optional>
#include <string>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/parties.hpp"
#include "engine/sign_in.hpp"

namespace canopee::db {

// A user found by e-mail address (case-insensitive), with their password if one is set.
struct PasswordAccount {
  User user;
  std::optional<std::string> password_hash;
  int failed_attempts = 0;
  Instant locked_until{};
};
Result<std::optional<PasswordAccount>> find_password_account(Database& database, const std::string& email);

// One more failed attempt in a row (counted in the database, so that replicas and
// concurrent attempts add up); locks the account when engine/sign_in says so.
// Answers the count and the end of the lockout, if one started.
struct FailedAttempt {
  int failures = 0;
  std::optional<Instant> locked_until;
};
Result<FailedAttempt> record_failed_sign_in(Database& database, const Actor& actor, std::int64_t user_id, Instant now);

// A successful sign-in: failures reset, the session stored by its hash.
Status open_session(Database& database, const Actor& actor, std::int64_t user_id, const std::string& session_hash,
                    const SessionTimes& times);

// The user of a session that has not ended (alive or not: the caller decides with
// engine/sign_in), active or not.
struct StoredSession {
  User user;
  SessionTimes times;
};
Result<std::optional<StoredSession>> find_session(Database& database, const std::string& session_hash);
Status touch_session(Database& database, const std::string& session_hash, Instant idle_until);
Status end_session(Database& database, const Actor& actor, const std::string& session_hash);

// Issues a one-time link for the user (ending their earlier unused links).
Status issue_password_link(Database& database, const Actor& actor, std::int64_t user_id, const std::string& link_hash,
                           Instant expires);
// The user a link was issued to, if the link is unused, not ended and not expired at `now`.
enum class LinkState { usable, unknown, used, expired };
struct LinkLookup {
  LinkState state = LinkState::unknown;
  std::optional<User> user;
};
Result<LinkLookup> find_password_link(Database& database, const std::string& link_hash, Instant now);
// Sets the password through the link (once: a second use in a race finds it used),
// clears failures and lockout, and ends every session of the user.
Status set_password_by_link(Database& database, const Actor& actor, const std::string& link_hash,
                            const std::string& password_hash, Instant now);

}  // namespace canopee::db
