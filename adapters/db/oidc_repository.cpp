#include "adapters/db/oidc_repository.hpp"

#include <boost/json.hpp>

#include "adapters/clock.hpp"

namespace canopee::db {
namespace {

constexpr const char* kInsertFlow =
    "INSERT INTO oidc_flows (state_hash, browser_hash, provider, nonce, code_verifier, expires_us, used, created_at) "
    "VALUES (:state, :browser, :provider, :nonce, :verifier, :expires, 0, :at)";
constexpr const char* kForgetFlows = "DELETE FROM oidc_flows WHERE expires_us < :before";
constexpr const char* kFindFlow =
    "SELECT browser_hash, provider, nonce, code_verifier, expires_us, used FROM oidc_flows WHERE state_hash = :state";
constexpr const char* kUseFlow = "UPDATE oidc_flows SET used = 1 WHERE state_hash = :state AND used = 0";

constexpr const char* kIdentityColumns =
    "SELECT i.id, i.issuer, i.subject, i.provider, i.email, i.name, i.status, CAST(i.first_seen_at AS TEXT), "
    "CAST(i.last_seen_at AS TEXT), u.id, u.email, u.name, u.role, u.member_id, u.active, u.version "
    "FROM oidc_identities i LEFT JOIN users u ON u.id = i.user_id ";
constexpr const char* kInsertIdentity =
    "INSERT INTO oidc_identities (issuer, subject, provider, email, name, status, first_seen_at, last_seen_at) "
    "VALUES (:issuer, :subject, :provider, :email, :name, 'pending', :at, :at2)";
constexpr const char* kRefreshIdentity =
    "UPDATE oidc_identities SET email = :email, name = :name, provider = :provider, last_seen_at = :at "
    "WHERE issuer = :issuer AND subject = :subject";
constexpr const char* kSetStatus = "UPDATE oidc_identities SET status = :status, user_id = :user WHERE id = :id";
constexpr const char* kUserActive = "SELECT active FROM users WHERE id = :id";

std::string json_text(const boost::json::object& o) { return boost::json::serialize(o); }

// The identities that `tail` (WHERE …, ORDER BY …) selects; `key` binds :status and `id`
// the id after it, each when given.
std::vector<OidcIdentity> read_identities(soci::session& sql, const std::string& tail, const std::string& key,
                                          long long id) {
  std::vector<OidcIdentity> out;
  OidcIdentity row;
  std::string status, first, last, email, name, role;
  long long user_id = 0, member_id = 0, version = 0;
  int active = 1;
  soci::indicator user_ind = soci::i_null, email_ind = soci::i_null, name_ind = soci::i_null, role_ind = soci::i_null,
                  member_ind = soci::i_null, active_ind = soci::i_null, version_ind = soci::i_null;
  long long identity_id = 0;
  soci::statement st = single_trip(sql, std::string(kIdentityColumns) + tail);
  st.exchange(soci::into(identity_id));
  st.exchange(soci::into(row.issuer));
  st.exchange(soci::into(row.subject));
  st.exchange(soci::into(row.provider));
  st.exchange(soci::into(row.email));
  st.exchange(soci::into(row.name));
  st.exchange(soci::into(status));
  st.exchange(soci::into(first));
  st.exchange(soci::into(last));
  st.exchange(soci::into(user_id, user_ind));
  st.exchange(soci::into(email, email_ind));
  st.exchange(soci::into(name, name_ind));
  st.exchange(soci::into(role, role_ind));
  st.exchange(soci::into(member_id, member_ind));
  st.exchange(soci::into(active, active_ind));
  st.exchange(soci::into(version, version_ind));
  std::string key_copy = key;
  if (!key.empty()) st.exchange(soci::use(key_copy));
  if (id != 0) st.exchange(soci::use(id));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    OidcIdentity item = row;
    item.id = identity_id;
    item.status = parse_identity_status(status).value_or(IdentityStatus::pending);
    item.first_seen_at = normalize_timestamp(first);
    item.last_seen_at = normalize_timestamp(last);
    if (user_ind == soci::i_ok) {
      User u;
      u.id = user_id;
      u.email = email;
      u.name = name;
      u.role = parse_role(role, "role").value();
      if (member_ind == soci::i_ok) u.member_id = member_id;
      u.active = active != 0;
      u.version = version;
      item.user = u;
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<OidcIdentity> one(soci::session& sql, long long id) {
  auto rows = read_identities(sql, "WHERE i.id = :id", "", id);
  if (rows.empty()) return Error::of(ErrorCode::not_found, "cette identité n’existe pas", "oidc_identity.not_found");
  return rows.front();
}

Result<OidcIdentity> set_status(Database& database, const Actor& actor, std::int64_t id, IdentityStatus status,
                                std::optional<std::int64_t> user_id, std::string_view action) {
  return in_transaction<OidcIdentity>(database, [&](soci::session& sql) -> Result<OidcIdentity> {
    long long key = id;
    auto before = one(sql, key);
    if (!before) return before;
    long long user = user_id.value_or(0);
    soci::indicator user_ind = user_id ? soci::i_ok : soci::i_null;
    if (user_id) {
      int active = 0;
      soci::indicator found = soci::i_null;
      sql << kUserActive, soci::into(active, found), soci::use(user);
      if (!sql.got_data()) return Error::of(ErrorCode::not_found, "cet utilisateur n’existe pas", "user.not_found");
      if (active == 0)
        return Error::of(ErrorCode::conflict, "l’accès de cet utilisateur a été révoqué : il ne peut pas être associé",
                         "oidc.user_revoked");
    }
    const std::string text(to_string(status));
    sql << kSetStatus, soci::use(text), soci::use(user, user_ind), soci::use(key);
    boost::json::object was{{"status", to_string(before->status)}};
    if (before->user) was["user_id"] = before->user->id;
    boost::json::object now{{"status", text},
                            {"issuer", before->issuer},
                            {"subject", before->subject},
                            {"email", before->email}};
    if (user_id) now["user_id"] = *user_id;
    write_audit(sql, actor, "oidc_identity", id, action, json_text(was), json_text(now));
    return one(sql, key);
  });
}

}  // namespace

std::string_view to_string(IdentityStatus status) {
  switch (status) {
    case IdentityStatus::pending: return "pending";
    case IdentityStatus::mapped: return "mapped";
    case IdentityStatus::refused: return "refused";
  }
  return "pending";
}

std::optional<IdentityStatus> parse_identity_status(std::string_view text) {
  if (text == "pending") return IdentityStatus::pending;
  if (text == "mapped") return IdentityStatus::mapped;
  if (text == "refused") return IdentityStatus::refused;
  return std::nullopt;
}

Status store_oidc_flow(Database& database, const OidcFlow& flow, Instant now) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long before = now.micros - 24LL * 3600 * kMicrosPerSecond;
    sql << kForgetFlows, soci::use(before);
    long long expires = flow.expires.micros;
    const std::string at = utc_timestamp_now();
    sql << kInsertFlow, soci::use(flow.state_hash), soci::use(flow.browser_hash), soci::use(flow.provider),
        soci::use(flow.nonce), soci::use(flow.code_verifier), soci::use(expires), soci::use(at);
    return Done{};
  });
}

Result<FlowTake> take_oidc_flow(Database& database, const std::string& state_hash, Instant now) {
  return in_transaction<FlowTake>(database, [&](soci::session& sql) -> Result<FlowTake> {
    FlowTake take;
    OidcFlow flow;
    long long expires = 0;
    int used = 0;
    sql << kFindFlow, soci::into(flow.browser_hash), soci::into(flow.provider), soci::into(flow.nonce),
        soci::into(flow.code_verifier), soci::into(expires), soci::into(used), soci::use(state_hash);
    if (!sql.got_data()) return take;
    flow.state_hash = state_hash;
    flow.expires = Instant{expires};
    soci::statement st = (sql.prepare << kUseFlow, soci::use(state_hash));
    st.execute(true);
    if (used != 0 || st.get_affected_rows() == 0) {
      take.state = FlowState::used;
      return take;
    }
    take.state = now.micros < expires ? FlowState::usable : FlowState::expired;
    take.flow = std::move(flow);
    return take;
  });
}

Result<OidcIdentity> record_oidc_identity(Database& database, const Actor& actor, const OidcIdentity& seen) {
  return in_transaction<OidcIdentity>(database, [&](soci::session& sql) -> Result<OidcIdentity> {
    const std::string at = utc_timestamp_now();
    soci::statement refresh = (sql.prepare << kRefreshIdentity, soci::use(seen.email), soci::use(seen.name),
                               soci::use(seen.provider), soci::use(at), soci::use(seen.issuer),
                               soci::use(seen.subject));
    refresh.execute(true);
    if (refresh.get_affected_rows() == 0) {
      sql << kInsertIdentity, soci::use(seen.issuer), soci::use(seen.subject), soci::use(seen.provider),
          soci::use(seen.email), soci::use(seen.name), soci::use(at), soci::use(at);
    }
    long long id = 0;
    sql << "SELECT id FROM oidc_identities WHERE issuer = :issuer AND subject = :subject", soci::into(id),
        soci::use(seen.issuer), soci::use(seen.subject);
    if (refresh.get_affected_rows() == 0) {
      write_audit(sql, actor, "oidc_identity", id, "seen", "",
                  json_text({{"issuer", seen.issuer}, {"subject", seen.subject}, {"email", seen.email}}));
    }
    return one(sql, id);
  });
}

Result<OidcIdentity> get_oidc_identity(Database& database, std::int64_t id) {
  return with_connection<OidcIdentity>(database, [&](soci::session& sql) { return one(sql, id); });
}

Result<PageOf<OidcIdentity>> list_oidc_identities(Database& database, std::optional<IdentityStatus> status,
                                                  const Page& page) {
  return with_connection<PageOf<OidcIdentity>>(database, [&](soci::session& sql) -> Result<PageOf<OidcIdentity>> {
    const std::string tail = (status ? "WHERE i.status = :status AND " : "WHERE ") + page_tail("i.id", page.limit);
    return to_page(read_identities(sql, tail, status ? std::string(to_string(*status)) : "", before_key(page)),
                   clamp_limit(page.limit));
  });
}

Result<OidcIdentity> map_oidc_identity(Database& database, const Actor& actor, std::int64_t id, std::int64_t user_id) {
  return set_status(database, actor, id, IdentityStatus::mapped, user_id, "mapped");
}

Result<OidcIdentity> refuse_oidc_identity(Database& database, const Actor& actor, std::int64_t id) {
  return set_status(database, actor, id, IdentityStatus::refused, std::nullopt, "refused");
}

Result<OidcIdentity> unmap_oidc_identity(Database& database, const Actor& actor, std::int64_t id) {
  return set_status(database, actor, id, IdentityStatus::pending, std::nullopt, "unmapped");
}

}  // namespace canopee::db
