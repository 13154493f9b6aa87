// Aided projects on both backends (CGLLS subsidy, issue 19 items 6 and 7): stored,
// computed again on every change, and read by the savings report — granted aid in net
// savings, the rest apart as projected. Figures by hand: the flow's paint lot awarded to
// Beta at 9.00 €/l — OPAL 300 l (3,000.00 → 2,700.00, savings 300.00), Reims 700 l
// (7,700.00 → 6,300.00, savings 1,400.00): savings 1,700.00. A shared cost of 1,000.00
// split by contract value: OPAL 1,000 × 2,700 / 9,000 = 300.00, Reims 700.00.
#include <doctest/doctest.h>

#include "adapters/db/aided_project_repository.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/aided_projects.hpp"
#include "usecases/reports.hpp"
#include "usecases/shared_costs.hpp"

using namespace canopee;
using test::day;

namespace {

Amount eur(const char* t) { return *parse_amount(t, "a"); }
const Date kToday = day("2026-12-31");

struct AidedFlow : test::PaintLotWithBids {
  std::int64_t cost_id = 0;

  AidedFlow() {
    award_to_beta();
    SharedCost cost;
    cost.label = "Assistance à maîtrise d’ouvrage";
    cost.amount = eur("1000.00");
    cost.subsidy_eligible = true;
    auto stored = usecases::add_shared_cost(*database, actor, tender.id, cost);
    REQUIRE(stored.ok());
    cost_id = stored->id;
  }

  ReportFigures totals() {
    reports::SavingsParameters p;
    p.from = day("2026-01-01");
    p.to = day("2026-12-31");
    p.group = ReportGroup::member;
    auto r = reports::savings_report(*database, CpvNomenclature::starter(), p);
    REQUIRE(r.ok());
    return r->totals;
  }

  AidedProject project(bool collective, std::vector<std::int64_t> members) {
    AidedProject p;
    p.title = "AMO commune";
    p.kind = AidKind::assistance;
    p.collective = collective;
    p.members = std::move(members);
    p.planned_on = day("2026-10-01");
    return p;
  }

  AidTransition step(AidAction action, const char* on, std::optional<const char*> amount = {}) {
    AidTransition t;
    t.action = action;
    t.on = day(on);
    if (amount) t.amount = eur(*amount);
    return t;
  }
};

}  // namespace

TEST_CASE("aided project: a linked shared cost is projected until granted, then nets the savings") {
  AidedFlow f;
  // Sans projet: the cost is shared by two members, projected at 60 %: 600.00, never in net savings.
  auto t = f.totals();
  CHECK(to_string(t.savings) == "1700.00");
  CHECK(to_string(t.shared_costs) == "1000.00");
  CHECK(to_string(t.subsidy) == "0.00");
  CHECK(to_string(t.subsidy_projected) == "600.00");
  CHECK(to_string(t.net_savings) == "700.00");  // 1,700 − 1,000

  auto created = usecases::create_aided_project(*f.database, f.actor, f.project(true, {f.opal.id, f.reims.id}), kToday,
                                                std::nullopt);
  REQUIRE(created.ok());
  const auto id = created->project.id;
  auto linked = usecases::link_shared_cost(*f.database, f.actor, id, f.cost_id, created->version, std::nullopt);
  REQUIRE(linked.ok());
  // Base 300.00 + 700.00 = 1,000.00 × 60 % = 600.00, split 180.00 / 420.00.
  CHECK(to_string(linked->computation.eligible_base) == "1000.00");
  CHECK(to_string(linked->computation.projected) == "600.00");
  CHECK(to_string(linked->computation.members.at(0).projected) == "180.00");
  CHECK(to_string(linked->computation.members.at(1).projected) == "420.00");
  CHECK(linked->costs.size() == 1);
  t = f.totals();
  CHECK(to_string(t.subsidy) == "0.00");
  CHECK(to_string(t.subsidy_projected) == "600.00");

  // A stale version is refused, nothing changes.
  auto stale = usecases::transition_aided_project(*f.database, f.actor, id, f.step(AidAction::request, "2026-11-05"),
                                                  created->version, kToday, std::nullopt);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::stale);

  auto requested = usecases::transition_aided_project(*f.database, f.actor, id,
                                                      f.step(AidAction::request, "2026-11-05"), linked->version, kToday,
                                                      std::nullopt);
  REQUIRE(requested.ok());
  CHECK(to_string(f.totals().subsidy_projected) == "600.00");
  // Granted 500.00 (less than computed): OPAL 500 × 300 / 1,000 = 150.00, Reims 350.00.
  auto granted = usecases::transition_aided_project(*f.database, f.actor, id,
                                                    f.step(AidAction::grant, "2026-11-20", "500.00"), std::nullopt,
                                                    kToday, std::nullopt);
  REQUIRE(granted.ok());
  CHECK(to_string(*granted->computation.members.at(0).granted) == "150.00");
  CHECK(to_string(*granted->computation.members.at(1).granted) == "350.00");
  t = f.totals();
  CHECK(to_string(t.subsidy) == "500.00");
  CHECK(to_string(t.subsidy_projected) == "0.00");
  CHECK(to_string(t.net_savings) == "1200.00");  // 1,700 − 1,000 + 500
  // Paid: still granted money.
  REQUIRE(usecases::transition_aided_project(*f.database, f.actor, id, f.step(AidAction::pay, "2026-12-10"),
                                             std::nullopt, kToday, std::nullopt)
              .ok());
  CHECK(to_string(f.totals().subsidy) == "500.00");
  // The history: planned, requested, granted (with its amount), paid; append-only.
  auto view = usecases::get_aided_project(*f.database, id, std::nullopt);
  REQUIRE(view.ok());
  REQUIRE(view->steps.size() == 4);
  CHECK(view->steps[2].status == AidStatus::granted);
  CHECK(to_string(*view->steps[2].amount) == "500.00");
  auto c = f.database->acquire();
  REQUIRE(c.ok());
  CHECK_THROWS(c->sql() << "UPDATE aided_project_steps SET amount = 1");
  CHECK_THROWS(c->sql() << "DELETE FROM aided_project_steps");
  CHECK(f.count("audit_log", "entity = 'aided_project'") == 5);  // create, link, request, grant, pay (stale: none)
}

TEST_CASE("aided project: a linked cost cannot be removed; unlinked it is sans projet again") {
  AidedFlow f;
  auto created = usecases::create_aided_project(*f.database, f.actor, f.project(false, {f.opal.id}), kToday,
                                                std::nullopt);
  REQUIRE(created.ok());
  const auto id = created->project.id;
  REQUIRE(usecases::link_shared_cost(*f.database, f.actor, id, f.cost_id, std::nullopt, std::nullopt).ok());
  // Individual OPAL: its part 300.00 × 40 % = 120.00; Reims's part is outside the project: 0.
  CHECK(to_string(f.totals().subsidy_projected) == "120.00");
  // A second project cannot take the same cost.
  auto other = usecases::create_aided_project(*f.database, f.actor, f.project(false, {f.reims.id}), kToday,
                                              std::nullopt);
  REQUIRE(other.ok());
  auto taken = usecases::link_shared_cost(*f.database, f.actor, other->project.id, f.cost_id, std::nullopt,
                                          std::nullopt);
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error().rule == "aided_project.cost.taken");
  auto removed = usecases::remove_shared_cost(*f.database, f.actor, f.tender.id, f.cost_id);
  REQUIRE_FALSE(removed.ok());
  CHECK(removed.error().rule == "shared_cost.in_aided_project");
  REQUIRE(usecases::unlink_shared_cost(*f.database, f.actor, id, f.cost_id, std::nullopt, std::nullopt).ok());
  CHECK(to_string(f.totals().subsidy_projected) == "600.00");  // sans projet again, 60 % of 1,000.00
  // Refused then: nothing counts anywhere.
  REQUIRE(usecases::link_shared_cost(*f.database, f.actor, id, f.cost_id, std::nullopt, std::nullopt).ok());
  REQUIRE(usecases::transition_aided_project(*f.database, f.actor, id, f.step(AidAction::request, "2026-11-01"),
                                             std::nullopt, kToday, std::nullopt)
              .ok());
  REQUIRE(usecases::transition_aided_project(*f.database, f.actor, id, f.step(AidAction::refuse, "2026-11-15"),
                                             std::nullopt, kToday, std::nullopt)
              .ok());
  auto t = f.totals();
  CHECK(to_string(t.subsidy) == "0.00");
  CHECK(to_string(t.subsidy_projected) == "0.00");
}

TEST_CASE("aided project: caps from settings, the rolling cap counting the member's earlier projects") {
  test::NetworkFixture f;
  const auto set = [&](const char* key, const char* value) {
    auto c = f.database->acquire();
    REQUIRE(c.ok());
    const std::string k = key, v = value, now = "2026-01-01T00:00:00Z";
    c->sql() << "INSERT INTO settings (key, value, updated_at) VALUES (:k, :v, :now)", soci::use(k), soci::use(v),
        soci::use(now);
  };
  set("aid.member_cap_cents", "50000");  // 500.00 €
  set("aid.member_cap_months", "12");
  const auto individual = [&](const char* planned) {
    AidedProject p;
    p.title = "Étude";
    p.members = {f.opal.id};
    p.planned_on = day(planned);
    AidExpense e;
    e.member_id = f.opal.id;
    e.label = "Bureau d’études";
    e.amount_ht = *parse_amount("1000.00", "a");
    e.vat = *parse_amount("200.00", "a");
    e.vat_recoverable = true;
    p.expenses = {e};
    return p;
  };
  // A: 1,000.00 × 40 % = 400.00. B, five months later: 500.00 − 400.00 = 100.00 left.
  auto a = usecases::create_aided_project(*f.database, f.actor, individual("2026-01-10"), kToday, std::nullopt);
  REQUIRE(a.ok());
  CHECK(to_string(a->computation.projected) == "400.00");
  auto b = usecases::create_aided_project(*f.database, f.actor, individual("2026-06-01"), kToday, std::nullopt);
  REQUIRE(b.ok());
  CHECK(to_string(b->computation.projected) == "100.00");
  CHECK(b->computation.limited_by == AidLimit::member_cap);
  CHECK(to_string(*b->computation.window_from) == "2025-06-02");
  // A abandoned: B is computed again, the rate alone: 400.00.
  AidTransition abandon;
  abandon.action = AidAction::abandon;
  abandon.on = day("2026-06-15");
  REQUIRE(usecases::transition_aided_project(*f.database, f.actor, a->project.id, abandon, std::nullopt, kToday,
                                             std::nullopt)
              .ok());
  auto again = usecases::get_aided_project(*f.database, b->project.id, std::nullopt);
  REQUIRE(again.ok());
  CHECK(to_string(again->computation.projected) == "400.00");
  // A project cap of 300.00 bites (Reims, nothing used); the VAT not recoverable makes the
  // base TTC: 1,200.00 × 40 % = 480.00 → 300.00.
  set("aid.project_cap_cents", "30000");
  auto p = individual("2026-07-01");
  p.members = {f.reims.id};
  p.expenses[0].member_id = f.reims.id;
  p.expenses[0].vat_recoverable = false;
  auto c = usecases::create_aided_project(*f.database, f.actor, p, kToday, std::nullopt);
  REQUIRE(c.ok());
  CHECK(to_string(c->computation.eligible_base) == "1200.00");
  CHECK(to_string(c->computation.at_rate) == "480.00");
  CHECK(to_string(c->computation.projected) == "300.00");
  CHECK(c->computation.limited_by == AidLimit::project_cap);
}

TEST_CASE("aided project: refused changes leave nothing behind") {
  test::NetworkFixture f;
  AidedProject p;
  p.title = "Outil";
  p.members = {f.opal.id, 999'999};
  p.planned_on = day("2026-10-01");
  auto unknown = usecases::create_aided_project(*f.database, f.actor, p, kToday, std::nullopt);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().rule == "aided_project.members.unknown");
  p.members = {f.opal.id};
  p.planned_on = day("2027-01-01");
  auto future = usecases::create_aided_project(*f.database, f.actor, p, kToday, std::nullopt);
  REQUIRE_FALSE(future.ok());
  CHECK(future.error().rule == "aided_project.date.future");
  CHECK(f.count("aided_projects") == 0);
  p.planned_on = day("2026-10-01");
  auto created = usecases::create_aided_project(*f.database, f.actor, p, kToday, std::nullopt);
  REQUIRE(created.ok());
  // Another member's user does not see it.
  CHECK(usecases::get_aided_project(*f.database, created->project.id, f.reims.id).error().code == ErrorCode::not_found);
  CHECK(usecases::list_aided_projects(*f.database, f.reims.id, {})->items.empty());
  CHECK(usecases::list_aided_projects(*f.database, f.opal.id, {})->items.size() == 1);
  // Requesting without any expense is refused; the status is unchanged.
  AidTransition request;
  request.action = AidAction::request;
  request.on = day("2026-11-01");
  auto refused = usecases::transition_aided_project(*f.database, f.actor, created->project.id, request, std::nullopt,
                                                    kToday, std::nullopt);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().fields.at(0).code == "aided_project.request.no_expense");
  CHECK(f.count("aided_project_steps") == 1);
  CHECK(f.count("aided_projects", "status = 'planned'") == 1);
}
