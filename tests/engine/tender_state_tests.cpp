// The tender and lot state machines: which transitions exist, when a lot may be
// settled, and the French names officers read.
#include <doctest/doctest.h>

#include "engine/tender.hpp"

using namespace canopee;

namespace {

Tender tender_in(TenderStatus status, LotStatus lot_status) {
  Tender t;
  t.id = 7;
  t.status = status;
  Lot lot;
  lot.id = 70;
  lot.status = lot_status;
  t.lots.push_back(lot);
  return t;
}

}  // namespace

TEST_CASE("tender transitions: draft → published → closed → awarded; cancelled from draft, published or closed") {
  using S = TenderStatus;
  const S all[] = {S::draft, S::published, S::closed, S::awarded, S::cancelled};
  // The allowed pairs, written out by hand; every other pair is refused.
  const std::pair<S, S> allowed[] = {{S::draft, S::published}, {S::published, S::closed},
                                     {S::draft, S::cancelled}, {S::published, S::cancelled},
                                     {S::closed, S::awarded},  {S::closed, S::cancelled}};
  for (S from : all) {
    for (S to : all) {
      bool expected = false;
      for (const auto& [a, b] : allowed) expected = expected || (a == from && b == to);
      CAPTURE(to_string(from));
      CAPTURE(to_string(to));
      CHECK(tender_transition_allowed(from, to) == expected);
    }
  }
}

TEST_CASE("a lot is settled once its tender is closed, and only once") {
  const auto open = tender_in(TenderStatus::closed, LotStatus::open);
  CHECK(check_lot_settleable(open, open.lots[0]).ok());
  for (auto status : {TenderStatus::draft, TenderStatus::published, TenderStatus::cancelled}) {
    const auto t = tender_in(status, LotStatus::open);
    auto refused = check_lot_settleable(t, t.lots[0]);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::conflict);
    CHECK(refused.error().rule == "lot.settle.tender_not_closed");
    CHECK(refused.error().message.find(std::string(french_label(status))) != std::string::npos);
  }
  // Settled: said first, even when the tender has become awarded with its last lot.
  for (auto lot : {LotStatus::awarded, LotStatus::unsuccessful}) {
    for (auto status : {TenderStatus::closed, TenderStatus::awarded}) {
      const auto t = tender_in(status, lot);
      CHECK(check_lot_settleable(t, t.lots[0]).error().rule == "lot.settled");
      CHECK(check_lot_open(t.lots[0]).error().rule == "lot.settled");
    }
  }
  CHECK(check_lot_open(tender_in(TenderStatus::published, LotStatus::open).lots[0]).ok());
}

TEST_CASE("statuses in French, and lots found by id") {
  CHECK(french_label(TenderStatus::draft) == "brouillon");
  CHECK(french_label(TenderStatus::published) == "publiée");
  CHECK(french_label(TenderStatus::closed) == "close");
  CHECK(french_label(TenderStatus::awarded) == "attribuée");
  CHECK(french_label(TenderStatus::cancelled) == "annulée");
  const auto t = tender_in(TenderStatus::closed, LotStatus::open);
  CHECK(find_lot(t, 70) == &t.lots[0]);
  CHECK(find_lot(t, 71) == nullptr);
}
