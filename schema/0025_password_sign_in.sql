-- Password sign-in for people (issue 20 item 9; engine/sign_in.hpp). API tokens stay
-- for machine clients. Nothing here holds a secret in clear: the password as an
-- argon2id string (libsodium's crypto_pwhash_str: algorithm, cost and salt inside),
-- one-time links and browser sessions by the SHA-256 of their random value.
-- Instants the server compares on every request are microseconds since the epoch
-- (BIGINT), the same on both backends.

-- One password per user, with the count of failed attempts since the last success
-- and the end of the lockout they caused.
CREATE TABLE user_passwords (
  user_id           BIGINT PRIMARY KEY REFERENCES users (id),
  password_hash     TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  failed_attempts   INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until_us   BIGINT NOT NULL DEFAULT 0,
  set_at            {{timestamp}} NOT NULL
);

-- A link an administrator issues for a user to set (or reset) a password: shown
-- once, valid until `expires_us`, used at most once; issuing a new one ends the
-- earlier ones of the same user.
CREATE TABLE password_links (
  id            {{id}},
  user_id       BIGINT NOT NULL REFERENCES users (id),
  token_hash    TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  issued_by     BIGINT REFERENCES users (id),
  expires_us    BIGINT NOT NULL,
  used_at       {{timestamp}},
  ended         INTEGER NOT NULL DEFAULT 0 CHECK (ended IN (0, 1)),
  created_at    {{timestamp}} NOT NULL
);
CREATE INDEX password_links_user ON password_links (user_id);

-- A browser session: the cookie's value hashed. It ends at `expires_us` (absolute),
-- after `idle_until_us` without a request, or when signed out, revoked, or when the
-- password changes.
CREATE TABLE web_sessions (
  id              {{id}},
  token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  user_id         BIGINT NOT NULL REFERENCES users (id),
  expires_us      BIGINT NOT NULL,
  idle_until_us   BIGINT NOT NULL,
  ended           INTEGER NOT NULL DEFAULT 0 CHECK (ended IN (0, 1)),
  created_at      {{timestamp}} NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
