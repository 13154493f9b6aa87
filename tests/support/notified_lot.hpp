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
  std::int64_t member_a = 0, member_b = 0, contract_a = 0, contract_b = 0;
  Call buyer_a{s.client, ""}, buyer_b{s.client, ""};

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
    }
    // Member A was created first.
    const bool a_first = contracts[0].at("member_id").as_int64() < contracts[1].at("member_id").as_int64();
    const auto& a = contracts[a_first ? 0 : 1];
    const auto& b = contracts[a_first ? 1 : 0];
    member_a = a.at("member_id").as_int64();
    member_b = b.at("member_id").as_int64();
    contract_a = a.at("id").as_int64();
    contract_b = b.at("id").as_int64();
    buyer_a.token = s.user(Role::buyer, member_a, "orders.a@x.example");
    buyer_b.token = s.user(Role::buyer, member_b, "orders.b@x.example");
  }
};

}  // namespace canopee::test
