// Budget codes through the use cases (usecases/budget.hpp) on each backend: the code
// list, a need's codes replaced and cleared, the audit rows, the SPASER threshold
// setting read back or kept at its default when malformed.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/budget_repository.hpp"
#include "adapters/db/migrations.hpp"
#include "adapters/db/need_repository.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/need_builder.hpp"
#include "tests/support/test_database.hpp"
#include "usecases/budget.hpp"

using namespace canopee;

namespace {

struct Fixture {
  test::TestDatabase db;
  std::unique_ptr<db::Database> database = db.open(2);
  db::Actor actor{std::nullopt, std::nullopt, "test-request"};
  Member opal, reims;
  Fixture() {
    REQUIRE(db::migrate(*database).ok());
    opal = test::add_member(*database, "OPAL", "270200017", "02");
    reims = test::add_member(*database, "REIMS", "270510027", "51");
  }
  BudgetCode code(std::int64_t member, BudgetCodeKind kind, const char* text, const char* label) {
    BudgetCode c;
    c.member_id = member;
    c.kind = kind;
    c.code = text;
    c.label = label;
    auto created = usecases::create_budget_code(*database, actor, c);
    REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
    return *created;
  }
  void setting(const std::string& value) {
    auto c = database->acquire();
    REQUIRE(c.ok());
    c->sql() << "DELETE FROM settings WHERE key = 'spaser_threshold'";
    c->sql() << "INSERT INTO settings (key, value, updated_at) VALUES ('spaser_threshold', :v, '2026-11-29 00:00:00')",
        soci::use(value);
  }
  Amount threshold() {
    auto c = database->acquire();
    REQUIRE(c.ok());
    return db::spaser_threshold(c->sql());
  }
};

}  // namespace

TEST_CASE("budget codes: one member's list, the same code allowed to another member, a need's codes replaced") {
  Fixture f;
  f.code(f.opal.id, BudgetCodeKind::nature, "6152", "Entretien et réparations");
  f.code(f.opal.id, BudgetCodeKind::analytic, "PROG1", "Programme 1");
  f.code(f.reims.id, BudgetCodeKind::nature, "6152", "Entretien courant");  // its own chart of accounts
  BudgetCode duplicate;
  duplicate.member_id = f.opal.id;
  duplicate.kind = BudgetCodeKind::nature;
  duplicate.code = "6152";
  duplicate.label = "Doublon";
  const auto refused = usecases::create_budget_code(*f.database, f.actor, duplicate);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().rule == "budget_code.duplicate");
  CHECK(usecases::list_budget_codes(*f.database, f.opal.id)->size() == 2);
  CHECK(usecases::list_budget_codes(*f.database, std::nullopt)->size() == 3);

  const auto need = db::create_need(*f.database, f.actor, test::make_need(0, f.opal.id, test::need_draft()));
  REQUIRE(need.ok());
  const auto audit = test::count_rows(*f.database, "audit_log");
  auto set = usecases::set_need_codes(*f.database, f.actor, need->id, {std::string("6152"), std::string("PROG1")},
                                      std::nullopt);
  REQUIRE(set.ok());
  // Replaced: the nature kept, the analytic cleared.
  set = usecases::set_need_codes(*f.database, f.actor, need->id, {std::string("6152"), std::nullopt}, f.opal.id);
  REQUIRE(set.ok());
  const auto read = usecases::need_codes(*f.database, need->id, std::nullopt);
  REQUIRE(read.ok());
  CHECK(read->codes.nature == std::optional<std::string>("6152"));
  CHECK_FALSE(read->codes.analytic);
  CHECK(test::count_rows(*f.database, "need_budget_codes") == 1);
  CHECK(test::count_rows(*f.database, "audit_log") == audit + 2);
  // Another member's scope does not see the need; REIMS's 6152 is not OPAL's analytic code.
  CHECK(usecases::need_codes(*f.database, need->id, f.reims.id).error().rule == "need.not_found");
  const auto wrong = usecases::set_need_codes(*f.database, f.actor, need->id, {std::nullopt, std::string("6152")},
                                              std::nullopt);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().rule == "budget_code.unknown");
  CHECK(test::count_rows(*f.database, "audit_log") == audit + 2);
  // Cleared entirely: no row left.
  REQUIRE(usecases::set_need_codes(*f.database, f.actor, need->id, {}, std::nullopt).ok());
  CHECK(test::count_rows(*f.database, "need_budget_codes") == 0);
}

TEST_CASE("SPASER threshold setting: read in euros HT, the default when absent or malformed") {
  Fixture f;
  CHECK(f.threshold() == Amount{5'000'000'000});
  f.setting("40000000.00");
  CHECK(f.threshold() == Amount{4'000'000'000});
  f.setting("cinquante millions");
  CHECK(f.threshold() == Amount{5'000'000'000});
  f.setting("-1");
  CHECK(f.threshold() == Amount{5'000'000'000});
}
