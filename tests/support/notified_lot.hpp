#pragma once
// The paint lot of awarded_lot.hpp taken through its chain: awarded to Peintures
// Picardes at 9 € the litre, letters sent, both member contracts signed and notified on
// the test server's day (2026-11-29), so that orders may be placed against them. The
// tender is a framework agreement of 12 months without renewals nor margin: each
// member's maximum is its estimate (A: 300 l × 10 € = 3 000,00 €, B: 700 l × 10 € =
// 7 000,00 €), its reference price 10 € the litre.
#include "tests/support/awarded_lot.hpp"

namespace canopee::test {

struct NotifiedLot : AwardedLot {
  std::int64_t contract_a = 0, contract_b = 0;
  Call buyer_b{s.client, ""};  // buyer_a, member_a and member_b are the draft lot's

  NotifiedLot() {
    award();
    REQUIRE(letter(loser, "rejection", "2026-11-29T11:00").result_int() == 201);
    REQUIRE(letter(winner, "award", "2026-11-29T11:00").result_int() == 201);
    const auto contracts = chain().at("contracts").as_array();
    REQUIRE(contracts.size() == 2);
    for (const auto& k : contracts) {
      const auto path = "/v1/contracts/" + std::to_string(k.at("id").as_int64());
      REQUIRE(officer.post(path + "/signature", json::object{{"signed_on", "2026-11-29"}}).result_int() == 200);
      REQUIRE(officer.post(path + "/notification", json::object{{"notified_on", "2026-11-29"}}).result_int() == 200);
      (k.at("member_id").as_int64() == member_a ? contract_a : contract_b) = k.at("id").as_int64();
    }
    REQUIRE(contract_a != 0);
    REQUIRE(contract_b != 0);
    buyer_b.token = s.user(Role::buyer, member_b, "orders.b@x.example");
  }
};

}  // namespace canopee::test
