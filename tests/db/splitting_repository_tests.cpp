// Stand-alone purchases and the rows of the anti-splitting view (schema/0012), on
// both backends.
#include <doctest/doctest.h>

#include "adapters/db/need_repository.hpp"
#include "adapters/db/splitting_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/fixtures.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
Amount euros(const char* text) { return *parse_amount(text, "a"); }

StandalonePurchase purchase(std::int64_t member, const char* amount, const char* date, const char* cpv = "30192000-1") {
  StandalonePurchase p;
  p.member_id = member;
  p.cpv = *CpvNomenclature::starter().validate(cpv, "cpv");
  p.label = "Fournitures de bureau";
  p.amount = euros(amount);
  p.purchased_on = day(date);
  p.supplier_name = "Papeterie de l'Aisne";
  p.supplier_reference = "BC-2026-001";
  return p;
}

struct Splitting : test::NetworkFixture {
  Tender tender_of(const char* launch, const char* title) {
    REQUIRE(db::create_need(*database, actor, test::valid_need(opal.id, "44810000-1", "300", "l", "10")).ok());
    REQUIRE(db::create_need(*database, actor, test::valid_need(reims.id, "44810000-1", "700", "l", "11")).ok());
    AggregationOptions options;
    options.contract_start = day("2026-01-01");
    auto needs = db::select_submitted_needs(*database, {});
    REQUIRE(needs.ok());
    auto proposal = propose_aggregation(*needs, options);
    REQUIRE(proposal.ok());
    Tender t;
    t.title = title;
    t.coordinator_member_id = opal.id;
    t.contract_start = day("2026-01-01");
    t.criteria = {{"prix", 60, true, false}, {"environnement", 40, false, true}};
    t.lots = lots_from_proposal(*proposal, CpvNomenclature::starter());
    t.launch_date = day(launch);
    auto created = db::create_tender(*database, actor, t);
    REQUIRE(created.ok());
    return *created;
  }
};

}  // namespace

TEST_CASE("stand-alone purchases: recorded, read back, listed by year and member, cancelled with a reason, audited") {
  Splitting f;
  auto a = db::create_standalone_purchase(*f.database, f.actor, purchase(f.opal.id, "20000.00", "2025-12-31"));
  REQUIRE(a.ok());
  auto b = db::create_standalone_purchase(*f.database, f.actor, purchase(f.opal.id, "19999.99", "2026-01-01"));
  auto c = db::create_standalone_purchase(*f.database, f.actor, purchase(f.reims.id, "0.01", "2026-12-31"));
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(to_string(a->cpv) == "30192000-1");
  CHECK(a->amount == euros("20000.00"));
  CHECK(a->purchased_on == day("2025-12-31"));
  CHECK(a->supplier_name == "Papeterie de l'Aisne");
  CHECK_FALSE(a->cancelled);
  CHECK(a->version == 1);
  CHECK(db::get_standalone_purchase(*f.database, a->id)->label == "Fournitures de bureau");
  CHECK(db::get_standalone_purchase(*f.database, 999999).error().code == ErrorCode::not_found);

  auto all = db::list_standalone_purchases(*f.database, {}, {});
  REQUIRE(all.ok());
  REQUIRE(all->items.size() == 3);
  CHECK(all->items[0].id == c->id);  // newest first
  auto y2026 = db::list_standalone_purchases(*f.database, {2026, std::nullopt}, {});
  CHECK(y2026->items.size() == 2);
  auto opal2026 = db::list_standalone_purchases(*f.database, {2026, f.opal.id}, {});
  REQUIRE(opal2026->items.size() == 1);
  CHECK(opal2026->items[0].id == b->id);
  auto page = db::list_standalone_purchases(*f.database, {}, {std::nullopt, 2});
  CHECK(page->items.size() == 2);
  REQUIRE(page->next_before_id);
  CHECK(db::list_standalone_purchases(*f.database, {}, {page->next_before_id, 2})->items.size() == 1);

  CHECK(db::standalone_purchases_of_year(*f.database, 2026, std::nullopt)->size() == 2);
  CHECK(db::standalone_purchases_of_year(*f.database, 2025, f.opal.id)->size() == 1);

  // A buyer may cancel on the day the purchase was recorded (a typing mistake; the day
  // after is refused: engine test "a buyer cancels a purchase only on the day…").
  CHECK(db::cancel_standalone_purchase(*f.database, f.actor, c->id, "erreur de saisie", std::nullopt, false).ok());

  // Cancelling: a reason, the version read, once.
  CHECK(db::cancel_standalone_purchase(*f.database, f.actor, b->id, "  ", std::nullopt, true).error().code ==
        ErrorCode::invalid);
  CHECK(db::cancel_standalone_purchase(*f.database, f.actor, b->id, "doublon", 7, true).error().code ==
        ErrorCode::stale);
  auto cancelled = db::cancel_standalone_purchase(*f.database, f.actor, b->id, "Saisi deux fois", 1, true);
  REQUIRE(cancelled.ok());
  CHECK(cancelled->cancelled);
  CHECK(cancelled->cancel_reason == "Saisi deux fois");
  CHECK(cancelled->version == 2);
  CHECK_FALSE(cancelled->cancelled_at.empty());
  auto again = db::cancel_standalone_purchase(*f.database, f.actor, b->id, "encore", std::nullopt, true);
  CHECK(again.error().code == ErrorCode::conflict);
  CHECK(again.error().rule == "standalone_purchase.already_cancelled");
  CHECK(db::cancel_standalone_purchase(*f.database, f.actor, 999999, "x", std::nullopt, true).error().code ==
        ErrorCode::not_found);
  CHECK(db::standalone_purchases_of_year(*f.database, 2026, f.opal.id)->empty());  // cancelled ones do not count
  CHECK(db::list_standalone_purchases(*f.database, {2026, f.opal.id}, {})->items.size() == 1);  // but are listed

  CHECK(f.count("audit_log", "entity = 'standalone_purchase' AND action = 'create'") == 3);
  CHECK(f.count("audit_log", "entity = 'standalone_purchase' AND action = 'cancel'") == 2);  // the buyer's and this one
}

TEST_CASE("stand-alone purchases: invalid ones are refused and nothing is written") {
  Splitting f;
  auto bad = purchase(f.opal.id, "1.00", "2026-01-01");
  bad.amount = Amount{0};
  auto refused = db::create_standalone_purchase(*f.database, f.actor, bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid);
  CHECK(refused.error().fields.at(0).field == "amount");
  auto ghost = purchase(987654, "1.00", "2026-01-01");  // no such member: the foreign key refuses it
  CHECK_FALSE(db::create_standalone_purchase(*f.database, f.actor, ghost).ok());
  CHECK(f.count("standalone_purchases") == 0);
  CHECK(f.count("audit_log", "entity = 'standalone_purchase'") == 0);
}

TEST_CASE("the year's joint tenders are read with their lots and member lines, cancelled ones left out") {
  Splitting f;
  const auto t2026 = f.tender_of("2026-12-31", "Peintures 2026");
  const auto t2027 = f.tender_of("2027-01-01", "Peintures 2027");
  auto read = db::joint_tenders_of_year(*f.database, 2026);
  REQUIRE(read.ok());
  REQUIRE(read->size() == 1);
  const auto& t = read->front();
  CHECK(t.id == t2026.id);
  CHECK(t.reference == t2026.reference);
  CHECK(t.procedure == t2026.procedure);
  CHECK(t.launch_date == day("2026-12-31"));
  REQUIRE(t.lots.size() == 1);
  CHECK(t.lots[0].cpv == "44810000-1");
  CHECK(t.lots[0].estimated_value == euros("10700.00"));  // 300 × 10 + 700 × 11
  REQUIRE(t.lots[0].members.size() == 2);
  CHECK(t.lots[0].members[0].member_id == f.opal.id);
  CHECK(t.lots[0].members[0].reference_value == euros("3000.00"));
  CHECK(db::joint_tenders_of_year(*f.database, 2027)->front().id == t2027.id);

  // The engine over the rows: the network's family 4481 in 2026, and OPAL's share.
  auto report = splitting_report({2026, std::nullopt, true}, *read, {}, ThresholdTable::defaults());
  REQUIRE(report.ok());
  REQUIRE(report->rows.size() == 3);  // OPAL, REIMS, the network
  CHECK(report->rows[2].scope == SplittingScope::joint);
  CHECK(report->rows[2].total == euros("10700.00"));

  REQUIRE(usecases::transition_tender(*f.database, f.actor, t2026.id, TenderStatus::cancelled, std::nullopt,
                                      day("2026-12-31"))
              .ok());
  CHECK(db::joint_tenders_of_year(*f.database, 2026)->empty());
}
