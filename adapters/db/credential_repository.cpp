#include "adapters/db/credential_repository.hpp"

#include "adapters/clock.hpp"
#include "adapters/db/user_row.hpp"

namespace canopee::db {
namespace {

constexpr const char* kFindAccount =
    "SELECT u.id, u.email, u.name, u.role, u.member_id, u.active, u.version, p.password_hash, "
    "COALESCE(p.failed_attempts, 0), COALESCE(p.locked_until_us, 0) "
    "FROM users u LEFT JOIN user_passwords p ON p.user_id = u.id WHERE lower(u.email) = lower(:email)";
constexpr const char* kCountFailure =
    "UPDATE user_passwords SET failed_attempts = failed_attempts + 1 WHERE user_id = :id";
constexpr const char* kReadFailures = "SELECT failed_attempts FROM user_passwords WHERE user_id = :id";
constexpr const char* kLock = "UPDATE user_passwords SET locked_until_us = :until WHERE user_id = :id";
constexpr const char* kClearFailures =
    "UPDATE user_passwords SET failed_attempts = 0, locked_until_us = 0 WHERE user_id = :id";
constexpr const char* kInsertSession =
    "INSERT INTO web_sessions (token_hash, user_id, expires_us, idle_until_us, created_at) "
    "VALUES (:hash, :user, :expires, :idle, :at)";
constexpr const char* kFindSession =
    "SELECT u.id, u.email, u.name, u.role, u.member_id, u.active, u.version, s.expires_us, s.idle_until_us "
    "FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :hash AND s.ended = 0";
constexpr const char* kTouchSession = "UPDATE web_sessions SET idle_until_us = :idle WHERE token_hash = :hash";
constexpr const char* kSessionOwner = "SELECT user_id FROM web_sessions WHERE token_hash = :hash AND ended = 0";
constexpr const char* kEndSession = "UPDATE web_sessions SET ended = 1 WHERE token_hash = :hash";
constexpr const char* kEndUserSessions = "UPDATE web_sessions SET ended = 1 WHERE user_id = :id AND ended = 0";
constexpr const char* kUserExists = "SELECT count(*) FROM users WHERE id = :id";
constexpr const char* kEndUserLinks =
    "UPDATE password_links SET ended = 1 WHERE user_id = :id AND ended = 0 AND used_at IS NULL";
constexpr const char* kInsertLink =
    "INSERT INTO password_links (user_id, token_hash, issued_by, expires_us, created_at) "
    "VALUES (:user, :hash, :by, :expires, :at)";
constexpr const char* kFindLink =
    "SELECT u.id, u.email, u.name, u.role, u.member_id, u.active, u.version, l.expires_us, l.ended, "
    "CASE WHEN l.used_at IS NULL THEN 0 ELSE 1 END "
    "FROM password_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = :hash";
constexpr const char* kUseLink =
    "UPDATE password_links SET used_at = :at WHERE token_hash = :hash AND used_at IS NULL AND ended = 0 "
    "AND expires_us > :now";
constexpr const char* kLinkOwner = "SELECT user_id FROM password_links WHERE token_hash = :hash";
constexpr const char* kUpsertPassword =
    "INSERT INTO user_passwords (user_id, password_hash, failed_attempts, locked_until_us, set_at) "
    "VALUES (:id, :hash, 0, 0, :at) ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, "
    "failed_attempts = 0, locked_until_us = 0, set_at = excluded.set_at";

Actor acting_as(const Actor& actor, std::int64_t user_id) {
  Actor out = actor;
  if (!out.user_id) out.user_id = user_id;
  return out;
}

}  // namespace

Result<std::optional<PasswordAccount>> find_password_account(Database& database, const std::string& email) {
  return with_connection<std::optional<PasswordAccount>>(
      database, [&](soci::session& sql) -> Result<std::optional<PasswordAccount>> {
        UserRow u;
        std::string hash;
        soci::indicator hash_ind = soci::i_null;
        int failures = 0;
        long long locked = 0;
        soci::statement st = single_trip(sql, kFindAccount);
        u.bind(st);
        st.exchange(soci::into(hash, hash_ind));
        st.exchange(soci::into(failures));
        st.exchange(soci::into(locked));
        st.exchange(soci::use(email));
        st.define_and_bind();
        st.execute();
        if (!st.fetch()) return std::optional<PasswordAccount>{};
        PasswordAccount account{u.to_user(), std::nullopt, failures, Instant{locked}};
        if (hash_ind == soci::i_ok) account.password_hash = hash;
        return std::optional<PasswordAccount>{std::move(account)};
      });
}

Result<FailedAttempt> record_failed_sign_in(Database& database, const Actor& actor, std::int64_t user_id, Instant now) {
  return in_transaction<FailedAttempt>(database, [&](soci::session& sql) -> Result<FailedAttempt> {
    long long id = user_id;
    sql << kCountFailure, soci::use(id);
    FailedAttempt attempt;
    soci::indicator ind = soci::i_null;
    sql << kReadFailures, soci::into(attempt.failures, ind), soci::use(id);
    if (ind != soci::i_ok) return attempt;  // no password: nothing to count
    const auto who = acting_as(actor, user_id);
    write_audit(sql, who, "user", user_id, "sign_in_failed", "",
                "{\"failed_attempts\":" + std::to_string(attempt.failures) + "}");
    attempt.locked_until = lockout_after_failure(attempt.failures, now);
    if (attempt.locked_until) {
      long long until = attempt.locked_until->micros;
      sql << kLock, soci::use(until), soci::use(id);
      write_audit(sql, who, "user", user_id, "locked", "",
                  "{\"locked_minutes\":" + std::to_string(kLockoutSeconds / 60) + "}");
    }
    return attempt;
  });
}

Status open_session(Database& database, const Actor& actor, std::int64_t user_id, const std::string& session_hash,
                    const SessionTimes& times) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long id = user_id;
    long long expires = times.expires.micros;
    long long idle = times.idle_until.micros;
    const std::string at = utc_timestamp_now();
    sql << kClearFailures, soci::use(id);
    sql << kInsertSession, soci::use(session_hash), soci::use(id), soci::use(expires), soci::use(idle), soci::use(at);
    write_audit(sql, acting_as(actor, user_id), "user", user_id, "sign_in", "", "");
    return Done{};
  });
}

Result<std::optional<StoredSession>> find_session(Database& database, const std::string& session_hash) {
  return with_connection<std::optional<StoredSession>>(
      database, [&](soci::session& sql) -> Result<std::optional<StoredSession>> {
        UserRow u;
        long long expires = 0;
        long long idle = 0;
        soci::statement st = single_trip(sql, kFindSession);
        u.bind(st);
        st.exchange(soci::into(expires));
        st.exchange(soci::into(idle));
        st.exchange(soci::use(session_hash));
        st.define_and_bind();
        st.execute();
        if (!st.fetch()) return std::optional<StoredSession>{};
        return std::optional<StoredSession>{StoredSession{u.to_user(), {Instant{expires}, Instant{idle}}}};
      });
}

Status touch_session(Database& database, const std::string& session_hash, Instant idle_until) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long idle = idle_until.micros;
    sql << kTouchSession, soci::use(idle), soci::use(session_hash);
    return Done{};
  });
}

Status end_session(Database& database, const Actor& actor, const std::string& session_hash) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long owner = 0;
    soci::indicator ind = soci::i_null;
    sql << kSessionOwner, soci::into(owner, ind), soci::use(session_hash);
    if (ind != soci::i_ok) return Done{};  // already ended: signing out twice is no error
    sql << kEndSession, soci::use(session_hash);
    write_audit(sql, acting_as(actor, owner), "user", owner, "sign_out", "", "");
    return Done{};
  });
}

Status issue_password_link(Database& database, const Actor& actor, std::int64_t user_id, const std::string& link_hash,
                           Instant expires) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long id = user_id;
    long long count = 0;
    sql << kUserExists, soci::into(count), soci::use(id);
    if (count == 0) return Error::of(ErrorCode::not_found, "cet utilisateur n’existe pas", "user.not_found");
    sql << kEndUserLinks, soci::use(id);
    long long by = actor.user_id.value_or(0);
    soci::indicator by_ind = actor.user_id ? soci::i_ok : soci::i_null;
    long long until = expires.micros;
    const std::string at = utc_timestamp_now();
    sql << kInsertLink, soci::use(id), soci::use(link_hash), soci::use(by, by_ind), soci::use(until), soci::use(at);
    write_audit(sql, actor, "user", user_id, "password_link", "", "");
    return Done{};
  });
}

Result<LinkLookup> find_password_link(Database& database, const std::string& link_hash, Instant now) {
  return with_connection<LinkLookup>(database, [&](soci::session& sql) -> Result<LinkLookup> {
    UserRow u;
    long long expires = 0;
    int ended = 0;
    int used = 0;
    soci::statement st = single_trip(sql, kFindLink);
    u.bind(st);
    st.exchange(soci::into(expires));
    st.exchange(soci::into(ended));
    st.exchange(soci::into(used));
    st.exchange(soci::use(link_hash));
    st.define_and_bind();
    st.execute();
    LinkLookup lookup;
    if (!st.fetch()) return lookup;
    lookup.user = u.to_user();
    if (used != 0 || ended != 0) {
      lookup.state = LinkState::used;
    } else if (Instant{expires} <= now) {
      lookup.state = LinkState::expired;
    } else {
      lookup.state = LinkState::usable;
    }
    return lookup;
  });
}

Status set_password_by_link(Database& database, const Actor& actor, const std::string& link_hash,
                            const std::string& password_hash, Instant now) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    const std::string at = utc_timestamp_now();
    long long now_us = now.micros;
    soci::statement use = (sql.prepare << kUseLink, soci::use(at), soci::use(link_hash), soci::use(now_us));
    use.execute(true);
    if (use.get_affected_rows() == 0) {
      return Error::of(ErrorCode::conflict, "ce lien a déjà servi, a expiré ou a été remplacé", "password_link.used");
    }
    long long owner = 0;
    sql << kLinkOwner, soci::into(owner), soci::use(link_hash);
    sql << kUpsertPassword, soci::use(owner), soci::use(password_hash), soci::use(at);
    sql << kEndUserSessions, soci::use(owner);
    write_audit(sql, acting_as(actor, owner), "user", owner, "password_set", "", "");
    return Done{};
  });
}

}  // namespace canopee::db
