#pragma once
// Members, users and suppliers. Every mutation writes its audit row in the same
// transaction; updates carry the version read and fail as `stale` when it moved.
#include <string>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/parties.hpp"

namespace canopee::db {

Result<Member> create_member(Database& database, const Actor& actor, const Member& member);
Result<Member> get_member(Database& database, std::int64_t id);
Result<Member> get_member_by_code(Database& database, const std::string& code);
Result<PageOf<Member>> list_members(Database& database, const Page& page);
// `member.version` is the version the caller read.
Result<Member> update_member(Database& database, const Actor& actor, const Member& member);

// Stores the user with the hash of its token (never the token).
Result<User> create_user(Database& database, const Actor& actor, const User& user, const std::string& token_hash);
Result<User> get_user(Database& database, std::int64_t id);
// The active user holding the token whose hash this is, or not_found.
Result<User> find_user_by_token_hash(Database& database, const std::string& token_hash);
// The user a token was issued to, active or revoked (to tell a revoked token from a guess).
Result<User> find_token_owner(Database& database, const std::string& token_hash);
Result<PageOf<User>> list_users(Database& database, const Page& page);
// `reason`: why the access is revoked, kept in the audit row ("" for none).
Result<User> update_user(Database& database, const Actor& actor, const User& user, const std::string& reason = {});

// Inside a unit of work: check_member_active on the stored member (not_found when
// there is none), for the repositories that refuse an inactive member's new needs
// and tenders in the same transaction as the write.
// Inside the caller's unit of work (documents, reports).
std::optional<Member> load_member(soci::session& sql, std::int64_t id);
std::optional<Supplier> load_supplier(soci::session& sql, std::int64_t id);

Status member_takes_part(soci::session& sql, std::int64_t member_id, std::string_view field, std::string_view what);

Result<Supplier> create_supplier(Database& database, const Actor& actor, const Supplier& supplier);
Result<Supplier> get_supplier(Database& database, std::int64_t id);
Result<PageOf<Supplier>> list_suppliers(Database& database, const Page& page);
Result<Supplier> update_supplier(Database& database, const Actor& actor, const Supplier& supplier);

}  // namespace canopee::db

namespace canopee::db {
// Gives a user a new token (the old one stops working at once).
Status rotate_user_token(Database& database, const Actor& actor, std::int64_t user_id, const std::string& token_hash);
Result<User> get_user_by_email(Database& database, const std::string& email);
}  // namespace canopee::db
