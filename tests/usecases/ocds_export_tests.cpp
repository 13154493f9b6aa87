// The OCDS 1.1 release package of a tender followed through its award chain, on both
// backends (docs/reports.md): the tender's status from its lots', tenderPeriod and
// awardPeriod, each award dated by its decision and pending until a contract of its
// lot is signed, each member contract pending until notified, an unsuccessful lot, a
// cancelled tender. With CANOPEE_OCDS_EXPORT_FILE set (the CTest entry
// conformance.ocds.export), the final package, the cancelled tender's release added,
// is written there for tests/conformance/ocds_test.py to validate against the
// official schemas.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/open_data.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/reports.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;
using test::day;
namespace json = boost::json;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }

// The flow's needs and Reims's 30 m2 of painting works beside Oise's 50 m2: a tender of
// two lots, lot 1 paint (OPAL 300 l, Reims 700 l) with two bids as in PaintLotWithBids,
// lot 2 painting works without a bid; published on 2026-09-01 (the notice at midnight
// in Paris, 2026-08-31T22:00:00Z), deadline 2026-10-15T12:00:00Z.
struct Chain : test::TenderFlow {
  Tender tender;
  Bid alpha_bid, beta_bid;

  Chain() {
    REQUIRE(db::create_need(*database, actor, test::valid_need(reims.id, "45442100-8", "30", "m2", "20")).ok());
    auto t = draft_from_proposal();
    t.bid_deadline = "2026-10-15T12:00:00Z";
    tender = *db::create_tender(*database, actor, t);
    REQUIRE(tender.lots.size() == 2);
    REQUIRE(tender.lots.at(0).cpv == "44810000-1");
    REQUIRE(usecases::transition_tender(*database, actor, tender.id, TenderStatus::published, std::nullopt,
                                        day("2026-09-01"))
                .ok());
    alpha_bid = *db::create_bid(*database, actor, tender.id, lot_id(),
                                bid(alpha, {{test::qty("0"), test::price("9.5")}}, "80", "50"));
    beta_bid = *db::create_bid(*database, actor, tender.id, lot_id(),
                               bid(beta, {{test::qty("0"), test::price("12")}, {test::qty("500"), test::price("9")}},
                                   "60", "100"));
  }
  std::int64_t lot_id() const { return tender.lots.at(0).id; }
  // Closed on 2026-10-16, both bids regular, the paint lot awarded to Beta on 2026-11-01.
  void award_to_beta() {
    REQUIRE(
        usecases::transition_tender(*database, actor, tender.id, TenderStatus::closed, std::nullopt, day("2026-10-16"))
            .ok());
    test::declare_bids_valid(*database, actor, tender, day("2026-10-16"));
    REQUIRE(usecases::award_lot(*database, actor, tender.id, lot_id(), beta_bid.id, day("2026-11-01")).ok());
  }
  json::value package;

  const json::object& release(const char* now = "2026-11-20T09:00:00Z") { return release_of(tender.id, now); }
  const json::object& release_of(std::int64_t tender_id, const char* now = "2026-11-20T09:00:00Z") {
    auto exported = reports::ocds(*database, tender_id, "ocds-cnp000", "urn:canopee:tender", now);
    REQUIRE(exported.ok());
    package = std::move(exported).value();
    return package.at("releases").at(0).as_object();
  }
  std::int64_t works_lot() const { return tender.lots.at(1).id; }
  std::vector<db::ContractDates> contracts() {
    auto chain = usecases::award_chain(*database, tender.id, lot_id(), day("2026-11-20"));
    REQUIRE(chain.ok());
    return chain->contracts;
  }
};

const json::object& lot_of(const json::object& release, int index) {
  return release.at("tender").at("lots").at(static_cast<std::size_t>(index)).as_object();
}

std::string text(const json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST_CASE("OCDS export: a tender through its award chain, an unsuccessful lot, a cancelled tender") {
  Chain f;
  std::set<std::string> release_ids;

  // Published: open for bids until the deadline; evaluation starts at the deadline.
  {
    const auto& r = f.release();
    release_ids.insert(text(r.at("id")));
    CHECK(r.at("tag") == json::array{"tender"});
    CHECK(text(r.at("ocid")) == "ocds-cnp000-" + f.tender.reference);
    CHECK(text(r.at("id")).rfind(text(r.at("ocid")) + "-tender-v", 0) == 0);
    const auto& t = r.at("tender");
    CHECK(t.at("status") == "active");
    CHECK(t.at("tenderPeriod") ==
          json::object{{"startDate", "2026-08-31T22:00:00Z"}, {"endDate", "2026-10-15T12:00:00Z"}});
    CHECK(t.at("awardPeriod") == json::object{{"startDate", "2026-10-15T12:00:00Z"}});
    // 12 months from 2026-01-01.
    CHECK(t.at("contractPeriod") ==
          json::object{{"startDate", "2026-01-01T00:00:00Z"}, {"endDate", "2026-12-31T00:00:00Z"}});
    CHECK(lot_of(r, 0).at("status") == "active");
    CHECK(lot_of(r, 1).at("status") == "active");
    CHECK_FALSE(r.contains("awards"));
  }

  // Closed on 2026-10-16 (midnight in Paris, summer time: 2026-10-15T22:00:00Z), the
  // paint lot awarded to Beta on 2026-11-01: the award pending, its contracts pending.
  f.award_to_beta();
  {
    const auto& r = f.release();
    release_ids.insert(text(r.at("id")));
    CHECK(r.at("tag") == json::array{"award"});
    const auto& t = r.at("tender");
    CHECK(t.at("status") == "active");  // lot 2 still open
    CHECK(t.at("awardPeriod") == json::object{{"startDate", "2026-10-15T22:00:00Z"}});
    CHECK(lot_of(r, 0).at("status") == "complete");
    CHECK(lot_of(r, 1).at("status") == "active");
    REQUIRE(r.at("awards").as_array().size() == 1);
    const auto& award = r.at("awards").at(0);
    CHECK(award.at("id") == "award-lot-1");
    CHECK(award.at("status") == "pending");
    CHECK(award.at("date") == "2026-11-01T00:00:00Z");
    // 1,000 l at Beta's 9.00 € (its 500 l tier): 2,700.00 € + 6,300.00 €.
    CHECK(formats::serialize_exact(award.at("value").at("amount")) == "9000.00");
    CHECK(text(award.at("relatedBid")) == "bid-" + std::to_string(f.beta_bid.id));
    REQUIRE(r.at("contracts").as_array().size() == 2);
    for (const auto& c : r.at("contracts").as_array()) {
      CHECK(c.at("status") == "pending");
      CHECK(c.at("awardID") == "award-lot-1");
      CHECK_FALSE(c.as_object().contains("dateSigned"));
      CHECK_FALSE(c.as_object().contains("period"));
    }
  }

  // The letters on 2026-11-02 (adapted procedure, no standstill chosen): nothing the
  // release carries changes, nor its id. Lot 2, without a bid, declared unsuccessful:
  // every lot settled, the tender complete, its award period ends on the decision.
  for (const auto& [bid_id, kind] :
       {std::pair{f.beta_bid.id, LetterKind::award}, std::pair{f.alpha_bid.id, LetterKind::rejection}}) {
    REQUIRE(
        usecases::prepare_and_record_letter(*f.database, f.actor, f.tender.id, f.lot_id(),
                                            {bid_id, kind, SendingMeans::electronic, utc("2026-11-02T10:00:00Z"), {}},
                                            utc("2026-11-02T12:00:00Z"), day("2026-11-02"))
            .ok());
  }
  CHECK(release_ids.count(text(f.release().at("id"))) == 1);
  REQUIRE(
      usecases::declare_lot_unsuccessful(*f.database, f.actor, f.tender.id, f.works_lot(), "aucune offre reçue").ok());
  {
    const auto& r = f.release();
    release_ids.insert(text(r.at("id")));
    CHECK(r.at("tag") == json::array{"award"});
    const auto& t = r.at("tender");
    CHECK(t.at("status") == "complete");
    CHECK(t.at("awardPeriod") ==
          json::object{{"startDate", "2026-10-15T22:00:00Z"}, {"endDate", "2026-11-01T00:00:00Z"}});
    CHECK(lot_of(r, 1).at("status") == "unsuccessful");
    REQUIRE(r.at("awards").as_array().size() == 2);
    CHECK(r.at("awards").at(1) == json::object{{"id", "award-lot-2"},
                                               {"title", f.tender.lots.at(1).title},
                                               {"status", "unsuccessful"},
                                               {"relatedLots", json::array{"lot-2"}},
                                               {"description", "aucune offre reçue"}});
  }

  // Both contracts signed on 2026-11-03: the award active; the contracts still pending.
  for (const auto& c : f.contracts()) {
    REQUIRE(
        usecases::sign_contract(*f.database, f.actor, c.id, std::nullopt, day("2026-11-03"), day("2026-11-03")).ok());
  }
  {
    const auto& r = f.release();
    release_ids.insert(text(r.at("id")));
    CHECK(r.at("tag") == json::array{"contract"});
    CHECK(r.at("awards").at(0).at("status") == "active");
    for (const auto& c : r.at("contracts").as_array()) {
      CHECK(c.at("status") == "pending");
      CHECK(c.at("dateSigned") == "2026-11-03T00:00:00Z");
    }
  }

  // OPAL's notified on 2026-11-04, Reims's on 2026-11-05: each active from its day.
  std::map<std::string, std::string> notified;
  for (const auto& c : f.contracts()) {
    const char* on = c.member_id == f.opal.id ? "2026-11-04" : "2026-11-05";
    REQUIRE(usecases::notify_contract(*f.database, f.actor, c.id, std::nullopt, day(on), day(on)).ok());
    notified["contract-" + std::to_string(c.id)] = std::string(on) + "T00:00:00Z";
  }
  const auto& done = f.release();
  release_ids.insert(text(done.at("id")));
  REQUIRE(done.at("contracts").as_array().size() == 2);
  for (const auto& c : done.at("contracts").as_array()) {
    CHECK(c.at("status") == "active");
    CHECK(c.at("dateSigned") == "2026-11-03T00:00:00Z");
    CHECK(text(c.at("period").at("startDate")) == notified.at(text(c.at("id"))));
  }
  // Each state its own release id (the letters changed nothing the release shows).
  CHECK(release_ids.size() == 5);

  // Deterministic: the same state and clock give the same bytes.
  const std::string once = formats::serialize_exact(f.package);
  f.release();
  CHECK(formats::serialize_exact(f.package) == once);
  auto combined = f.package;

  // A second tender of the same network on the works needs lot 2 gave back, published
  // then cancelled: cancelled, its lot too.
  auto draft = f.draft_from_proposal();
  REQUIRE(draft.lots.size() == 1);
  draft.bid_deadline = "2026-12-20T12:00:00Z";
  auto second = db::create_tender(*f.database, f.actor, draft);
  REQUIRE(second.ok());
  REQUIRE(usecases::transition_tender(*f.database, f.actor, second->id, TenderStatus::published, std::nullopt,
                                      day("2026-11-06"))
              .ok());
  REQUIRE(usecases::transition_tender(*f.database, f.actor, second->id, TenderStatus::cancelled, std::nullopt,
                                      day("2026-11-10"), {std::nullopt, "besoin repris dans un autre marché"})
              .ok());
  const auto& cancelled = f.release_of(second->id);
  CHECK(cancelled.at("tag") == json::array{"tenderCancellation"});
  CHECK(text(cancelled.at("ocid")) == "ocds-cnp000-" + second->reference);
  CHECK(cancelled.at("tender").at("status") == "cancelled");
  CHECK(cancelled.at("tender").at("awardPeriod") == json::object{{"startDate", "2026-12-20T12:00:00Z"}});
  CHECK(lot_of(cancelled, 0).at("status") == "cancelled");
  CHECK_FALSE(cancelled.contains("awards"));

  // Written for the conformance test (CTest's conformance.ocds.export): one package,
  // the cancelled tender's release beside the first.
  combined.at("releases").as_array().push_back(cancelled);
  if (const char* path = std::getenv("CANOPEE_OCDS_EXPORT_FILE")) {
    std::ofstream(path) << formats::serialize_exact(combined) << "\n";
  }
}
