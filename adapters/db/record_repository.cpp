#include "adapters/db/record_repository.hpp"

#include "adapters/clock.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kFindKey =
    "SELECT method, path, request_hash, status, response FROM idempotency_keys WHERE user_id = :user AND idem_key = :key";
constexpr std::string_view kStoreKey =
    "INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, status, response, created_at) "
    "VALUES (:user, :key, :method, :path, :hash, :status, :response, :now)";

}  // namespace

Result<std::optional<StoredResponse>> find_idempotent_response(Database& database, std::int64_t user_id,
                                                               const std::string& key) {
  using Out = std::optional<StoredResponse>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    long long user = user_id;
    StoredResponse r;
    sql << kFindKey, soci::use(user), soci::use(key), soci::into(r.method), soci::into(r.path),
        soci::into(r.request_hash), soci::into(r.status), soci::into(r.body);
    if (!sql.got_data()) return Out{};
    return Out{r};
  });
}

Status store_idempotent_response(Database& database, std::int64_t user_id, const std::string& key,
                                 const StoredResponse& response) {
  return in_one_statement<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long user = user_id;
    int status = response.status;
    const std::string now = utc_timestamp_now();
    sql << kStoreKey, soci::use(user), soci::use(key), soci::use(response.method), soci::use(response.path),
        soci::use(response.request_hash), soci::use(status), soci::use(response.body), soci::use(now);
    return Done{};
  });
}

Result<PageOf<AuditEntry>> list_audit(Database& database, const std::string& entity,
                                      std::optional<std::int64_t> entity_id, const Page& page) {
  return with_connection<PageOf<AuditEntry>>(database, [&](soci::session& sql) -> Result<PageOf<AuditEntry>> {
    const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
    std::string query =
        "SELECT id, CAST(at AS TEXT), user_id, member_id, entity, entity_id, action, CAST(before_json AS TEXT), "
        "CAST(after_json AS TEXT), request_id FROM audit_log WHERE id < :before";
    if (!entity.empty()) query += " AND entity = :entity";
    if (entity_id) query += " AND entity_id = :entity_id";
    query += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    long long before = page.before_id.value_or(INT64_MAX), wanted = entity_id.value_or(0);
    long long id = 0, user = 0, member = 0, target = 0;
    std::string at, e, action, before_json, after_json, request;
    soci::indicator user_ind, member_ind, before_ind, after_ind, request_ind;
    soci::statement st(sql);
    st.alloc();
    st.prepare(query);
    st.exchange(soci::into(id));
    st.exchange(soci::into(at));
    st.exchange(soci::into(user, user_ind));
    st.exchange(soci::into(member, member_ind));
    st.exchange(soci::into(e));
    st.exchange(soci::into(target));
    st.exchange(soci::into(action));
    st.exchange(soci::into(before_json, before_ind));
    st.exchange(soci::into(after_json, after_ind));
    st.exchange(soci::into(request, request_ind));
    st.exchange(soci::use(before, "before"));
    if (!entity.empty()) st.exchange(soci::use(entity, "entity"));
    if (entity_id) st.exchange(soci::use(wanted, "entity_id"));
    st.define_and_bind();
    st.execute();
    PageOf<AuditEntry> result;
    while (st.fetch()) {
      AuditEntry a;
      a.id = id;
      a.at = normalize_timestamp(at);
      if (user_ind == soci::i_ok) a.user_id = user;
      if (member_ind == soci::i_ok) a.member_id = member;
      a.entity = e;
      a.entity_id = target;
      a.action = action;
      if (before_ind == soci::i_ok) a.before_json = before_json;
      if (after_ind == soci::i_ok) a.after_json = after_json;
      if (request_ind == soci::i_ok) a.request_id = request;
      result.items.push_back(std::move(a));
    }
    if (result.items.size() > limit) {
      result.items.resize(limit);
      result.next_before_id = result.items.back().id;
    }
    return result;
  });
}

}  // namespace canopee::db

namespace canopee::db {

Status reserve_idempotency_key(Database& database, std::int64_t user_id, const std::string& key,
                               const std::string& method, const std::string& path, const std::string& request_hash) {
  return store_idempotent_response(database, user_id, key, {method, path, request_hash, 0, ""});
}

Status complete_idempotency_key(Database& database, std::int64_t user_id, const std::string& key, int status,
                                const std::string& body) {
  return in_one_statement<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long user = user_id;
    sql << "UPDATE idempotency_keys SET status = :status, response = :body WHERE user_id = :user AND idem_key = :key",
        soci::use(status), soci::use(body), soci::use(user), soci::use(key);
    return Done{};
  });
}

Status release_idempotency_key(Database& database, std::int64_t user_id, const std::string& key) {
  return in_one_statement<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long user = user_id;
    sql << "DELETE FROM idempotency_keys WHERE user_id = :user AND idem_key = :key AND status = 0", soci::use(user),
        soci::use(key);
    return Done{};
  });
}

}  // namespace canopee::db
