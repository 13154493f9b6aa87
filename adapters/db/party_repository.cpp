#include "adapters/db/party_repository.hpp"

#include <boost/json.hpp>

#include "adapters/clock.hpp"
#include "adapters/db/user_row.hpp"
#include "adapters/formats/json_mapping.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kMemberColumns = "id, code, name, siren, siret, department, active, version";
constexpr std::string_view kInsertMember =
    "INSERT INTO members (code, name, siren, siret, department, active, version, created_at, updated_at) "
    "VALUES (:code, :name, :siren, :siret, :department, :active, 1, :now, :now2) RETURNING id";
constexpr std::string_view kUpdateMember =
    "UPDATE members SET code = :code, name = :name, siren = :siren, siret = :siret, department = :department, "
    "active = :active, version = version + 1, updated_at = :now WHERE id = :id AND version = :version";

constexpr std::string_view kMemberActive = "SELECT code, active FROM members WHERE id = :id";
constexpr std::string_view kUserColumns = "id, email, name, role, member_id, active, version";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (email, name, role, member_id, token_hash, active, version, created_at) "
    "VALUES (:email, :name, :role, :member_id, :token_hash, :active, 1, :now) RETURNING id";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET name = :name, role = :role, member_id = :member_id, active = :active, version = version + 1 "
    "WHERE id = :id AND version = :version";

constexpr std::string_view kSupplierColumns = "id, name, siret, department, sme, version";
constexpr std::string_view kInsertSupplier =
    "INSERT INTO suppliers (name, siret, department, sme, version, created_at) "
    "VALUES (:name, :siret, :department, :sme, 1, :now) RETURNING id";
constexpr std::string_view kUpdateSupplier =
    "UPDATE suppliers SET name = :name, siret = :siret, department = :department, sme = :sme, "
    "version = version + 1 WHERE id = :id AND version = :version";

std::string select_from(std::string_view columns, std::string_view table, std::string_view where) {
  return "SELECT " + std::string(columns) + " FROM " + std::string(table) + " " + std::string(where);
}

// ---- rows ----
struct MemberRow {
  long long id = 0;
  std::string code, name, siren, siret, department;
  soci::indicator siret_ind = soci::i_null;
  int active = 1;
  long long version = 1;
  Member to_member() const {
    Member m;
    m.id = id;
    m.code = code;
    m.name = name;
    m.siren = siren;
    if (siret_ind == soci::i_ok) m.siret = siret;
    m.department = parse_department(department, "department").value();
    m.active = active != 0;
    m.version = version;
    return m;
  }
};

struct SupplierRow {
  long long id = 0;
  std::string name, siret, department;
  int sme = 0;
  long long version = 1;
  Supplier to_supplier() const {
    Supplier s;
    s.id = id;
    s.name = name;
    s.siret = siret;
    s.department = parse_department(department, "department").value();
    s.sme = sme != 0;
    s.version = version;
    return s;
  }
};

template <class Key>
std::vector<Member> fetch_members(soci::session& sql, const std::string& query, const Key& key) {
  MemberRow r;
  std::vector<Member> out;
  soci::statement st = (sql.prepare << query, soci::into(r.id), soci::into(r.code), soci::into(r.name),
                        soci::into(r.siren), soci::into(r.siret, r.siret_ind), soci::into(r.department),
                        soci::into(r.active), soci::into(r.version), soci::use(key));
  st.execute();
  while (st.fetch()) out.push_back(r.to_member());
  return out;
}

template <class Key>
std::vector<User> fetch_users(soci::session& sql, const std::string& query, const Key& key) {
  UserRow r;
  std::vector<User> out;
  soci::statement st = single_trip(sql, query);
  r.bind(st);
  st.exchange(soci::use(key));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) out.push_back(r.to_user());
  return out;
}

template <class Key>
std::vector<Supplier> fetch_suppliers(soci::session& sql, const std::string& query, const Key& key) {
  SupplierRow r;
  std::vector<Supplier> out;
  soci::statement st = (sql.prepare << query, soci::into(r.id), soci::into(r.name), soci::into(r.siret),
                        soci::into(r.department), soci::into(r.sme), soci::into(r.version), soci::use(key));
  st.execute();
  while (st.fetch()) out.push_back(r.to_supplier());
  return out;
}

std::string page_clause(std::size_t limit) { return "WHERE " + page_tail("id", limit); }

// After an UPDATE … WHERE id = :id AND version = :version touched no row.
Error missing_or_stale(soci::session& sql, std::string_view table, long long id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM " + std::string(table) + " WHERE id = :id", soci::use(id), soci::into(count);
  const std::string singular(table.substr(0, table.size() - 1));  // "member"
  if (count == 0) {
    const std::string_view message = singular == "member"     ? "ce membre n’existe pas"
                                     : singular == "user"     ? "cet utilisateur n’existe pas"
                                     : singular == "supplier" ? "ce fournisseur n’existe pas"
                                                              : "cet enregistrement n’existe pas";
    return Error::of(ErrorCode::not_found, std::string(message), singular + ".not_found");
  }
  return Error::of(ErrorCode::stale, "l’enregistrement a changé depuis sa lecture : le relire et réessayer",
                   singular + ".stale");
}

}  // namespace

// ---------------- members ----------------

Result<Member> create_member(Database& database, const Actor& actor, const Member& member) {
  if (auto status = validate_member(member); !status) return std::move(status).error();
  return in_transaction<Member>(database, [&](soci::session& sql) -> Result<Member> {
    const std::string now = utc_timestamp_now();
    const std::string department = to_string(member.department);
    int active = member.active ? 1 : 0;
    long long id = 0;
    std::string siret = member.siret.value_or("");
    soci::indicator siret_ind = member.siret ? soci::i_ok : soci::i_null;
    sql << kInsertMember, soci::use(member.code), soci::use(member.name), soci::use(member.siren),
        soci::use(siret, siret_ind), soci::use(department), soci::use(active), soci::use(now), soci::use(now),
        soci::into(id);
    Member created = member;
    created.id = id;
    created.version = 1;
    write_audit(sql, actor, "member", id, "create", "", formats::to_json_text(created));
    return created;
  });
}

std::optional<Member> load_member(soci::session& sql, std::int64_t id) {
  auto rows = fetch_members(sql, select_from(kMemberColumns, "members", "WHERE id = :id"), static_cast<long long>(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<Supplier> load_supplier(soci::session& sql, std::int64_t id) {
  auto rows = fetch_suppliers(sql, select_from(kSupplierColumns, "suppliers", "WHERE id = :id"),
                              static_cast<long long>(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

Result<Member> get_member(Database& database, std::int64_t id) {
  return with_connection<Member>(database, [&](soci::session& sql) -> Result<Member> {
    auto rows = fetch_members(sql, select_from(kMemberColumns, "members", "WHERE id = :id"),
                              static_cast<long long>(id));
    if (rows.empty()) return Error::of(ErrorCode::not_found, "ce membre n’existe pas", "member.not_found");
    return rows.front();
  });
}

Result<Member> get_member_by_code(Database& database, const std::string& code) {
  return with_connection<Member>(database, [&](soci::session& sql) -> Result<Member> {
    auto rows = fetch_members(sql, select_from(kMemberColumns, "members", "WHERE code = :code"), code);
    if (rows.empty()) return Error::of(ErrorCode::not_found, "aucun membre n’a le code " + code, "member.not_found");
    return rows.front();
  });
}

Result<PageOf<Member>> list_members(Database& database, const Page& page) {
  return with_connection<PageOf<Member>>(database, [&](soci::session& sql) -> Result<PageOf<Member>> {
    return to_page(fetch_members(sql, select_from(kMemberColumns, "members", page_clause(page.limit)),
                                 before_key(page)),
                   clamp_limit(page.limit));
  });
}

Result<Member> update_member(Database& database, const Actor& actor, const Member& member) {
  if (auto status = validate_member(member); !status) return std::move(status).error();
  return in_transaction<Member>(database, [&](soci::session& sql) -> Result<Member> {
    auto before = fetch_members(sql, select_from(kMemberColumns, "members", "WHERE id = :id"),
                                static_cast<long long>(member.id));
    const std::string now = utc_timestamp_now();
    const std::string department = to_string(member.department);
    int active = member.active ? 1 : 0;
    long long id = member.id;
    long long version = member.version;
    std::string siret = member.siret.value_or("");
    soci::indicator siret_ind = member.siret ? soci::i_ok : soci::i_null;
    soci::statement st = (sql.prepare << kUpdateMember, soci::use(member.code), soci::use(member.name),
                          soci::use(member.siren), soci::use(siret, siret_ind), soci::use(department),
                          soci::use(active), soci::use(now), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return missing_or_stale(sql, "members", id);
    Member updated = member;
    updated.version = member.version + 1;
    write_audit(sql, actor, "member", id, "update", formats::to_json_text(before.front()),
                formats::to_json_text(updated));
    return updated;
  });
}

// ---------------- users ----------------

Result<User> create_user(Database& database, const Actor& actor, const User& user, const std::string& token_hash) {
  if (auto status = validate_user(user); !status) return std::move(status).error();
  return in_transaction<User>(database, [&](soci::session& sql) -> Result<User> {
    const std::string now = utc_timestamp_now();
    const std::string role(to_string(user.role));
    long long member = user.member_id.value_or(0);
    soci::indicator member_ind = user.member_id ? soci::i_ok : soci::i_null;
    int active = user.active ? 1 : 0;
    long long id = 0;
    sql << kInsertUser, soci::use(user.email), soci::use(user.name), soci::use(role), soci::use(member, member_ind),
        soci::use(token_hash), soci::use(active), soci::use(now), soci::into(id);
    User created = user;
    created.id = id;
    created.version = 1;
    write_audit(sql, actor, "user", id, "create", "", formats::to_json_text(created));
    return created;
  });
}

Result<User> get_user(Database& database, std::int64_t id) {
  return with_connection<User>(database, [&](soci::session& sql) -> Result<User> {
    auto rows = fetch_users(sql, select_from(kUserColumns, "users", "WHERE id = :id"), static_cast<long long>(id));
    if (rows.empty()) return Error::of(ErrorCode::not_found, "cet utilisateur n’existe pas", "user.not_found");
    return rows.front();
  });
}

Result<User> find_user_by_token_hash(Database& database, const std::string& token_hash) {
  return with_connection<User>(database, [&](soci::session& sql) -> Result<User> {
    auto rows = fetch_users(sql, select_from(kUserColumns, "users", "WHERE token_hash = :hash AND active = 1"),
                            token_hash);
    if (rows.empty()) return Error::of(ErrorCode::not_found, "jeton inconnu", "auth.unknown_token");
    return rows.front();
  });
}

Result<User> find_token_owner(Database& database, const std::string& token_hash) {
  return with_connection<User>(database, [&](soci::session& sql) -> Result<User> {
    auto rows = fetch_users(sql, select_from(kUserColumns, "users", "WHERE token_hash = :hash"), token_hash);
    if (rows.empty()) return Error::of(ErrorCode::not_found, "jeton inconnu", "auth.unknown_token");
    return rows.front();
  });
}

Result<PageOf<User>> list_users(Database& database, const Page& page) {
  return with_connection<PageOf<User>>(database, [&](soci::session& sql) -> Result<PageOf<User>> {
    UserRow r;
    std::vector<User> rows;
    long long before = before_key(page);
    soci::statement st = (sql.prepare << select_from(kUserColumns, "users", page_clause(page.limit)), soci::into(r.id),
                          soci::into(r.email), soci::into(r.name), soci::into(r.role),
                          soci::into(r.member_id, r.member_ind), soci::into(r.active), soci::into(r.version),
                          soci::use(before));
    st.execute();
    while (st.fetch()) rows.push_back(r.to_user());
    return to_page(std::move(rows), clamp_limit(page.limit));
  });
}

Result<User> update_user(Database& database, const Actor& actor, const User& user, const std::string& reason) {
  if (auto status = validate_user(user); !status) return std::move(status).error();
  return in_transaction<User>(database, [&](soci::session& sql) -> Result<User> {
    auto before = fetch_users(sql, select_from(kUserColumns, "users", "WHERE id = :id"),
                              static_cast<long long>(user.id));
    const std::string role(to_string(user.role));
    long long member = user.member_id.value_or(0);
    soci::indicator member_ind = user.member_id ? soci::i_ok : soci::i_null;
    int active = user.active ? 1 : 0;
    long long id = user.id;
    long long version = user.version;
    soci::statement st = (sql.prepare << kUpdateUser, soci::use(user.name), soci::use(role),
                          soci::use(member, member_ind), soci::use(active), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return missing_or_stale(sql, "users", id);
    User updated = before.front();
    updated.name = user.name;
    updated.role = user.role;
    updated.member_id = user.member_id;
    updated.active = user.active;
    updated.version = user.version + 1;
    // The reason of a revocation is kept with the user as it was left.
    auto after = formats::to_json(updated);
    if (!reason.empty()) after.as_object()["reason"] = reason;
    write_audit(sql, actor, "user", id, "update", formats::to_json_text(before.front()), boost::json::serialize(after));
    return updated;
  });
}

// ---------------- suppliers ----------------

Status member_takes_part(soci::session& sql, std::int64_t member_id, std::string_view field, std::string_view what) {
  long long id = member_id;
  std::string code;
  int active = 0;
  sql << kMemberActive, soci::use(id), soci::into(code), soci::into(active);
  if (!sql.got_data()) return Error::of(ErrorCode::not_found, "ce membre n’existe pas", "member.not_found");
  return check_member_active(code, active != 0, field, what);
}

Result<Supplier> create_supplier(Database& database, const Actor& actor, const Supplier& supplier) {
  if (auto status = validate_supplier(supplier); !status) return std::move(status).error();
  return in_transaction<Supplier>(database, [&](soci::session& sql) -> Result<Supplier> {
    const std::string now = utc_timestamp_now();
    const std::string department = to_string(supplier.department);
    int sme = supplier.sme ? 1 : 0;
    long long id = 0;
    sql << kInsertSupplier, soci::use(supplier.name), soci::use(supplier.siret), soci::use(department), soci::use(sme),
        soci::use(now), soci::into(id);
    Supplier created = supplier;
    created.id = id;
    created.version = 1;
    write_audit(sql, actor, "supplier", id, "create", "", formats::to_json_text(created));
    return created;
  });
}

Result<Supplier> get_supplier(Database& database, std::int64_t id) {
  return with_connection<Supplier>(database, [&](soci::session& sql) -> Result<Supplier> {
    auto rows = fetch_suppliers(sql, select_from(kSupplierColumns, "suppliers", "WHERE id = :id"),
                                static_cast<long long>(id));
    if (rows.empty()) return Error::of(ErrorCode::not_found, "ce fournisseur n’existe pas", "supplier.not_found");
    return rows.front();
  });
}

Result<PageOf<Supplier>> list_suppliers(Database& database, const Page& page) {
  return with_connection<PageOf<Supplier>>(database, [&](soci::session& sql) -> Result<PageOf<Supplier>> {
    return to_page(fetch_suppliers(sql, select_from(kSupplierColumns, "suppliers", page_clause(page.limit)),
                                   before_key(page)),
                   clamp_limit(page.limit));
  });
}

Result<Supplier> update_supplier(Database& database, const Actor& actor, const Supplier& supplier) {
  if (auto status = validate_supplier(supplier); !status) return std::move(status).error();
  return in_transaction<Supplier>(database, [&](soci::session& sql) -> Result<Supplier> {
    auto before = fetch_suppliers(sql, select_from(kSupplierColumns, "suppliers", "WHERE id = :id"),
                                  static_cast<long long>(supplier.id));
    const std::string department = to_string(supplier.department);
    int sme = supplier.sme ? 1 : 0;
    long long id = supplier.id;
    long long version = supplier.version;
    soci::statement st = (sql.prepare << kUpdateSupplier, soci::use(supplier.name), soci::use(supplier.siret),
                          soci::use(department), soci::use(sme), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return missing_or_stale(sql, "suppliers", id);
    Supplier updated = supplier;
    updated.version = supplier.version + 1;
    write_audit(sql, actor, "supplier", id, "update", formats::to_json_text(before.front()),
                formats::to_json_text(updated));
    return updated;
  });
}

}  // namespace canopee::db

namespace canopee::db {

Status rotate_user_token(Database& database, const Actor& actor, std::int64_t user_id, const std::string& token_hash) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long id = user_id;
    soci::statement st = (sql.prepare << "UPDATE users SET token_hash = :hash, version = version + 1 WHERE id = :id",
                          soci::use(token_hash), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Error::of(ErrorCode::not_found, "cet utilisateur n’existe pas", "user.not_found");
    write_audit(sql, actor, "user", user_id, "rotate_token", "", "");
    return Done{};
  });
}

Result<User> get_user_by_email(Database& database, const std::string& email) {
  return with_connection<User>(database, [&](soci::session& sql) -> Result<User> {
    auto rows = fetch_users(sql,
                            "SELECT id, email, name, role, member_id, active, version FROM users WHERE email = :email",
                            email);
    if (rows.empty())
      return Error::of(ErrorCode::not_found, "aucun utilisateur n’a cette adresse électronique", "user.not_found");
    return rows.front();
  });
}

}  // namespace canopee::db
