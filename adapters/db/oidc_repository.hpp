#pragma once
// OpenID Connect sign-in's storage (schema/0027): the flows under way, kept in the
// database so that any replica can finish a flow another one started, and the
// identities providers vouched for with the user an administrator mapped them to.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/parties.hpp"

namespace canopee::db {

struct OidcFlow {
  std::string state_hash;    // SHA-256 of the state sent to the provider
  std::string browser_hash;  // SHA-256 of the cookie set in the browser that started it
  std::string provider;
  std::string nonce;
  std::string code_verifier;
  Instant expires{};
};
// Stores a new flow (and forgets the flows that ended more than a day ago).
Status store_oidc_flow(Database& database, const OidcFlow& flow, Instant now);

// The flow of a state, taken at most once: the first call marks it used whatever
// follows, a second finds it `used`.
enum class FlowState { usable, unknown, used, expired };
struct FlowTake {
  FlowState state = FlowState::unknown;
  std::optional<OidcFlow> flow;
};
Result<FlowTake> take_oidc_flow(Database& database, const std::string& state_hash, Instant now);

enum class IdentityStatus { pending, mapped, refused };
std::string_view to_string(IdentityStatus status);
std::optional<IdentityStatus> parse_identity_status(std::string_view text);

struct OidcIdentity {
  std::int64_t id = 0;
  std::string issuer, subject, provider, email, name;
  IdentityStatus status = IdentityStatus::pending;
  std::optional<User> user;  // when mapped
  std::string first_seen_at, last_seen_at;
};

// The identity (issuer, subject) seen at a sign-in: recorded as pending the first
// time (with an audit row), its e-mail and name refreshed otherwise.
Result<OidcIdentity> record_oidc_identity(Database& database, const Actor& actor, const OidcIdentity& seen);

// One identity (not_found oidc_identity.not_found).
Result<OidcIdentity> get_oidc_identity(Database& database, std::int64_t id);
// Identities by page, newest first (first seen); only those of `status` when given.
Result<PageOf<OidcIdentity>> list_oidc_identities(Database& database, std::optional<IdentityStatus> status,
                                                  const Page& page);

// An administrator's decisions, each with its audit row: map to a user (not_found for
// an unknown identity or user, conflict oidc.user_revoked for a revoked user), refuse,
// or remove the mapping (back to pending).
Result<OidcIdentity> map_oidc_identity(Database& database, const Actor& actor, std::int64_t id, std::int64_t user_id);
Result<OidcIdentity> refuse_oidc_identity(Database& database, const Actor& actor, std::int64_t id);
Result<OidcIdentity> unmap_oidc_identity(Database& database, const Actor& actor, std::int64_t id);

}  // namespace canopee::db
