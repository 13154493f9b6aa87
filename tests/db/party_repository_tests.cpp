#include <doctest/doctest.h>
#include <soci/soci.h>

#include <boost/json.hpp>

#include "adapters/db/migrations.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/security/tokens.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

namespace {

struct Fixture {
  test::TestDatabase db;
  std::unique_ptr<db::Database> database = db.open(2);
  db::Actor actor{std::nullopt, std::nullopt, "test-request"};
  Fixture() { REQUIRE(db::migrate(*database).ok()); }

  int count(const std::string& table) {
    auto c = database->acquire();
    int n = -1;
    c->sql() << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }
};

Member member(const char* code, const char* siren) {
  Member m;
  m.code = code;
  m.name = std::string("Office ") + code;
  m.siren = siren;
  m.department = *parse_department("02", "d");
  return m;
}

}  // namespace

TEST_CASE("members: create, read, list by pages, update with versions, audit") {
  Fixture f;
  auto opal = db::create_member(*f.database, f.actor, member("OPAL", "270200017"));
  REQUIRE(opal.ok());
  CHECK(opal->id > 0);
  CHECK(opal->version == 1);
  auto reims = db::create_member(*f.database, f.actor, member("REIMS", "270510027"));
  REQUIRE(reims.ok());

  CHECK(db::get_member(*f.database, opal->id)->code == "OPAL");
  CHECK(db::get_member_by_code(*f.database, "REIMS")->id == reims->id);
  CHECK(db::get_member(*f.database, 999999).error().code == ErrorCode::not_found);

  auto first = db::list_members(*f.database, {std::nullopt, 1});
  REQUIRE(first.ok());
  REQUIRE(first->items.size() == 1);
  CHECK(first->items[0].id == reims->id);  // newest first
  REQUIRE(first->next_before_id.has_value());
  auto second = db::list_members(*f.database, {first->next_before_id, 1});
  REQUIRE(second->items.size() == 1);
  CHECK(second->items[0].id == opal->id);
  CHECK_FALSE(second->next_before_id.has_value());

  Member renamed = *opal;
  renamed.name = "OPAL — Office public de l'habitat de l'Aisne";
  auto updated = db::update_member(*f.database, f.actor, renamed);
  REQUIRE(updated.ok());
  CHECK(updated->version == 2);
  auto stale = db::update_member(*f.database, f.actor, renamed);  // still carries version 1
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::stale);
  CHECK(db::get_member(*f.database, opal->id)->name == renamed.name);
  Member ghost = renamed;
  ghost.id = 424242;
  CHECK(db::update_member(*f.database, f.actor, ghost).error().code == ErrorCode::not_found);

  CHECK(f.count("audit_log") == 3);  // two creations, one update; the refused ones wrote nothing
  auto c = f.database->acquire();
  std::string action, before, after, request;
  c->sql() << "SELECT action, before_json, after_json, request_id FROM audit_log WHERE action = 'update'",
      soci::into(action), soci::into(before), soci::into(after), soci::into(request);
  CHECK(boost::json::parse(before).at("version") == 1);  // PostgreSQL re-serialises JSONB: compare values
  CHECK(boost::json::parse(after).at("name").as_string().find("Aisne") != std::string::npos);
  CHECK(request == "test-request");
}

TEST_CASE("members: duplicates and invalid values are typed errors and change nothing") {
  Fixture f;
  REQUIRE(db::create_member(*f.database, f.actor, member("OPAL", "270200017")).ok());
  auto duplicate_code = db::create_member(*f.database, f.actor, member("OPAL", "270510027"));
  REQUIRE_FALSE(duplicate_code.ok());
  CHECK(duplicate_code.error().code == ErrorCode::conflict);
  CHECK(duplicate_code.error().message.find("INSERT") == std::string::npos);  // no SQL leaks out
  auto bad_siren = db::create_member(*f.database, f.actor, member("OISE", "270600035"));
  REQUIRE_FALSE(bad_siren.ok());
  CHECK(bad_siren.error().fields.at(0).field == "siren");
  auto bad_code = db::create_member(*f.database, f.actor, member("oise!", "270600034"));
  CHECK(bad_code.error().fields.at(0).field == "code");
  CHECK(f.count("members") == 1);
  CHECK(f.count("audit_log") == 1);
}

TEST_CASE("users: stored with the token's hash only, found by it") {
  Fixture f;
  auto opal = db::create_member(*f.database, f.actor, member("OPAL", "270200017"));
  const std::string token = security::generate_token();
  CHECK(token.size() == 68);
  CHECK(token.rfind("cnp_", 0) == 0);
  User buyer;
  buyer.email = "acheteur@opal.example";
  buyer.name = "Acheteur OPAL";
  buyer.role = Role::buyer;
  buyer.member_id = opal->id;
  auto created = db::create_user(*f.database, f.actor, buyer, security::token_hash(token));
  REQUIRE(created.ok());
  auto found = db::find_user_by_token_hash(*f.database, security::token_hash(token));
  REQUIRE(found.ok());
  CHECK(found->id == created->id);
  CHECK(found->member_id == opal->id);
  CHECK(db::find_user_by_token_hash(*f.database, security::token_hash(token + "x")).error().code ==
        ErrorCode::not_found);
  // the token itself is nowhere in the database
  auto c = f.database->acquire();
  int leaks = -1;
  c->sql() << "SELECT COUNT(*) FROM users WHERE token_hash = :a OR email = :b OR name = :c", soci::use(token),
      soci::use(token), soci::use(token), soci::into(leaks);
  CHECK(leaks == 0);
  int in_audit = -1;
  const std::string pattern = "%" + token.substr(4) + "%";
  c->sql() << "SELECT COUNT(*) FROM audit_log WHERE CAST(after_json AS TEXT) LIKE :p", soci::use(pattern),
      soci::into(in_audit);
  CHECK(in_audit == 0);

  User orphan = buyer;
  orphan.email = "sans-membre@example.org";
  orphan.member_id.reset();
  CHECK(db::create_user(*f.database, f.actor, orphan, security::token_hash("t")).error().fields.at(0).field ==
        "member_id");
  User deactivated = *created;
  deactivated.active = false;
  REQUIRE(db::update_user(*f.database, f.actor, deactivated).ok());
  CHECK(db::find_user_by_token_hash(*f.database, security::token_hash(token)).error().code == ErrorCode::not_found);
  CHECK(security::token_hash("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2 example
  CHECK(security::constant_time_equal("abc", "abc"));
  CHECK_FALSE(security::constant_time_equal("abc", "abd"));
  CHECK_FALSE(security::constant_time_equal("abc", "abcd"));
}

TEST_CASE("suppliers: SIRET checked, unique, versioned") {
  Fixture f;
  Supplier s;
  s.name = "Peintures du Nord";
  s.siret = "38901234500010";
  s.department = *parse_department("59", "d");
  s.sme = true;
  auto created = db::create_supplier(*f.database, f.actor, s);
  REQUIRE(created.ok());
  CHECK(db::get_supplier(*f.database, created->id)->sme);
  CHECK(db::create_supplier(*f.database, f.actor, s).error().code == ErrorCode::conflict);
  s.siret = "38901234500011";
  CHECK(db::create_supplier(*f.database, f.actor, s).error().fields.at(0).field == "siret");
  Supplier renamed = *created;
  renamed.name = "Peintures du Nord SAS";
  CHECK(db::update_supplier(*f.database, f.actor, renamed)->version == 2);
  CHECK(db::update_supplier(*f.database, f.actor, renamed).error().code == ErrorCode::stale);
  CHECK(db::list_suppliers(*f.database, {})->items.size() == 1);
}
