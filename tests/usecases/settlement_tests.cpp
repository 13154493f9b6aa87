// The use cases that settle a lot and the reads they rest on, on both backends,
// without HTTP: the refusals carry their stable codes and change nothing; the
// batched bid reads give back what was stored; the evaluation read in one snapshot.
#include <doctest/doctest.h>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/bid_repository.hpp"
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

namespace {

using Settlement = test::PaintLotWithBids;

}  // namespace

TEST_CASE("use case award: refusals carry their codes and leave every table as it was") {
  Settlement f;
  const int audit = f.count("audit_log");
  // Published, not closed: the bids are not opened yet.
  auto early = usecases::award_lot(*f.database, f.actor, f.tender.id, f.lot_id(), f.beta_bid.id, day("2026-10-01"));
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == ErrorCode::conflict);
  CHECK(early.error().rule == "lot.settle.tender_not_closed");
  CHECK(early.error().message.find("publiée") != std::string::npos);
  CHECK(
      usecases::declare_lot_unsuccessful(*f.database, f.actor, f.tender.id, f.lot_id(), "aucune offre").error().rule ==
      "lot.settle.tender_not_closed");
  // A lot of another tender, or no tender at all.
  CHECK(usecases::award_lot(*f.database, f.actor, f.tender.id, 999999, f.beta_bid.id, day("2026-10-01")).error().rule ==
        "lot.not_found");
  CHECK(usecases::award_lot(*f.database, f.actor, 999999, f.lot_id(), f.beta_bid.id, day("2026-10-01")).error().rule ==
        "tender.not_found");
  CHECK(f.count("awards") == 0);
  CHECK(f.count("contracts") == 0);
  CHECK(f.count("savings_lines") == 0);
  CHECK(f.count("audit_log") == audit);

  f.close();
  test::declare_bids_valid(*f.database, f.actor, f.tender, day("2026-10-16"));
  // Beta ranks first (88 against 85.8421): Alpha cannot be preferred to it.
  CHECK(usecases::award_lot(*f.database, f.actor, f.tender.id, f.lot_id(), f.alpha_bid.id, day("2026-11-01"))
            .error()
            .rule == "award.better_bid_awardable");
  REQUIRE(usecases::award_lot(*f.database, f.actor, f.tender.id, f.lot_id(), f.beta_bid.id, day("2026-11-01")).ok());
  const int audit_after = f.count("audit_log");
  // Settled once only, whichever way.
  auto again = usecases::award_lot(*f.database, f.actor, f.tender.id, f.lot_id(), f.beta_bid.id, day("2026-11-02"));
  CHECK(again.error().code == ErrorCode::conflict);
  CHECK(again.error().rule == "lot.settled");
  CHECK(usecases::declare_lot_unsuccessful(*f.database, f.actor, f.tender.id, f.lot_id(), "erreur").error().rule ==
        "lot.settled");
  CHECK(f.count("awards") == 1);
  CHECK(f.count("contracts") == 2);  // OPAL and Reims
  CHECK(f.count("savings_lines") == 2);
  CHECK(f.count("audit_log") == audit_after);
}

TEST_CASE("use case award: the contracts, savings and cost split written, figures by hand") {
  Settlement f;
  // 1,500.00 € of publicity split by contract value, not subsidised.
  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, f.tender.id,
                                    {"Publicité", *parse_amount("1500.00", "a"), CostKey::contract_value, {}, false})
              .ok());
  f.close();
  test::declare_bids_valid(*f.database, f.actor, f.tender, day("2026-10-16"));
  auto awarded = usecases::award_lot(*f.database, f.actor, f.tender.id, f.lot_id(), f.beta_bid.id, day("2026-11-01"));
  REQUIRE(awarded.ok());
  CHECK(awarded->status == TenderStatus::awarded);
  // 1,000 l at Beta's second tier, 9.00 €: OPAL 300 × 9 = 2,700.00, Reims 700 × 9 = 6,300.00.
  auto contracts = db::list_contracts(*f.database, std::nullopt, {});
  REQUIRE(contracts->items.size() == 2);
  std::map<std::int64_t, std::string> amounts;
  for (const auto& c : contracts->items) amounts[c.member_id] = to_string(c.amount);
  CHECK(amounts[f.opal.id] == "2700.00");
  CHECK(amounts[f.reims.id] == "6300.00");
  // Reims alone (700 l) reaches the 500 l tier: 6,300.00 alone too, so no pooling effect;
  // its reference 700 × 11 = 7,700.00, so 1,400.00 saved by competition.
  auto savings = db::savings_of_tender(*f.database, f.tender.id);
  REQUIRE(savings->size() == 2);
  const auto& reims = (*savings)[0].line.member_id == f.reims.id ? (*savings)[0].line : (*savings)[1].line;
  CHECK(to_string(reims.standalone) == "6300.00");
  CHECK(to_string(reims.pooling_effect) == "0.00");
  CHECK(to_string(reims.savings) == "1400.00");
  CHECK((*savings)[0].awarded_on == day("2026-11-01"));
  // The cost split again at the award: 1,500 × 2,700 / 9,000 = 450.00 and 1,050.00.
  auto costs = db::list_shared_costs(*f.database, f.tender.id);
  REQUIRE(costs->size() == 1);
  REQUIRE((*costs)[0].split.size() == 2);
  std::map<std::int64_t, std::string> shares;
  for (const auto& m : (*costs)[0].split) shares[m.member_id] = to_string(m.share);
  CHECK(shares[f.opal.id] == "450.00");
  CHECK(shares[f.reims.id] == "1050.00");
}

TEST_CASE("bid reads: a lot's bids read together equal each bid read alone, tiers, marks and decisions included") {
  Settlement f;
  f.close();
  // Both declared regular, on two days.
  REQUIRE(usecases::record_bid_decision(*f.database, f.actor, f.alpha_bid.id, std::nullopt, {BidDecisionKind::valid},
                                        day("2026-10-16"))
              .ok());
  REQUIRE(usecases::record_bid_decision(*f.database, f.actor, f.beta_bid.id, std::nullopt, {BidDecisionKind::valid},
                                        day("2026-10-17"))
              .ok());
  auto lot_bids = db::list_bids(*f.database, f.lot_id());
  REQUIRE(lot_bids.ok());
  REQUIRE(lot_bids->size() == 2);
  for (const auto& b : *lot_bids) {
    auto alone = db::get_bid(*f.database, b.id);
    REQUIRE(alone.ok());
    CHECK(alone->tiers == b.tiers);
    REQUIRE(alone->scores.size() == b.scores.size());
    for (std::size_t i = 0; i < b.scores.size(); ++i) {
      CHECK(alone->scores[i].criterion == b.scores[i].criterion);
      CHECK(alone->scores[i].score == b.scores[i].score);
    }
    CHECK(alone->review == b.review);
    CHECK(alone->decisions.size() == b.decisions.size());
    CHECK(alone->version == b.version);
  }
  const auto& beta = (*lot_bids)[1];
  CHECK(beta.id == f.beta_bid.id);
  REQUIRE(beta.tiers.size() == 2);
  CHECK(to_string(beta.tiers[1].min_quantity) == "500");
  CHECK(to_string(beta.tiers[1].unit_price) == "9.0000");
  REQUIRE(beta.scores.size() == 2);
  CHECK(beta.scores[0].criterion == "environnement");  // by criterion name
  REQUIRE(beta.decisions.size() == 1);
  CHECK(beta.decisions[0].decision.kind == BidDecisionKind::valid);
  CHECK(beta.review.regularity == Regularity::valid);
  // A stale version is refused with its code, and records nothing.
  const int decisions = f.count("bid_decisions");
  auto stale = usecases::record_bid_decision(*f.database, f.actor, f.beta_bid.id, f.beta_bid.version,
                                             {BidDecisionKind::valid}, day("2026-10-18"));
  CHECK(stale.error().code == ErrorCode::stale);
  CHECK(stale.error().rule == "bid.stale");
  CHECK(f.count("bid_decisions") == decisions);
}

TEST_CASE("use case evaluation: every lot of the tender, read in one snapshot") {
  Settlement f;
  f.close();
  test::declare_bids_valid(*f.database, f.actor, f.tender, day("2026-10-16"));
  auto evaluation = usecases::evaluate_tender(*f.database, f.tender.id);
  REQUIRE(evaluation.ok());
  REQUIRE(evaluation->size() == 1);
  const auto& bids = (*evaluation)[0].second.bids;
  REQUIRE(bids.size() == 2);
  // Price 60: Alpha 9,500.00 €, Beta 9,000.00 € → Beta 60, Alpha 60 × 9,000 / 9,500 = 56.8421;
  // technique 30: Beta 60 → 18, Alpha 80 → 24; environment 10: Beta 100 → 10, Alpha 50 → 5.
  CHECK(bids[0].bid_id == f.beta_bid.id);
  CHECK(format_score(bids[0].weighted_total) == "88.0000");
  CHECK(format_score(bids[1].weighted_total) == "85.8421");
  CHECK(usecases::evaluate_tender(*f.database, 999999).error().rule == "tender.not_found");
}
