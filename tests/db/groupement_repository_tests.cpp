// Groupements de commandes in the store (schema/0013), on both backends: the
// convention round trip, signatures, versions, audit rows, and a tender's groupement
// checked at creation and at publication (L2113-6, L2113-7).
#include <doctest/doctest.h>

#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/fixtures.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }

struct World : test::NetworkFixture {
  const Date today = day("2026-11-29");

  Groupement convention() {
    Groupement g;
    g.name = "Groupement Canopée";
    g.reference = "GC-2026";
    g.coordinator_member_id = opal.id;
    g.mission = CoordinatorMission::execution;
    g.cpv_prefixes = {"4481", "0931"};
    g.period_start = day("2026-01-01");
    g.period_end = day("2027-12-31");
    g.cost_key = CostKey::quantity;
    g.members = {{opal.id, day("2026-01-12")}, {reims.id, day("2026-09-01")}};
    return g;
  }

  // A draft of OPAL's and REIMS's paint, in the groupement `id`.
  Tender draft(std::int64_t groupement_id) {
    REQUIRE(db::create_need(*database, actor, test::valid_need(opal.id, "44810000-1", "300", "l", "10")).ok());
    REQUIRE(db::create_need(*database, actor, test::valid_need(reims.id, "44810000-1", "700", "l", "10")).ok());
    AggregationOptions options;
    options.contract_start = day("2026-01-01");
    auto needs = db::select_submitted_needs(*database, {});
    REQUIRE(needs.ok());
    auto proposal = propose_aggregation(*needs, options);
    REQUIRE(proposal.ok());
    Tender t;
    t.title = "Peintures";
    t.coordinator_member_id = opal.id;
    t.groupement_id = groupement_id;
    t.contract_start = day("2026-01-01");
    t.criteria = {{"prix", 60, true, false}, {"environnement", 40, false, true}};
    t.lots = lots_from_proposal(*proposal, CpvNomenclature::starter());
    t.allotment_justification = "fourniture homogène";
    t.environmental_conditions = "pots repris";
    t.bid_deadline = "2027-02-01T12:00:00Z";
    return t;
  }
};

}  // namespace

TEST_CASE("groupements: create, read, sign, update with versions; each write one audit row") {
  World w;
  const auto audit = w.count("audit_log");
  auto created = db::create_groupement(*w.database, w.actor, w.convention(), w.today);
  REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
  CHECK(created->version == 1);
  CHECK(created->cpv_prefixes == std::vector<std::string>{"0931", "4481"});  // by prefix
  REQUIRE(created->members.size() == 2);
  CHECK(created->members[0].code == "OPAL");
  CHECK(created->members[1].signed_on == day("2026-09-01"));
  CHECK(w.count("audit_log", "entity = 'groupement' AND action = 'create'") == 1);

  auto read = db::get_groupement(*w.database, created->id);
  REQUIRE(read.ok());
  CHECK(read->mission == CoordinatorMission::execution);
  CHECK(read->cost_key == CostKey::quantity);
  CHECK(read->period_end == day("2027-12-31"));
  CHECK(db::list_groupements(*w.database, {})->items.size() == 1);
  CHECK(db::any_groupement(*w.database).value());
  CHECK(db::get_groupement(*w.database, 999999).error().code == ErrorCode::not_found);

  // OISE signs on the day it is recorded; again is a conflict; tomorrow is refused.
  CHECK(db::add_groupement_member(*w.database, w.actor, created->id, {w.oise.id, day("2026-11-30")}, std::nullopt,
                                  w.today)
            .error()
            .rule == "groupement.signed_in_future");
  auto signed_oise = db::add_groupement_member(*w.database, w.actor, created->id, {w.oise.id, w.today}, 1, w.today);
  REQUIRE(signed_oise.ok());
  CHECK(signed_oise->version == 2);
  CHECK(signed_oise->members.size() == 3);
  CHECK(db::add_groupement_member(*w.database, w.actor, created->id, {w.oise.id, w.today}, std::nullopt, w.today)
            .error()
            .rule == "groupement.member_duplicate");
  CHECK(db::add_groupement_member(*w.database, w.actor, created->id, {w.amiens.id, w.today}, 1, w.today).error().code ==
        ErrorCode::stale);
  CHECK(db::add_groupement_member(*w.database, w.actor, created->id, {999999, w.today}, std::nullopt, w.today)
            .error()
            .rule == "groupement.member_unknown");

  auto changed = *signed_oise;
  changed.mission = CoordinatorMission::procedure;
  changed.cpv_prefixes = {"44"};
  changed.members.clear();  // ignored: signatures are not edited here
  auto updated = db::update_groupement(*w.database, w.actor, changed);
  REQUIRE(updated.ok());
  CHECK(updated->version == 3);
  CHECK(updated->mission == CoordinatorMission::procedure);
  CHECK(updated->cpv_prefixes == std::vector<std::string>{"44"});
  CHECK(updated->members.size() == 3);
  CHECK(db::update_groupement(*w.database, w.actor, changed).error().code == ErrorCode::stale);  // version 2 read
  CHECK(w.count("audit_log") == audit + 3);

  // A second convention may not take the reference.
  auto other = w.convention();
  CHECK(db::create_groupement(*w.database, w.actor, other, w.today).error().rule == "groupement.reference_taken");
  CHECK(w.count("groupements") == 1);
  CHECK(w.count("audit_log") == audit + 3);
}

TEST_CASE("groupement tenders: stored with their groupement, published only when every member signed by the launch") {
  World w;
  auto g = db::create_groupement(*w.database, w.actor, w.convention(), w.today);
  REQUIRE(g.ok());
  auto t = w.draft(g->id);

  // The coordinator is the groupement's (L2113-7).
  auto wrong = t;
  wrong.coordinator_member_id = w.reims.id;
  CHECK(db::create_tender(*w.database, w.actor, wrong).error().rule == "groupement.coordinator_mismatch");
  auto unknown = t;
  unknown.groupement_id = 999999;
  CHECK(db::create_tender(*w.database, w.actor, unknown).error().rule == "groupement.unknown");
  CHECK(w.count("tenders") == 0);

  auto created = db::create_tender(*w.database, w.actor, t);
  REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error().message));
  CHECK(created->groupement_id == g->id);
  CHECK(db::get_tender(*w.database, created->id)->groupement_id == g->id);

  // The coordinator is locked while the tender runs.
  auto moved = *g;
  moved.coordinator_member_id = w.reims.id;
  CHECK(db::update_groupement(*w.database, w.actor, moved).error().rule == "groupement.coordinator_locked");

  // REIMS signed on 2026-09-01: a notice sent on 2026-08-31 is refused, on 2026-09-01 allowed.
  auto early = usecases::transition_tender(*w.database, w.actor, created->id, TenderStatus::published, std::nullopt,
                                           day("2026-08-31"));
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == ErrorCode::conflict);
  CHECK(early.error().rule == "groupement.member_not_joined");
  CHECK(db::get_tender(*w.database, created->id)->status == TenderStatus::draft);
  auto published = usecases::transition_tender(*w.database, w.actor, created->id, TenderStatus::published, std::nullopt,
                                               day("2026-09-01"));
  REQUIRE_MESSAGE(published.ok(), (published.ok() ? "" : published.error().message));
  CHECK(published->launch_date == day("2026-09-01"));
}

TEST_CASE("groupement tenders: a tender made before the migration has none and keeps working") {
  World w;
  auto t = w.draft(0);
  t.groupement_id.reset();
  auto created = db::create_tender(*w.database, w.actor, t);
  REQUIRE(created.ok());
  CHECK_FALSE(created->groupement_id);
  CHECK(w.count("tenders", "groupement_id IS NULL") == 1);
  CHECK(usecases::transition_tender(*w.database, w.actor, created->id, TenderStatus::published, std::nullopt,
                                    day("2026-09-01"))
            .ok());
}

TEST_CASE("0013 leaves the tenders made before it without a groupement, and they keep reading") {
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  const auto all = schema::embedded_migrations();
  std::size_t before_0013 = 0;
  while (before_0013 < all.size() && all[before_0013].version < 13) ++before_0013;
  REQUIRE(db::migrate(*database, all.first(before_0013)).ok());
  {
    auto c = database->acquire();
    REQUIRE(c.ok());
    const std::string at = "2026-10-01T10:00:00Z";
    c->sql() << "INSERT INTO members (code, name, siren, department, created_at, updated_at) "
                "VALUES ('OPAL', 'OPAL', '270200017', '02', :a, :b)",
        soci::use(at), soci::use(at);
    c->sql()
        << "INSERT INTO tenders (reference, title, status, vehicle, coordinator_member_id, kind, procedure, contract_start, "
           "duration_months, price_formula, abnormally_low_method, created_at, updated_at) VALUES ('T-1', 'Peintures', "
           "'draft', 'groupement', 1, 'supplies', 'adapted', '2027-01-01', 12, 'proportional', 'two_pass_mean', :a, :b)",
        soci::use(at), soci::use(at);
  }
  auto rest = db::migrate(*database);
  REQUIRE_MESSAGE(rest.ok(), (rest.ok() ? "" : rest.error().message));
  CHECK(rest->to_version >= 13);
  CHECK(test::count_rows(*database, "tenders") == 1);
  auto tender = db::get_tender(*database, 1);
  REQUIRE(tender.ok());
  CHECK_FALSE(tender->groupement_id);
  CHECK(tender->vehicle == Vehicle::groupement);
  CHECK(db::list_groupements(*database, {})->items.empty());
  CHECK_FALSE(db::any_groupement(*database).value());
}

TEST_CASE("groupements: listed by pages, newest first, each once") {
  World w;
  std::vector<std::int64_t> created;
  for (const char* reference : {"GC-A", "GC-B", "GC-C"}) {
    auto g = w.convention();
    g.reference = reference;
    auto stored = db::create_groupement(*w.database, w.actor, g, w.today);
    REQUIRE(stored.ok());
    created.push_back(stored->id);
  }
  auto first = db::list_groupements(*w.database, {std::nullopt, 2});
  REQUIRE(first.ok());
  REQUIRE(first->items.size() == 2);
  CHECK(first->items[0].id == created[2]);
  CHECK(first->items[1].id == created[1]);
  CHECK(first->items[1].members.size() == 2);  // each read whole
  REQUIRE(first->next_before_id);
  CHECK(*first->next_before_id == created[1]);
  auto second = db::list_groupements(*w.database, {first->next_before_id, 2});
  REQUIRE(second.ok());
  REQUIRE(second->items.size() == 1);
  CHECK(second->items[0].reference == "GC-A");
  CHECK_FALSE(second->next_before_id);
}
