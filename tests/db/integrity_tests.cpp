// Issue 14 ("Hardening"), items 1–4, on each backend: shared costs split each on
// its own and removable, pooling on the version read, bids that overflow the lot
// refused, inactive members kept out of anything new. Figures computed by hand.
#include <doctest/doctest.h>

#include <atomic>
#include <numeric>
#include <thread>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/bid_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/fixtures.hpp"
#include "usecases/award.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/shared_costs.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
Quantity qty(const char* t) { return *parse_quantity(t, "q"); }
UnitPrice price(const char* t) { return *parse_unit_price(t, "p"); }
Amount eur(const char* t) { return *parse_amount(t, "a"); }

// Two lots in different units: paint (l) for OPAL and REIMS, electricity (MWh)
// for REIMS and OISE. Participants: OPAL, REIMS, OISE (in id order).
struct TwoUnits : test::NetworkFixture {
  Supplier alpha;
  std::int64_t opal_paint = 0, reims_paint = 0, reims_power = 0, oise_power = 0;

  TwoUnits() {
    Supplier s;
    s.name = "Alpha Peintures";
    s.siret = "38901234500010";
    s.department = *parse_department("02", "d");
    alpha = *db::create_supplier(*database, actor, s);
    opal_paint = db::create_need(*database, actor, test::valid_need(opal.id, "44810000-1", "300", "l", "10"))->id;
    reims_paint = db::create_need(*database, actor, test::valid_need(reims.id, "44810000-1", "700", "l", "11"))->id;
    reims_power = db::create_need(*database, actor, test::valid_need(reims.id, "09310000-5", "2000", "MWh", "150"))->id;
    oise_power = db::create_need(*database, actor, test::valid_need(oise.id, "09310000-5", "1000", "MWh", "150"))->id;
  }

  Tender draft() {
    AggregationOptions options;
    options.contract_start = day("2026-01-01");
    auto needs = db::select_submitted_needs(*database, {});
    REQUIRE(needs.ok());
    auto proposal = propose_aggregation(*needs, options);
    REQUIRE(proposal.ok());
    Tender t;
    t.title = "Peintures et électricité 2026";
    t.coordinator_member_id = opal.id;
    t.contract_start = day("2026-01-01");
    t.criteria = {{"prix", 60, true, false}, {"technique", 30, false, false}, {"environnement", 10, false, true}};
    t.lots = lots_from_proposal(*proposal, CpvNomenclature::starter());
    t.bid_deadline = "2026-10-15T12:00:00Z";
    t.launch_date = day("2026-09-01");
    t.environmental_conditions = "clause environnementale";  // L2112-2, from 2026-08-21
    t.social_considerations = "clause sociale";              // L2112-2-1
    return t;
  }

  Tender published() {
    auto created = db::create_tender(*database, actor, draft());
    REQUIRE(created.ok());
    REQUIRE(created->lots.size() == 2);
    auto t = usecases::transition_tender(*database, actor, created->id, TenderStatus::published, std::nullopt,
                                         day("2026-09-01"));
    REQUIRE(t.ok());
    return *t;
  }

  void close(const Tender& t) {
    REQUIRE(usecases::transition_tender(*database, actor, t.id, TenderStatus::closed, std::nullopt, day("2026-10-16"))
                .ok());
    test::declare_bids_valid(*database, actor, t, day("2026-10-16"));
  }

  static const Lot& lot_in(const Tender& t, Unit unit) {
    return *std::find_if(t.lots.begin(), t.lots.end(), [&](const Lot& l) { return l.unit == unit; });
  }

  Bid valid_bid(const Tender& t, const Lot& lot, const char* unit_price) {
    Bid b;
    b.supplier_id = alpha.id;
    b.received_at = "2026-10-01T10:00:00Z";  // between the notice and the deadline
    b.tiers = {{Quantity{0}, price(unit_price)}};
    b.scores = {{"technique", *parse_score("50", "s")}, {"environnement", *parse_score("50", "s")}};
    auto created = db::create_bid(*database, actor, t.id, lot.id, b);
    REQUIRE(created.ok());
    return *created;  // declared valid when the tender closes
  }

  SharedCost cost(const char* label, const char* amount, CostKey key, std::vector<FixedShare> shares = {}) {
    return {label, eur(amount), key, std::move(shares), false};
  }

  // A cost stored as the server did before its key was checked (issue 14).
  std::int64_t legacy_cost(std::int64_t tender_id, const char* key) {
    auto c = database->acquire();
    REQUIRE(c.ok());
    long long tender = tender_id, id = 0;
    const std::string k = key;
    c->sql() << "INSERT INTO shared_costs (tender_id, label, amount, cost_key, subsidy_eligible, created_at) "
                "VALUES (:tender, 'Ancien frais', 5000, :key, 0, '2026-09-02T00:00:00Z')",
        soci::use(tender), soci::use(k);
    c->sql() << "SELECT MAX(id) FROM shared_costs", soci::into(id);
    return id;
  }

  std::vector<std::string> shares_of(const db::StoredCost& c) {
    std::vector<std::string> out;
    for (const auto& m : c.split) out.push_back(to_string(m.share));
    return out;
  }
};

const db::StoredCost& named(const std::vector<db::StoredCost>& costs, const std::string& label) {
  const auto it = std::find_if(costs.begin(), costs.end(),
                               [&](const db::StoredCost& c) { return c.cost.label == label; });
  REQUIRE(it != costs.end());
  return *it;
}

std::int64_t sum_of(const db::StoredCost& c) {
  return std::accumulate(c.split.begin(), c.split.end(), std::int64_t{0},
                         [](std::int64_t s, const MemberCost& m) { return s + m.share.cents; });
}

}  // namespace

TEST_CASE("integrity: a quantity key on lots in different units is refused, and no cost erases another") {
  TwoUnits f;
  const auto t = f.published();
  using V = std::vector<std::string>;

  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, t.id, f.cost("Publicité", "1800.00", CostKey::contract_value))
              .ok());
  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, t.id, f.cost("Juridique", "1000.00", CostKey::equal)).ok());
  const int audit = f.count("audit_log");
  auto refused = usecases::add_shared_cost(*f.database, f.actor, t.id, f.cost("Quantités", "50.00", CostKey::quantity));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid);
  CHECK(refused.error().fields.at(0).field == "key");
  CHECK(f.count("shared_costs") == 2);
  CHECK(f.count("audit_log") == audit);

  // A quantity cost stored before the check: it stays unallocated, alone.
  const auto legacy = f.legacy_cost(t.id, "quantity");
  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, t.id,
                                    f.cost("Coordination", "2000.00", CostKey::fixed,
                                           {{f.opal.id, 4000}, {f.reims.id, 3000}, {f.oise.id, 3000}}))
              .ok());
  auto costs = *db::list_shared_costs(*f.database, t.id);
  REQUIRE(costs.size() == 4);
  CHECK(named(costs, "Publicité").split.empty());  // nothing awarded yet
  CHECK(named(costs, "Ancien frais").split.empty());
  // 1,000.00 € between OPAL, REIMS, OISE: 333.333… each, the spare cent to the lowest id.
  CHECK(f.shares_of(named(costs, "Juridique")) == V{"333.34", "333.33", "333.33"});
  CHECK(f.shares_of(named(costs, "Coordination")) == V{"800.00", "600.00", "600.00"});  // 40 / 30 / 30 %

  // The paint lot awarded at 9.00 €: OPAL 300 l → 2,700.00, REIMS 700 l → 6,300.00,
  // OISE nothing; the electricity lot unsuccessful.
  const auto paint = TwoUnits::lot_in(t, Unit::l);
  const auto bid = f.valid_bid(t, paint, "9");
  f.close(t);
  REQUIRE(usecases::award_lot(*f.database, f.actor, t.id, paint.id, bid.id, day("2026-11-01")).ok());
  REQUIRE(
      usecases::declare_lot_unsuccessful(*f.database, f.actor, t.id, TwoUnits::lot_in(t, Unit::MWh).id, "aucune offre")
          .ok());
  costs = *db::list_shared_costs(*f.database, t.id);
  // 1,800 × 2,700 / 9,000 = 540.00; 1,800 × 6,300 / 9,000 = 1,260.00.
  CHECK(f.shares_of(named(costs, "Publicité")) == V{"540.00", "1260.00", "0.00"});
  CHECK(f.shares_of(named(costs, "Juridique")) == V{"333.34", "333.33", "333.33"});
  CHECK(f.shares_of(named(costs, "Coordination")) == V{"800.00", "600.00", "600.00"});
  CHECK(named(costs, "Ancien frais").split.empty());

  // The bad cost removed, with its audit row; the others untouched.
  auto left = usecases::remove_shared_cost(*f.database, f.actor, t.id, legacy);
  REQUIRE(left.ok());
  CHECK(left->size() == 3);
  for (const auto& c : *left) CHECK(sum_of(c) == c.cost.amount.cents);
  CHECK(f.count("shared_costs") == 3);
  CHECK(f.count("shared_cost_shares") == 3);  // the fixed cost's
  CHECK(f.count("audit_log", "entity = 'shared_cost' AND action = 'delete' AND before_json IS NOT NULL") == 1);
  CHECK(usecases::remove_shared_cost(*f.database, f.actor, t.id, legacy).error().code == ErrorCode::not_found);
  // A cost is removed through its own tender only.
  const auto fixed_id = named(*left, "Coordination").id;
  CHECK(usecases::remove_shared_cost(*f.database, f.actor, t.id + 1000, fixed_id).error().code == ErrorCode::not_found);
  REQUIRE(usecases::remove_shared_cost(*f.database, f.actor, t.id, fixed_id).ok());
  CHECK(f.count("shared_cost_shares") == 0);
}

TEST_CASE("integrity: with every lot unsuccessful, fixed and equal costs are allocated to the cent") {
  TwoUnits f;
  const auto t = f.published();
  using V = std::vector<std::string>;
  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, t.id, f.cost("Publicité", "1800.00", CostKey::contract_value))
              .ok());
  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, t.id, f.cost("Juridique", "1000.00", CostKey::equal)).ok());
  f.close(t);
  for (const auto& lot : t.lots)
    REQUIRE(usecases::declare_lot_unsuccessful(*f.database, f.actor, t.id, lot.id, "aucune offre").ok());
  CHECK(db::get_tender(*f.database, t.id)->status == TenderStatus::awarded);  // every lot settled

  REQUIRE(usecases::add_shared_cost(*f.database, f.actor, t.id,
                                    f.cost("Coordination", "100.00", CostKey::fixed,
                                           {{f.opal.id, 3334}, {f.reims.id, 6666}}))
              .ok());
  // Nothing can ever be split by contract value now: refused, naming the key.
  auto refused = usecases::add_shared_cost(*f.database, f.actor, t.id,
                                           f.cost("Annonce", "10.00", CostKey::contract_value));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().fields.at(0).field == "key");

  auto costs = *db::list_shared_costs(*f.database, t.id);
  REQUIRE(costs.size() == 3);
  CHECK(f.shares_of(named(costs, "Juridique")) == V{"333.34", "333.33", "333.33"});
  CHECK(f.shares_of(named(costs, "Coordination")) == V{"33.34", "66.66", "0.00"});  // 33.34 % and 66.66 % of 100.00
  // The contract-value cost recorded earlier cannot be split: it is shown so and can be removed.
  CHECK(named(costs, "Publicité").split.empty());
  REQUIRE(usecases::remove_shared_cost(*f.database, f.actor, t.id, named(costs, "Publicité").id).ok());
  const auto remaining = *db::list_shared_costs(*f.database, t.id);
  for (const auto& c : remaining) CHECK(sum_of(c) == c.cost.amount.cents);
}

TEST_CASE("integrity: a cancelled tender's shared costs no longer change") {
  TwoUnits f;
  const auto t = f.published();
  auto cost = usecases::add_shared_cost(*f.database, f.actor, t.id, f.cost("Juridique", "1000.00", CostKey::equal));
  REQUIRE(cost.ok());
  REQUIRE(usecases::transition_tender(*f.database, f.actor, t.id, TenderStatus::cancelled, std::nullopt,
                                      day("2026-09-10"), {std::nullopt, "besoin abandonné (R2185-1)"})
              .ok());
  CHECK(usecases::remove_shared_cost(*f.database, f.actor, t.id, cost->id).error().code == ErrorCode::conflict);
  CHECK(f.count("shared_costs") == 1);
}

TEST_CASE("integrity: a tender pools its needs on the version the proposal read") {
  TwoUnits f;
  const auto stale = f.draft();
  // The buyer of REIMS edits its paint need (700 → 900 l) after the proposal was read.
  auto need = *db::get_need(*f.database, f.reims_paint);
  need.quantity = qty("900");
  REQUIRE(db::update_need(*f.database, f.actor, need).ok());

  const int audit = f.count("audit_log");
  auto refused = db::create_tender(*f.database, f.actor, stale);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  REQUIRE(refused.error().fields.size() == 1);
  CHECK(refused.error().fields[0].field == "needs." + std::to_string(f.reims_paint));
  CHECK(refused.error().message.find(std::to_string(f.reims_paint)) != std::string::npos);
  CHECK(f.count("tenders") == 0);
  CHECK(f.count("lots") == 0);
  CHECK(f.count("needs", "status = 'submitted'") == 4);
  CHECK(f.count("audit_log") == audit);

  // Read again: the lot line holds the 900 l the need now says.
  auto created = db::create_tender(*f.database, f.actor, f.draft());
  REQUIRE(created.ok());
  const auto& paint = TwoUnits::lot_in(*created, Unit::l);
  const auto reims = std::find_if(paint.members.begin(), paint.members.end(),
                                  [&](const LotMemberLine& m) { return m.member_id == f.reims.id; });
  REQUIRE(reims != paint.members.end());
  CHECK(to_string(reims->quantity) == "900");
  CHECK(to_string(paint.quantity) == "1200");  // 300 + 900
}

TEST_CASE("integrity: a bid whose total overflows the lot is refused; one stored before is excluded alone") {
  TwoUnits f;
  const auto t = f.published();
  const auto paint = TwoUnits::lot_in(t, Unit::l);    // 1,000 l
  const auto power = TwoUnits::lot_in(t, Unit::MWh);  // 3,000 MWh
  const auto flat = [&](const char* unit_price) {
    Bid b;
    b.supplier_id = f.alpha.id;
    b.received_at = "2026-10-01T10:00:00Z";
    b.tiers = {{Quantity{0}, price(unit_price)}};
    return b;
  };
  // 1,000 l × 1,000,000,000.0000 € = 1,000,000,000,000.00 €: exactly the largest amount.
  REQUIRE(db::create_bid(*f.database, f.actor, t.id, paint.id, flat("1000000000")).ok());
  // 3,000 MWh at the same price: 3,000,000,000,000 €, beyond.
  const int bids = f.count("bids");
  auto refused = db::create_bid(*f.database, f.actor, t.id, power.id, flat("1000000000"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid);
  CHECK(refused.error().fields.at(0).field == "unit_price");
  CHECK(f.count("bids") == bids);
  CHECK(f.count("audit_log", "entity = 'bid' AND action = 'create'") == 1);

  // 3,000 × 300,000,000 € = 900,000,000,000 € fits; raised to 400,000,000 € in a
  // PATCH it would be 1,200,000,000,000 €: refused, the bid unchanged.
  auto fits = db::create_bid(*f.database, f.actor, t.id, power.id, flat("300000000"));
  REQUIRE(fits.ok());
  Bid raised = *fits;
  raised.tiers = {{Quantity{0}, price("400000000")}};
  auto patch = db::update_bid(*f.database, f.actor, raised);
  REQUIRE_FALSE(patch.ok());
  CHECK(patch.error().code == ErrorCode::invalid);
  CHECK(patch.error().fields.at(0).field == "unit_price");
  CHECK(db::get_bid(*f.database, fits->id)->tiers == fits->tiers);

  // The same bid as stored before the check (1,000,000,000 € on 3,000 MWh), then
  // rejected: the lot is still evaluated and awarded to another bid.
  {
    auto c = f.database->acquire();
    REQUIRE(c.ok());
    long long id = fits->id;
    c->sql() << "UPDATE bid_tiers SET unit_price = 10000000000000 WHERE bid_id = :bid", soci::use(id);
    c->sql() << "UPDATE bids SET regularity = 'irregular' WHERE id = :bid", soci::use(id);
  }
  Supplier s;
  s.name = "Beta Énergie";
  s.siret = "41234567000019";
  s.department = *parse_department("02", "d");
  const auto beta = *db::create_supplier(*f.database, f.actor, s);
  Bid good;
  good.supplier_id = beta.id;
  good.received_at = "2026-10-01T11:00:00Z";
  good.tiers = {{Quantity{0}, price("140")}};
  good.scores = {{"technique", *parse_score("50", "s")}, {"environnement", *parse_score("50", "s")}};
  auto stored = db::create_bid(*f.database, f.actor, t.id, power.id, good);
  REQUIRE(stored.ok());
  f.close(t);
  auto evaluation = usecases::evaluate_tender(*f.database, t.id);
  REQUIRE(evaluation.ok());
  auto awarded = usecases::award_lot(*f.database, f.actor, t.id, power.id, stored->id, day("2026-11-01"));
  REQUIRE_MESSAGE(awarded.ok(), (awarded.ok() ? "" : awarded.error().message));
  auto contracts = db::list_contracts(*f.database, f.oise.id, {});
  REQUIRE(contracts->items.size() == 1);
  CHECK(to_string(contracts->items[0].amount) == "140000.00");  // 1,000 MWh × 140.00
}

TEST_CASE("integrity: an inactive member records no need, is not pooled, joins no new tender") {
  TwoUnits f;
  // A tender awarded while REIMS is active: its contracts stand afterwards.
  const auto before = f.published();
  const auto paint = TwoUnits::lot_in(before, Unit::l);
  const auto bid = f.valid_bid(before, paint, "9");
  f.close(before);
  REQUIRE(usecases::award_lot(*f.database, f.actor, before.id, paint.id, bid.id, day("2026-11-01")).ok());
  REQUIRE(usecases::declare_lot_unsuccessful(*f.database, f.actor, before.id, TwoUnits::lot_in(before, Unit::MWh).id,
                                             "aucune")
              .ok());

  // New needs, and a proposal read while REIMS is still active.
  REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.opal.id, "44810000-1", "10", "l", "10")).ok());
  REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.reims.id, "44810000-1", "20", "l", "10")).ok());
  REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.oise.id, "44810000-1", "30", "l", "10")).ok());
  const auto read_before = f.draft();

  auto reims = *db::get_member(*f.database, f.reims.id);
  reims.active = false;
  REQUIRE(db::update_member(*f.database, f.actor, reims).ok());

  const int needs = f.count("needs");
  auto one = db::create_need(*f.database, f.actor, test::valid_need(f.reims.id));
  REQUIRE_FALSE(one.ok());
  CHECK(one.error().code == ErrorCode::conflict);
  CHECK(one.error().fields.at(0).field == "member");
  std::vector<Need> batch = {test::valid_need(f.reims.id), test::valid_need(f.reims.id)};
  CHECK(db::insert_needs_bulk(*f.database, f.actor, batch).error().code == ErrorCode::conflict);
  CHECK(f.count("needs") == needs);

  // Its needs are left out of proposals …
  auto submitted = *db::select_submitted_needs(*f.database, {});
  CHECK(std::none_of(submitted.begin(), submitted.end(), [&](const Need& n) { return n.member_id == f.reims.id; }));
  CHECK(submitted.size() == 3);  // OISE's electricity (back from the unsuccessful lot), OPAL's and OISE's paint
  // … and a proposal read before it was set inactive is refused.
  auto refused = db::create_tender(*f.database, f.actor, read_before);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().fields.at(0).field == "proposal");
  CHECK(f.count("tenders") == 1);
  auto without = db::create_tender(*f.database, f.actor, f.draft());
  REQUIRE(without.ok());
  REQUIRE(without->lots.size() == 1);
  CHECK(without->lots[0].members.size() == 2);  // OPAL and OISE
  // An inactive member coordinates no new tender either.
  auto coordinated = read_before;
  coordinated.coordinator_member_id = f.reims.id;
  CHECK(db::create_tender(*f.database, f.actor, coordinated).error().fields.at(0).field == "coordinator_member_id");

  // Existing contracts unchanged: REIMS 700 l × 9.00 = 6,300.00.
  auto contracts = db::list_contracts(*f.database, f.reims.id, {});
  REQUIRE(contracts->items.size() == 1);
  CHECK(to_string(contracts->items[0].amount) == "6300.00");
}

TEST_CASE("integrity: costs recorded at the same time on one tender are all split, each to the cent") {
  TwoUnits f;
  const auto t = f.published();
  constexpr int kThreads = 4, kEach = 5;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j) {
        const auto label = "Frais " + std::to_string(i) + "-" + std::to_string(j);
        auto added = usecases::add_shared_cost(*f.database, f.actor, t.id,
                                               f.cost(label.c_str(), "10.00", CostKey::equal));
        if (!added) {
          MESSAGE(added.error().message);
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  auto costs = db::list_shared_costs(*f.database, t.id);
  REQUIRE(costs.ok());
  CHECK(costs->size() == kThreads * kEach);
  for (const auto& c : *costs) {
    CHECK(c.split.size() == 3);  // OPAL, REIMS, OISE
    CHECK(sum_of(c) == 1000);    // 3.34 + 3.33 + 3.33
  }
}

TEST_CASE("bid decisions: checked against the lot, recorded with their date and author, audited, append-only") {
  TwoUnits f;
  const auto t = f.published();
  const Lot& paint = TwoUnits::lot_in(t, Unit::l);
  // Three bids at 10.00 € and one at 8.709 €, equal on the other criteria: per unit
  // m1 = m2 = 9.67725 €, and 8.709 € < 0.9 × 9.67725 = 8.709525 €: flagged.
  std::vector<Bid> bids;
  const char* sirets[] = {"41234567000019", "73282932000074", "55208131766522"};
  bids.push_back(f.valid_bid(t, paint, "10"));
  for (std::size_t i = 0; i < 3; ++i) {
    Supplier s;
    s.name = std::string("Fournisseur ") + sirets[i];
    s.siret = sirets[i];
    s.department = *parse_department("80", "d");
    Bid b;
    b.supplier_id = db::create_supplier(*f.database, f.actor, s)->id;
    b.received_at = "2026-10-01T10:00:00Z";  // between the notice and the deadline
    b.tiers = {{Quantity{0}, price(i == 2 ? "8.709" : "10")}};
    b.scores = {{"technique", *parse_score("50", "s")}, {"environnement", *parse_score("50", "s")}};
    bids.push_back(*db::create_bid(*f.database, f.actor, t.id, paint.id, b));
  }
  const Bid low = bids.back();
  const Date today = day("2026-10-16");
  const BidDecision ask{BidDecisionKind::explanations_requested, "", "Justifiez votre prix.", day("2026-10-26")};

  // Sealed until the close: nothing is decided or written.
  const auto audit = test::count_rows(*f.database, "audit_log");
  auto early = usecases::record_bid_decision(*f.database, f.actor, low.id, std::nullopt, ask, day("2026-10-01"));
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().rule == "bid.decision.tender_not_closed");
  REQUIRE(usecases::transition_tender(*f.database, f.actor, t.id, TenderStatus::closed, std::nullopt, today).ok());
  const auto closed_audit = test::count_rows(*f.database, "audit_log");
  CHECK(closed_audit == audit + 1);  // the close alone

  // The lot's evaluation decides whether explanations may be asked at once.
  CHECK(usecases::record_bid_decision(*f.database, f.actor, bids[0].id, std::nullopt, ask, today).error().rule ==
        "bid.decision.not_flagged");
  // A stale version changes nothing.
  CHECK(usecases::record_bid_decision(*f.database, f.actor, low.id, low.version + 1, ask, today).error().code ==
        ErrorCode::stale);
  CHECK(test::count_rows(*f.database, "bid_decisions") == 0);
  CHECK(test::count_rows(*f.database, "audit_log") == closed_audit);

  auto asked = usecases::record_bid_decision(*f.database, f.actor, low.id, low.version, ask, today);
  REQUIRE_MESSAGE(asked.ok(), (asked.ok() ? "" : asked.error().message));
  CHECK(asked->review.price_review == PriceReview::requested);
  CHECK(asked->review.requested_on == today);
  CHECK(asked->review.deadline == day("2026-10-26"));
  CHECK(asked->version == low.version + 1);
  REQUIRE(asked->decisions.size() == 1);
  CHECK(asked->decisions[0].decision.kind == BidDecisionKind::explanations_requested);
  CHECK(asked->decisions[0].decision.request == "Justifiez votre prix.");
  CHECK(asked->decisions[0].decision.deadline == day("2026-10-26"));
  CHECK(asked->decisions[0].author_user_id == 0);  // a command: no user
  CHECK_FALSE(asked->decisions[0].recorded_at.empty());
  CHECK(test::count_rows(*f.database, "audit_log") == closed_audit + 1);
  {
    auto c = f.database->acquire();
    REQUIRE(c.ok());
    std::string action;
    c->sql() << "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1", soci::into(action);
    CHECK(action == "decision:explanations_requested");
  }

  REQUIRE(usecases::record_bid_decision(*f.database, f.actor, low.id, std::nullopt,
                                        {BidDecisionKind::explanations_received, "", "", std::nullopt, today}, today)
              .ok());
  auto refused = usecases::record_bid_decision(
      *f.database, f.actor, low.id, std::nullopt,
      {BidDecisionKind::explanations_refused, "Prix non justifié.", "", std::nullopt, std::nullopt, {1, 3}}, today);
  REQUIRE(refused.ok());
  CHECK(refused->review.price_review == PriceReview::refused);
  REQUIRE(refused->decisions.size() == 3);
  CHECK(refused->decisions[2].decision.grounds == std::vector<int>{1, 3});
  CHECK(refused->decisions[2].decision.reason == "Prix non justifié.");
  // Rejected (R2152-4): out of the ranking.
  auto evaluation = usecases::evaluate_tender(*f.database, t.id);
  REQUIRE(evaluation.ok());
  for (const auto& [lot, e] : *evaluation) {
    if (lot.id != paint.id) continue;
    const auto it = std::find_if(e.bids.begin(), e.bids.end(),
                                 [&](const BidEvaluation& b) { return b.bid_id == low.id; });
    REQUIRE(it != e.bids.end());
    CHECK_FALSE(it->rank.has_value());
    CHECK(it->reason_code == "bid.excluded.abnormally_low");
  }

  // The history is append-only, for the application and the owner alike.
  auto c = f.database->acquire();
  REQUIRE(c.ok());
  CHECK_THROWS(c->sql() << "UPDATE bid_decisions SET reason = 'effacé'");
  CHECK_THROWS(c->sql() << "DELETE FROM bid_decisions");
  CHECK(test::count_rows(*f.database, "bid_decisions") == 3);
}

TEST_CASE(
    "ties: the tender's tie-break is stored; a draw is checked, recorded, audited, append-only and ranks the tie") {
  TwoUnits f;
  auto draft = f.draft();
  draft.tie_break = TieBreak::lowest_price;
  auto created = db::create_tender(*f.database, f.actor, draft);
  REQUIRE(created.ok());
  CHECK(created->tie_break == TieBreak::lowest_price);
  created->tie_break = TieBreak::heaviest_criterion;
  auto updated = db::update_tender(*f.database, f.actor, *created);
  REQUIRE(updated.ok());
  CHECK(db::get_tender(*f.database, created->id)->tie_break == TieBreak::heaviest_criterion);
  auto t = *usecases::transition_tender(*f.database, f.actor, created->id, TenderStatus::published, std::nullopt,
                                        day("2026-09-01"));
  const Lot& paint = TwoUnits::lot_in(t, Unit::l);
  // Two bids equal in everything: 10.00 € per litre, technique 50, environment 50.
  const auto first = f.valid_bid(t, paint, "10");
  Supplier beta;
  beta.name = "Beta Peintures";
  beta.siret = "41234567000019";
  beta.department = *parse_department("80", "d");
  f.alpha = *db::create_supplier(*f.database, f.actor, beta);  // the next bid's supplier
  const auto second = f.valid_bid(t, paint, "10");
  const db::DrawRequest request{db::DrawMethod::manual,
                                {second.id, first.id},
                                "Tirage en commission le 16 octobre 2026."};
  CHECK(usecases::record_draw(*f.database, f.actor, t.id, paint.id, request).error().rule == "draw.lot_not_open");
  f.close(t);

  const auto evaluated = [&] {
    auto all = usecases::evaluate_tender(*f.database, t.id);
    REQUIRE(all.ok());
    return std::find_if(all->begin(), all->end(), [&](const auto& p) { return p.first.id == paint.id; })->second;
  };
  auto e = evaluated();
  REQUIRE(e.ties_to_draw.size() == 1);
  CHECK(e.bids[0].rank == 1);
  CHECK(e.bids[1].rank == 1);

  const auto audit = test::count_rows(*f.database, "audit_log");
  CHECK(usecases::record_draw(*f.database, f.actor, t.id, paint.id, {db::DrawMethod::manual, {first.id}, "PV"})
            .error()
            .rule == "draw.order_too_short");
  CHECK(usecases::record_draw(*f.database, f.actor, t.id, 999999, request).error().code == ErrorCode::not_found);
  CHECK(test::count_rows(*f.database, "lot_draws") == 0);
  CHECK(test::count_rows(*f.database, "audit_log") == audit);

  auto draw = usecases::record_draw(*f.database, f.actor, t.id, paint.id, request);
  REQUIRE_MESSAGE(draw.ok(), (draw.ok() ? "" : draw.error().message));
  CHECK(draw->order == std::vector<std::int64_t>{second.id, first.id});
  CHECK(draw->method == db::DrawMethod::manual);
  CHECK(draw->minutes == request.minutes);
  CHECK(draw->author_user_id == 0);  // a command: no user
  CHECK_FALSE(draw->recorded_at.empty());
  CHECK(test::count_rows(*f.database, "audit_log") == audit + 1);
  const auto listed = db::list_lot_draws(*f.database, t.id, paint.id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().id == draw->id);

  e = evaluated();
  CHECK(e.ties_to_draw.empty());
  CHECK(e.bids[0].bid_id == second.id);
  CHECK(e.bids[0].draw_id == draw->id);
  CHECK(e.bids[1].rank == 2);
  // The award follows the draw.
  CHECK(usecases::award_lot(*f.database, f.actor, t.id, paint.id, first.id, day("2026-10-20")).error().rule ==
        "award.better_bid_awardable");
  CHECK(usecases::award_lot(*f.database, f.actor, t.id, paint.id, second.id, day("2026-10-20")).ok());

  auto c = f.database->acquire();
  REQUIRE(c.ok());
  CHECK_THROWS(c->sql() << "UPDATE lot_draws SET bid_order = '1,2'");
  CHECK_THROWS(c->sql() << "DELETE FROM lot_draws");
  CHECK(test::count_rows(*f.database, "lot_draws") == 1);
}

TEST_CASE("marks after the opening: a mark given changes only with a reason, written to the audit trail") {
  TwoUnits f;
  const auto t = f.published();
  const Lot& paint = TwoUnits::lot_in(t, Unit::l);
  auto bid = f.valid_bid(t, paint, "10");
  f.close(t);
  bid = *db::get_bid(*f.database, bid.id);
  auto changed = bid;
  changed.scores = {{"technique", *parse_score("55", "s")}, {"environnement", *parse_score("50", "s")}};
  const auto audit = test::count_rows(*f.database, "audit_log");
  CHECK(db::update_bid(*f.database, f.actor, changed).error().rule == "bid.scores.reason_required");
  CHECK(test::count_rows(*f.database, "audit_log") == audit);
  auto updated = db::update_bid(*f.database, f.actor, changed, "note corrigée après relecture du rapport d’analyse");
  REQUIRE(updated.ok());
  REQUIRE(updated->scores.size() == 2);
  const auto technique = std::find_if(updated->scores.begin(), updated->scores.end(),
                                      [](const CriterionScore& s) { return s.criterion == "technique"; });
  REQUIRE(technique != updated->scores.end());
  CHECK(technique->score == 55'0000);
  auto c = f.database->acquire();
  REQUIRE(c.ok());
  std::string after;
  c->sql() << "SELECT CAST(after_json AS TEXT) FROM audit_log ORDER BY id DESC LIMIT 1", soci::into(after);
  CHECK(after.find("note corrigée après relecture du rapport d’analyse") != std::string::npos);
}
