// Modifications stored and read on both backends: the effect the orders and the ledger
// apply to a contract's maximum, their numbers, their audit rows, append-only rows, and
// two recordings racing for the last of the de minimis share: one passes, never both.
// OPAL's contract of the paint lot is awarded to Beta on 2026-11-01 and notified on
// 2026-11-04; the modifications are signed on 2026-11-10, recorded on 2026-11-20.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "adapters/db/modification_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/modifications.hpp"
#include "usecases/orders.hpp"

using namespace canopee;
using test::day;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }

struct OpalInForce : test::PaintLotWithBids {
  std::int64_t contract = 0;

  OpalInForce() {
    award_to_beta();
    for (const auto& [bid_id, kind] :
         {std::pair{beta_bid.id, LetterKind::award}, std::pair{alpha_bid.id, LetterKind::rejection}}) {
      REQUIRE(
          usecases::prepare_and_record_letter(*database, actor, tender.id, lot_id(),
                                              {bid_id, kind, SendingMeans::electronic, utc("2026-11-02T10:00:00Z"), {}},
                                              utc("2026-11-02T12:00:00Z"), day("2026-11-02"))
              .ok());
    }
    auto chain = usecases::award_chain(*database, tender.id, lot_id(), day("2026-11-03"));
    REQUIRE(chain.ok());
    for (const auto& c : chain->contracts) {
      if (c.member_id == opal.id) contract = c.id;
    }
    REQUIRE(
        usecases::sign_contract(*database, actor, contract, std::nullopt, day("2026-11-03"), day("2026-11-03")).ok());
    REQUIRE(
        usecases::notify_contract(*database, actor, contract, std::nullopt, day("2026-11-04"), day("2026-11-04")).ok());
  }

  Result<usecases::ContractModifications> record(ModificationGround ground, std::int64_t change, int months = 0) {
    Modification m;
    m.ground = ground;
    m.object = "Teintes supplémentaires";
    m.justification = "Les résidences rénovées demandent des teintes supplémentaires";
    m.signed_on = day("2026-11-10");
    m.amount_change = change;
    m.months_change = months;
    return usecases::record_modification(*database, actor, ThresholdTable::defaults(), contract, m,
                                         utc("2026-11-20T09:00:00Z"), day("2026-11-20"));
  }

  db::ModificationEffect effect() {
    auto c = database->acquire();
    REQUIRE(c.ok());
    return db::modification_effect(c->sql(), contract);
  }
};

}  // namespace

TEST_CASE("modifications: the effect on the maximum, numbered, audited, append-only") {
  OpalInForce f;
  auto before = f.effect();
  CHECK(before.count == 0);
  CHECK(before.amount_change == 0);
  const auto view = usecases::contract_modifications(*f.database, f.contract);
  REQUIRE(view.ok());
  CHECK(view->modifications.empty());
  const auto initial = view->summary.initial;
  REQUIRE(initial > 0);
  const auto audit = test::count_rows(*f.database, "audit_log");

  REQUIRE(f.record(ModificationGround::additional, initial / 2, 6).ok());
  auto second = f.record(ModificationGround::unforeseen, -100);
  REQUIRE(second.ok());
  CHECK(second->modifications.size() == 2);
  CHECK(second->modifications[0].modification.number == 1);
  CHECK(second->modifications[1].modification.number == 2);
  CHECK(second->modifications[1].recorded_at == "2026-11-20T09:00:00Z");
  CHECK(second->summary.current == initial + initial / 2 - 100);
  const auto effect = f.effect();
  CHECK(effect.count == 2);
  CHECK(effect.amount_change == initial / 2 - 100);
  CHECK(effect.months_change == 6);
  CHECK(test::count_rows(*f.database, "audit_log") == audit + 2);

  // Refused: nothing written.
  const auto over = f.record(ModificationGround::additional, initial / 2 + 1);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().rule == "modification.over_half");
  CHECK(f.effect().count == 2);
  CHECK(test::count_rows(*f.database, "audit_log") == audit + 2);
  const auto unknown = usecases::contract_modifications(*f.database, 999'999);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().rule == "contract.not_found");
  const auto other = usecases::contract_modifications(*f.database, f.contract, f.reims.id);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().code == ErrorCode::not_found);

  auto c = f.database->acquire();
  REQUIRE(c.ok());
  CHECK_THROWS(c->sql() << "UPDATE contract_modifications SET amount_change = 0");
  CHECK_THROWS(c->sql() << "DELETE FROM contract_modifications");
  CHECK(db::load_modifications(c->sql(), f.contract).size() == 2);
}

TEST_CASE("modifications: two de minimis recordings racing for the last of the 10 %: one passes") {
  OpalInForce f;
  const auto view = usecases::contract_modifications(*f.database, f.contract);
  REQUIRE(view.ok());
  const auto six_percent = view->summary.initial * 6 / 100;  // two of them: 12 %, over the 10 %
  std::atomic<int> passed{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      const auto r = f.record(ModificationGround::de_minimis, six_percent);
      (r.ok() ? passed : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(passed == 1);
  CHECK(refused == 1);
  CHECK(f.effect().count == 1);
  CHECK(f.effect().amount_change == six_percent);
}

TEST_CASE("modifications: the ledger's maximum and end follow them (the orders' check reads the same)") {
  OpalInForce f;
  const auto before = usecases::contract_ledger_of(*f.database, f.contract, std::nullopt, day("2026-11-20"));
  REQUIRE(before.ok());
  REQUIRE(before->ledger.end.has_value());
  REQUIRE(f.record(ModificationGround::additional, 10'000, 3).ok());
  const auto after = usecases::contract_ledger_of(*f.database, f.contract, std::nullopt, day("2026-11-20"));
  REQUIRE(after.ok());
  CHECK(after->ledger.maximum == before->ledger.maximum + 10'000);
  CHECK(after->ledger.remaining == before->ledger.remaining + 10'000);
  // The last day moves by the 3 months added: notification + 15 months − 1 day.
  CHECK(*after->ledger.end == add_days(add_months(add_days(*before->ledger.end, 1), 3), -1));
}
