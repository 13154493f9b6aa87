-- Sign-in through a member's identity provider with OpenID Connect (issue 20 item 9,
-- second half; usecases/oidc.hpp). Nothing here holds a secret in clear that would
-- open a session by itself: the flow's state by its SHA-256, the PKCE verifier and
-- nonce only until the flow ends (ten minutes at most, used once).
-- Instants compared by the server are microseconds since the epoch (BIGINT).

-- A sign-in started at GET /v1/oidc/{provider}/start, finished (once) at the
-- callback on any replica. `browser_hash` binds it to the browser that started it
-- (a cookie set at the start), so that a callback address sent to someone else
-- signs no one in.
CREATE TABLE oidc_flows (
  id              {{id}},
  state_hash      TEXT NOT NULL UNIQUE CHECK (length(state_hash) = 64),
  browser_hash    TEXT NOT NULL CHECK (length(browser_hash) = 64),
  provider        TEXT NOT NULL,
  nonce           TEXT NOT NULL,
  code_verifier   TEXT NOT NULL,
  expires_us      BIGINT NOT NULL,
  used            INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
  created_at      {{timestamp}} NOT NULL
);

-- A person known by a provider (issuer, subject), and the user an administrator
-- mapped them to. An identity seen for the first time is `pending` (refused at
-- sign-in, listed for the administrators with its e-mail); `mapped` signs in as
-- `user_id`; `refused` stays refused.
CREATE TABLE oidc_identities (
  id              {{id}},
  issuer          TEXT NOT NULL,
  subject         TEXT NOT NULL,
  provider        TEXT NOT NULL,
  email           TEXT NOT NULL DEFAULT '',
  name            TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'mapped', 'refused')),
  user_id         BIGINT REFERENCES users (id),
  first_seen_at   {{timestamp}} NOT NULL,
  last_seen_at    {{timestamp}} NOT NULL,
  UNIQUE (issuer, subject),
  CHECK ((status = 'mapped') = (user_id IS NOT NULL))
);
