#pragma once
// One paint lot (A 300 l, B 700 l) below the formal thresholds, with two valid bids
// (Peintures Picardes 9 € and Couleurs du Nord 10 € the litre, « environnement » marked 50 each), ready to be awarded
// to the cheaper: the award chain and documents API tests start from it. The test
// server's day is 2026-11-29 (10:00 UTC, 11:00 in Paris).
#include <doctest/doctest.h>

#include <tuple>

#include "tests/support/api_server.hpp"

namespace canopee::test {

namespace json = boost::json;

inline std::string code_of(const Reply& reply) {
  const auto problem = body_of(reply);
  return problem.as_object().contains("code") ? std::string(problem.at("code").as_string()) : "";
}

inline std::string field_code_of(const Reply& reply) {
  const auto problem = body_of(reply);
  if (!problem.as_object().contains("errors") || problem.at("errors").as_array().empty()) return "";
  return std::string(problem.at("errors").at(0).at("code").as_string());
}

// One paint lot (A 300 l, B 700 l at a 10 € reference) below the formal thresholds, on a
// draft tender: the framework and price revision tests set its terms before publishing it.
struct DraftPaintLot {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  Call officer{s.client, s.user(Role::officer, std::nullopt, "officer@x.example")};
  std::int64_t member_a = 0, member_b = 0, lot_id = 0;
  Call buyer_a{s.client, ""};
  std::string t, lot;

  // `cpv` and `unit` of both needs: paint by default; 45… for works. `extra_a` and `extra_b` add
  // fields to A's and B's need (the reference's source, date, index).
  explicit DraftPaintLot(const char* cpv = "44810000-1", const char* unit = "l", const json::object& extra_a = {},
                         const json::object& extra_b = {}) {
    const auto member = [&](const char* code, const char* siren) {
      return body_of(admin.post("/v1/members",
                                json::object{{"code", code}, {"name", code}, {"siren", siren}, {"department", "02"}}))
          .at("id")
          .as_int64();
    };
    member_a = member("A", "270200017");
    member_b = member("B", "270510027");
    buyer_a.token = s.user(Role::buyer, member_a, "buyer.a@x.example");
    const Call buyer_b{s.client, s.user(Role::buyer, member_b, "buyer.b@x.example")};
    for (const auto& [buyer, quantity, extra] :
         {std::tuple<const Call*, const char*, const json::object*>{&buyer_a, "300", &extra_a},
          std::tuple<const Call*, const char*, const json::object*>{&buyer_b, "700", &extra_b}}) {
      json::object body{{"cpv", cpv},
                        {"title", "Peinture"},
                        {"quantity", quantity},
                        {"unit", unit},
                        {"reference_unit_price", "10"},
                        {"department", "02"},
                        {"period_start", "2027-01-01"},
                        {"period_end", "2027-12-31"}};
      for (const auto& [key, value] : *extra) body[key] = value;
      const auto created = buyer->post("/v1/needs", body);
      INFO(created.body());
      REQUIRE(created.result_int() == 201);
    }
    const auto reply = officer.post(
        "/v1/tenders",
        json::object{{"title", "Peintures"},
                     {"coordinator_member_id", member_a},
                     {"criteria",
                      json::array{json::object{{"name", "prix"}, {"weight", 90}, {"price", true}},
                                  json::object{{"name", "environnement"}, {"weight", 10}, {"environmental", true}}}},
                     {"bid_deadline", "2027-02-01T12:00:00Z"},
                     {"allotment_justification", "fourniture homogène"},
                     {"environmental_conditions", "clause environnementale"},
                     {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"}}}}}});
    REQUIRE(reply.result_int() == 201);
    const auto tender = body_of(reply);
    t = "/v1/tenders/" + std::to_string(tender.at("id").as_int64());
    lot_id = tender.at("lots").at(0).at("id").as_int64();
    lot = t + "/lots/" + std::to_string(lot_id);
  }

  // Published, two named bids (Peintures Picardes 9 €, Couleurs du Nord 10 €), closed, both
  // valid: ready to be awarded to the cheaper. Returns the bids, the cheaper first.
  std::vector<std::int64_t> receive_bids() {
    REQUIRE(officer.send(http::verb::post, t + "/publish").result_int() == 200);
    std::vector<std::int64_t> bids;
    // Named, so that a document naming a supplier by its SIRET instead would be caught.
    for (const auto& [name, siret, price] : {std::tuple{"Peintures Picardes", "38901234500010", "9"},
                                             std::tuple{"Couleurs du Nord", "41234567000019", "10"}}) {
      const auto supplier = body_of(
          officer.post("/v1/suppliers", json::object{{"name", name}, {"siret", siret}, {"department", "02"}}));
      const auto bid = officer.post(lot + "/bids", json::object{{"supplier_id", supplier.at("id")},
                                                                {"unit_price", price},
                                                                {"scores", json::object{{"environnement", "50"}}}});
      REQUIRE(bid.result_int() == 201);
      bids.push_back(body_of(bid).at("id").as_int64());
    }
    REQUIRE(officer.post(t + "/close", json::object{{"reason", "offres reçues"}}).result_int() == 200);
    for (const auto id : bids) {
      REQUIRE(officer.post("/v1/bids/" + std::to_string(id) + "/decisions", json::object{{"decision", "valid"}})
                  .result_int() == 200);
    }
    return bids;
  }
};

// The same lot published with its two bids, ready to be awarded to the cheaper.
struct AwardedLot : DraftPaintLot {
  std::int64_t winner = 0, loser = 0;

  explicit AwardedLot(const char* cpv = "44810000-1", const char* unit = "l") : DraftPaintLot(cpv, unit) {
    const auto bids = receive_bids();
    winner = bids[0];
    loser = bids[1];
  }
  void award() { REQUIRE(officer.post(lot + "/award", json::object{{"bid_id", winner}}).result_int() == 200); }
  json::value chain() {
    const auto reply = officer.get(lot + "/award-chain");
    REQUIRE(reply.result_int() == 200);
    return body_of(reply);
  }
  std::string contract(std::size_t i) {
    return "/v1/contracts/" + std::to_string(chain().at("contracts").at(i).at("id").as_int64());
  }
  // The letter prepared (kept) at the server's clock, then its sending recorded.
  Reply prepare(std::int64_t bid, const char* means = "electronic") {
    return officer.post(lot + "/letters/prepare", json::object{{"bid_id", bid}, {"means", means}});
  }
  Reply letter(std::int64_t bid, const char* kind, const char* sent_at) {
    if (const auto prepared = prepare(bid); prepared.result_int() != 201) return prepared;
    return officer.post(lot + "/letters",
                        json::object{{"bid_id", bid}, {"kind", kind}, {"means", "electronic"}, {"sent_at", sent_at}});
  }
};

}  // namespace canopee::test
