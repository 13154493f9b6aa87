#pragma once
// A network with two paint suppliers and three submitted needs (OPAL 300 l and
// Reims 700 l of paint 44810000-1, Oise 50 m2 of painting works 45442100-8), a
// tender drafted from their proposal and bids to record: the flow the repository
// and use-case suites share.
#include "adapters/db/need_repository.hpp"
#include "engine/aggregation.hpp"
#include "tests/support/fixtures.hpp"
#include "usecases/award.hpp"
#include "usecases/tender_lifecycle.hpp"

namespace canopee::test {

inline Date day(const char* text) { return *parse_date(text, "d"); }
inline Quantity qty(const char* t) { return *parse_quantity(t, "q"); }
inline UnitPrice price(const char* t) { return *parse_unit_price(t, "p"); }

struct TenderFlow : NetworkFixture {
  Supplier alpha, beta;
  std::int64_t opal_need = 0, reims_need = 0, oise_need = 0;

  TenderFlow() {
    alpha = supplier("Alpha Peintures", "38901234500010");
    beta = supplier("Beta Revêtements", "41234567000019");
    opal_need = db::create_need(*database, actor, valid_need(opal.id, "44810000-1", "300", "l", "10"))->id;
    reims_need = db::create_need(*database, actor, valid_need(reims.id, "44810000-1", "700", "l", "11"))->id;
    oise_need = db::create_need(*database, actor, valid_need(oise.id, "45442100-8", "50", "m2", "20"))->id;
  }

  Supplier supplier(const char* name, const char* siret) {
    Supplier s;
    s.name = name;
    s.siret = siret;
    s.department = *parse_department("02", "d");
    return *db::create_supplier(*database, actor, s);
  }

  Tender draft_from_proposal() {
    AggregationOptions options;
    options.contract_start = day("2026-01-01");
    options.duration_months = 12;
    auto needs = db::select_submitted_needs(*database, {});
    REQUIRE(needs.ok());
    auto proposal = propose_aggregation(*needs, options);
    REQUIRE(proposal.ok());
    Tender t;
    t.title = "Peintures 2026";
    t.coordinator_member_id = opal.id;
    t.contract_start = day("2026-01-01");
    t.duration_months = 12;
    t.criteria = {{"prix", 60, true, false}, {"technique", 30, false, false}, {"environnement", 10, false, true}};
    t.lots = lots_from_proposal(*proposal, CpvNomenclature::starter());
    t.allotment_justification = "un seul lot : fourniture homogène";
    t.launch_date = day("2026-09-01");
    t.environmental_conditions = "clause environnementale";  // L2112-2, from 2026-08-21
    t.social_considerations = "clause sociale";              // L2112-2-1
    return t;
  }

  Bid bid(const Supplier& s, std::vector<Tier> tiers, const char* technique, const char* environment) {
    Bid b;
    b.supplier_id = s.id;
    b.received_at = "2026-10-01T10:00:00Z";  // between the notice (2026-09-01) and the deadline
    b.tiers = std::move(tiers);
    b.scores = {{"technique", *parse_score(technique, "s")}, {"environnement", *parse_score(environment, "s")}};
    return b;
  }
};

// The flow's paint lot (OPAL 300 l + Reims 700 l) published on 2026-09-01 with a
// deadline on 2026-10-15, and two bids: Alpha 9.50 €, Beta 12 € (9 € from 500 l).
struct PaintLotWithBids : TenderFlow {
  Tender tender;
  Bid alpha_bid, beta_bid;

  PaintLotWithBids() {
    auto t = draft_from_proposal();
    t.bid_deadline = "2026-10-15T12:00:00Z";
    tender = *db::create_tender(*database, actor, t);
    REQUIRE(usecases::transition_tender(*database, actor, tender.id, TenderStatus::published, std::nullopt,
                                        day("2026-09-01"))
                .ok());
    alpha_bid = *db::create_bid(*database, actor, tender.id, lot_id(),
                                bid(alpha, {{qty("0"), price("9.5")}}, "80", "50"));
    beta_bid = *db::create_bid(*database, actor, tender.id, lot_id(),
                               bid(beta, {{qty("0"), price("12")}, {qty("500"), price("9")}}, "60", "100"));
  }
  std::int64_t lot_id() const { return tender.lots.at(0).id; }
  // Bids closed on 2026-10-16.
  void close() {
    REQUIRE(
        usecases::transition_tender(*database, actor, tender.id, TenderStatus::closed, std::nullopt, day("2026-10-16"))
            .ok());
  }
  // Closed, both bids declared regular, the lot awarded to Beta (it ranks first) on 2026-11-01.
  void award_to_beta() {
    close();
    declare_bids_valid(*database, actor, tender, day("2026-10-16"));
    REQUIRE(usecases::award_lot(*database, actor, tender.id, lot_id(), beta_bid.id, day("2026-11-01")).ok());
  }
};

}  // namespace canopee::test
