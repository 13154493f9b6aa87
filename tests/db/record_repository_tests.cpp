#include <doctest/doctest.h>

#include "adapters/db/record_repository.hpp"
#include "adapters/security/tokens.hpp"
#include "tests/support/fixtures.hpp"

using namespace canopee;

TEST_CASE("idempotency keys: one stored response per user and key") {
  test::NetworkFixture f;
  User officer;
  officer.email = "officer@canopee.example";
  officer.name = "Officer";
  officer.role = Role::officer;
  auto user = db::create_user(*f.database, f.actor, officer, security::token_hash("x"));
  REQUIRE(user.ok());
  CHECK_FALSE(db::find_idempotent_response(*f.database, user->id, "k1")->has_value());
  const db::StoredResponse first{"POST", "/v1/needs", "abc", 201, "{\"id\":1}"};
  REQUIRE(db::store_idempotent_response(*f.database, user->id, "k1", first).ok());
  auto found = db::find_idempotent_response(*f.database, user->id, "k1");
  REQUIRE(found->has_value());
  CHECK((*found)->status == 201);
  CHECK((*found)->body == "{\"id\":1}");
  auto twice = db::store_idempotent_response(*f.database, user->id, "k1", first);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == ErrorCode::conflict);
}

TEST_CASE("the audit trail lists by entity, newest first") {
  test::NetworkFixture f;  // four member creations
  auto all = db::list_audit(*f.database, "", std::nullopt, {std::nullopt, 2});
  REQUIRE(all.ok());
  CHECK(all->items.size() == 2);
  CHECK(all->items[0].entity_id == f.amiens.id);
  CHECK(all->next_before_id.has_value());
  auto one = db::list_audit(*f.database, "member", f.reims.id, {});
  REQUIRE(one->items.size() == 1);
  CHECK(one->items[0].action == "create");
  CHECK(one->items[0].before_json.empty());
  CHECK(one->items[0].after_json.find("REIMS") != std::string::npos);
  CHECK(one->items[0].request_id == "test");
  CHECK(one->items[0].at.find('T') == 10);
  CHECK(db::list_audit(*f.database, "tender", std::nullopt, {})->items.empty());
}

TEST_CASE("a connection the server dropped is re-established on the next use") {
  if (test::test_backend() != db::Backend::postgresql) return;
  test::NetworkFixture f;
  int pid = 0;
  {
    auto c = f.database->acquire();
    c->sql() << "SELECT pg_backend_pid()", soci::into(pid);
  }
  {
    // Another session terminates every pooled backend of this database.
    auto admin = f.db.open(1);
    auto c = admin->acquire();
    c->sql() << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()";
  }
  // The first use after the drop fails cleanly as unavailable …
  bool recovered = false;
  for (int attempt = 0; attempt < 5 && !recovered; ++attempt) {
    auto member = db::get_member(*f.database, f.opal.id);
    if (member.ok()) {
      recovered = true;
    } else {
      CHECK(member.error().code == ErrorCode::unavailable);
    }
  }
  // … and the pool reconnects by itself.
  CHECK(recovered);
  CHECK(f.database->stats().reconnects >= 1);
}
