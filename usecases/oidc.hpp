#pragma once
// Sign-in through a member's identity provider with OpenID Connect (issue 20 item 9):
// the authorization code flow with PKCE (S256), a state and a nonce kept in the
// database (adapters/db/oidc_repository), the ID token checked (issuer, audience,
// expiry, issue time, nonce, RS256 signature against the provider's keys), then the
// identity (issuer, subject) looked up: mapped by an administrator, it opens the same
// browser session as a password (usecases/sign_in); otherwise it is recorded as
// pending for an administrator and refused.
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/oidc_repository.hpp"
#include "engine/sign_in.hpp"

namespace canopee::usecases {

struct OidcProvider {
  std::string id;      // in the addresses: /v1/oidc/{id}/start (a–z, 0–9, « - »)
  std::string issuer;  // discovery at {issuer}/.well-known/openid-configuration
  std::string client_id;
  std::string client_secret;              // from the environment, never from a file of the repository
  std::string redirect_uri;               // {public URL}/v1/oidc/{id}/callback unless set
  std::string display_name;               // « Se connecter avec {display_name} »
  std::optional<std::int64_t> member_id;  // the member whose provider it is: its users only
  bool secret_in_body = false;            // client_secret_post rather than client_secret_basic
};

// The providers named in CANOPEE_OIDC_PROVIDERS ("id1,id2"), each read from
// CANOPEE_OIDC_<ID>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URI, _NAME,
// _MEMBER_ID, _AUTH_METHOD (docs/operations.md). invalid when one is incomplete.
Result<std::vector<OidcProvider>> oidc_providers_from_environment(const std::string& public_base_url);

// A flow ten minutes long, at most.
inline constexpr std::int64_t kOidcFlowSeconds = std::int64_t{10} * 60;
// Clock skew allowed between the provider and us on the ID token's times.
inline constexpr std::int64_t kOidcClockSkewSeconds = 120;

struct OidcStart {
  std::string location;       // the provider's authorization endpoint with the request
  std::string browser_token;  // the cookie binding the flow to this browser
};
// Stores the flow and answers where to send the browser; unavailable
// (oidc.provider_unavailable) when discovery fails.
Result<OidcStart> start_oidc(db::Database& database, const OidcProvider& provider, Instant now);

struct OidcFinish {
  enum class Outcome { signed_in, unmapped, refused, revoked };
  Outcome outcome = Outcome::unmapped;
  std::optional<User> user;
  std::string session_token;
  SessionTimes times{};
};
// Finishes a flow at the callback. Errors carry a stable rule: oidc.state_unknown,
// oidc.state_used, oidc.state_expired, oidc.browser_mismatch, oidc.provider_unknown,
// oidc.provider_unavailable, oidc.token_refused, oidc.id_token_invalid,
// oidc.member_mismatch. `now` is the server's clock (the flow's expiry); the ID
// token's times are checked against the wall clock, the provider's.
Result<OidcFinish> finish_oidc(db::Database& database, const db::Actor& actor,
                               const std::vector<OidcProvider>& providers, const std::string& provider_id,
                               const std::string& code, const std::string& state, const std::string& browser_token,
                               Instant now);

const OidcProvider* find_provider(const std::vector<OidcProvider>& providers, std::string_view id);

}  // namespace canopee::usecases
