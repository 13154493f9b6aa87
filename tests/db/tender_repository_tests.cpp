#include <doctest/doctest.h>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/bid_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/shared_costs.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;

using test::day;
using test::price;
using test::qty;
using Flow = test::TenderFlow;

TEST_CASE("the whole flow: proposal → tender → publish → bids → close → award, figures by hand") {
  Flow f;
  auto created = db::create_tender(*f.database, f.actor, f.draft_from_proposal());
  REQUIRE(created.ok());
  CHECK(created->reference.rfind("CNP-", 0) == 0);
  CHECK(created->status == TenderStatus::draft);
  REQUIRE(created->lots.size() == 1);
  const auto& lot = created->lots[0];
  CHECK(lot.cpv == "44810000-1");
  CHECK(lot.title == "Peintures");
  CHECK(to_string(lot.quantity) == "1000");
  CHECK(to_string(lot.estimated_value) == "10700.00");  // 3,000 + 7,700
  CHECK(lot.need_ids == std::vector<std::int64_t>{f.opal_need, f.reims_need});
  CHECK(db::get_need(*f.database, f.opal_need)->status == NeedStatus::pooled);
  CHECK(db::get_need(*f.database, f.oise_need)->status == NeedStatus::submitted);  // its lot had one member

  // publishing needs a deadline
  auto refused = usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::published, std::nullopt,
                                             day("2026-09-01"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().fields.at(0).field == "bid_deadline");
  Tender edited = *created;
  edited.bid_deadline = "2026-10-15T12:00:00Z";
  auto updated = db::update_tender(*f.database, f.actor, edited);
  REQUIRE(updated.ok());
  CHECK(db::update_tender(*f.database, f.actor, edited).error().code == ErrorCode::stale);
  auto published = usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::published,
                                               updated->version, day("2026-09-01"));
  REQUIRE(published.ok());
  CHECK(db::get_need(*f.database, f.reims_need)->status == NeedStatus::tendered);
  CHECK(db::update_tender(*f.database, f.actor, *published).error().code == ErrorCode::conflict);  // edit after publish

  // shared cost before any contract: stored, split later
  auto cost =
      usecases::add_shared_cost(*f.database, f.actor, created->id,
                                {"Publicité BOAMP", *parse_amount("1000.00", "a"), CostKey::contract_value, {}, true});
  REQUIRE(cost.ok());
  CHECK(cost->split.empty());

  auto a = db::create_bid(*f.database, f.actor, created->id, lot.id,
                          f.bid(f.alpha, {{qty("0"), price("9.5")}}, "80", "50"));
  auto b = db::create_bid(*f.database, f.actor, created->id, lot.id,
                          f.bid(f.beta, {{qty("0"), price("12")}, {qty("500"), price("9")}}, "60", "100"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(db::create_bid(*f.database, f.actor, created->id, lot.id, f.bid(f.alpha, {{qty("0"), price("1")}}, "1", "1"))
            .error()
            .code == ErrorCode::conflict);  // one bid per supplier and lot
  // Regularity is examined once the bids are opened, not before.
  CHECK(usecases::record_bid_decision(*f.database, f.actor, a->id, std::nullopt, {BidDecisionKind::valid},
                                      day("2026-10-01"))
            .error()
            .code == ErrorCode::conflict);

  // award before close: refused
  CHECK(usecases::award_lot(*f.database, f.actor, created->id, lot.id, b->id, day("2026-11-01")).error().code ==
        ErrorCode::conflict);
  REQUIRE(usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::closed, std::nullopt,
                                      day("2026-10-16"))
              .ok());
  test::declare_bids_valid(*f.database, f.actor, *created, day("2026-10-16"));
  auto evaluation = usecases::evaluate_tender(*f.database, created->id);
  REQUIRE(evaluation.ok());
  const auto& bids = (*evaluation)[0].second.bids;
  CHECK(bids[0].bid_id == b->id);  // 60 + 18 + 10 = 88 against 56.84 + 24 + 5 = 85.84
  CHECK(format_score(bids[0].weighted_total) == "88.0000");
  CHECK(format_score(bids[1].weighted_total) == "85.8421");
  CHECK(usecases::award_lot(*f.database, f.actor, created->id, lot.id, a->id, day("2026-11-01")).error().code ==
        ErrorCode::conflict);

  auto awarded = usecases::award_lot(*f.database, f.actor, created->id, lot.id, b->id, day("2026-11-01"));
  REQUIRE(awarded.ok());
  CHECK(awarded->status == TenderStatus::awarded);  // its only lot is settled
  CHECK(awarded->lots[0].status == LotStatus::awarded);
  CHECK(db::get_need(*f.database, f.opal_need)->status == NeedStatus::awarded);

  auto contracts = db::list_contracts(*f.database, f.opal.id, {});
  REQUIRE(contracts->items.size() == 1);
  CHECK(to_string(contracts->items[0].amount) == "2700.00");  // 300 × 9.00
  CHECK(contracts->items[0].supplier_id == f.beta.id);
  CHECK(db::list_contracts(*f.database, std::nullopt, {})->items.size() == 2);

  auto savings = db::savings_of_tender(*f.database, created->id);
  REQUIRE(savings->size() == 2);
  const auto& opal = (*savings)[0].line.member_id == f.opal.id ? (*savings)[0].line : (*savings)[1].line;
  CHECK(to_string(opal.reference) == "3000.00");
  CHECK(to_string(opal.standalone) == "3600.00");  // alone below 500 l: 12.00
  CHECK(to_string(opal.pooling_effect) == "900.00");
  CHECK(to_string(opal.competition_effect) == "-600.00");

  auto costs = db::list_shared_costs(*f.database, created->id);
  REQUIRE(costs->size() == 1);
  REQUIRE((*costs)[0].split.size() == 2);
  CHECK(to_string((*costs)[0].split[0].share) == "300.00");    // 1,000 × 2,700 / 9,000
  CHECK(to_string((*costs)[0].split[1].subsidy) == "420.00");  // 60 % × 700
  CHECK((*costs)[0].subsidy_rate_bp == 6000);

  CHECK(f.count("audit_log", "entity = 'tender'") >= 5);  // create, update, publish, close, awarded
  CHECK(f.count("audit_log", "entity = 'lot' AND action = 'award'") == 1);
  CHECK(f.count("audit_log", "entity = 'bid'") == 4);
  // once awarded, nothing moves
  CHECK(usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::cancelled, std::nullopt,
                                    day("2026-11-02"))
            .error()
            .code == ErrorCode::conflict);
}

TEST_CASE("a failure in the middle of an award leaves nothing behind") {
  Flow f;
  auto tender = *db::create_tender(*f.database, f.actor, [&] {
    auto t = f.draft_from_proposal();
    t.bid_deadline = "2026-10-15T12:00:00Z";
    return t;
  }());
  REQUIRE(usecases::transition_tender(*f.database, f.actor, tender.id, TenderStatus::published, std::nullopt,
                                      day("2026-09-01"))
              .ok());
  const auto lot_id = tender.lots[0].id;
  auto b = *db::create_bid(*f.database, f.actor, tender.id, lot_id,
                           f.bid(f.beta, {{qty("0"), price("9")}}, "60", "100"));
  REQUIRE(usecases::transition_tender(*f.database, f.actor, tender.id, TenderStatus::closed, std::nullopt,
                                      day("2026-10-16"))
              .ok());
  test::declare_bids_valid(*f.database, f.actor, tender, day("2026-10-16"));
  {
    // A stray contract row makes the award's second contract insert fail.
    auto c = f.database->acquire();
    long long lot = lot_id, member = f.reims.id, supplier = f.beta.id;
    c->sql() << "INSERT INTO contracts (lot_id, member_id, supplier_id, quantity, unit_price, amount, awarded_at) "
                "VALUES (:lot, :member, :supplier, 1, 1, 1, '2026-01-01T00:00:00Z')",
        soci::use(lot), soci::use(member), soci::use(supplier);
  }
  const int audit_before = f.count("audit_log");
  auto failed = usecases::award_lot(*f.database, f.actor, tender.id, lot_id, b.id, day("2026-11-01"));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == ErrorCode::conflict);
  CHECK(f.count("awards") == 0);
  CHECK(f.count("contracts") == 1);  // only the stray row
  CHECK(f.count("savings_lines") == 0);
  CHECK(f.count("lots", "status = 'open'") == 1);
  CHECK(f.count("needs", "status = 'tendered'") == 2);
  CHECK(f.count("audit_log") == audit_before);
}

TEST_CASE("unsuccessful lots and cancelled tenders give the needs back") {
  Flow f;
  auto tender = *db::create_tender(*f.database, f.actor, [&] {
    auto t = f.draft_from_proposal();
    t.bid_deadline = "2026-10-15T12:00:00Z";
    return t;
  }());
  const auto lot_id = tender.lots[0].id;
  CHECK(usecases::declare_lot_unsuccessful(*f.database, f.actor, tender.id, lot_id, "aucune offre").error().code ==
        ErrorCode::conflict);
  REQUIRE(usecases::transition_tender(*f.database, f.actor, tender.id, TenderStatus::published, std::nullopt,
                                      day("2026-09-01"))
              .ok());
  REQUIRE(usecases::transition_tender(*f.database, f.actor, tender.id, TenderStatus::closed, std::nullopt,
                                      day("2026-10-16"))
              .ok());
  CHECK(usecases::declare_lot_unsuccessful(*f.database, f.actor, tender.id, lot_id, " ").error().code ==
        ErrorCode::invalid);
  auto settled = usecases::declare_lot_unsuccessful(*f.database, f.actor, tender.id, lot_id, "aucune offre reçue");
  REQUIRE(settled.ok());
  CHECK(settled->lots[0].status == LotStatus::unsuccessful);
  CHECK(settled->lots[0].unsuccessful_reason == "aucune offre reçue");
  CHECK(settled->status == TenderStatus::awarded);  // every lot settled
  CHECK(db::get_need(*f.database, f.opal_need)->status == NeedStatus::submitted);

  // the freed needs can go into a new tender, which can be cancelled
  auto second = db::create_tender(*f.database, f.actor, f.draft_from_proposal());
  REQUIRE(second.ok());
  CHECK(db::get_need(*f.database, f.reims_need)->status == NeedStatus::pooled);
  auto cancelled = usecases::transition_tender(*f.database, f.actor, second->id, TenderStatus::cancelled, std::nullopt,
                                               day("2026-09-01"));
  REQUIRE(cancelled.ok());
  CHECK(db::get_need(*f.database, f.reims_need)->status == NeedStatus::submitted);
  CHECK(usecases::transition_tender(*f.database, f.actor, second->id, TenderStatus::published, std::nullopt,
                                    day("2026-09-01"))
            .error()
            .code == ErrorCode::conflict);
}

TEST_CASE("a proposal gone stale is refused whole") {
  Flow f;
  const auto draft = f.draft_from_proposal();
  REQUIRE(db::withdraw_need(*f.database, f.actor, f.reims_need, std::nullopt).ok());
  auto refused = db::create_tender(*f.database, f.actor, draft);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(f.count("tenders") == 0);
  CHECK(f.count("lots") == 0);
  CHECK(db::get_need(*f.database, f.opal_need)->status == NeedStatus::submitted);
  CHECK(db::get_tender(*f.database, 1234).error().code == ErrorCode::not_found);
}

TEST_CASE("the execution conditions are stored, edited while draft and required at publication (L2112-2)") {
  Flow f;
  auto draft = f.draft_from_proposal();
  draft.bid_deadline = "2026-10-15T12:00:00Z";
  draft.environmental_conditions = "";
  draft.social_considerations = "insertion : 5 % des heures — « clause »";
  auto created = db::create_tender(*f.database, f.actor, draft);
  REQUIRE(created.ok());
  CHECK(created->environmental_conditions.empty());
  CHECK(created->social_considerations == "insertion : 5 % des heures — « clause »");
  CHECK(created->social_exception.empty());
  // Launched on 2026-09-01, after 2026-08-21: refused without environmental conditions.
  auto refused = usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::published, std::nullopt,
                                             day("2026-09-01"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().rule == "tender.environmental_conditions.missing");
  CHECK(db::get_tender(*f.database, created->id)->status == TenderStatus::draft);
  // Too long: refused, nothing written.
  Tender edited = *created;
  edited.environmental_conditions = std::string(4001, 'e');
  auto too_long = db::update_tender(*f.database, f.actor, edited);
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().fields.at(0).field == "environmental_conditions");
  CHECK(db::get_tender(*f.database, created->id)->version == created->version);
  edited.environmental_conditions = "peintures en phase aqueuse, pots repris";
  edited.social_exception = "sans objet";
  auto updated = db::update_tender(*f.database, f.actor, edited);
  REQUIRE(updated.ok());
  CHECK(updated->environmental_conditions == "peintures en phase aqueuse, pots repris");
  CHECK(updated->social_exception == "sans objet");
  auto published = usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::published, std::nullopt,
                                               day("2026-09-01"));
  REQUIRE(published.ok());
  CHECK(published->environmental_conditions == "peintures en phase aqueuse, pots repris");
}
