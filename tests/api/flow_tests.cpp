// The whole joint-tender flow over HTTP, with figures computed by hand.
#include <doctest/doctest.h>

#include "tests/support/api_server.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::id_of;
using test::text_of;
namespace json = boost::json;
using test::http::status;
using test::http::verb;

namespace {

const json::object& member_row(const json::value& allocation, std::int64_t member) {
  for (const auto& m : allocation.at("members").as_array()) {
    if (m.at("member_id").as_int64() == member) return m.as_object();
  }
  FAIL("member " << member << " not in the allocation");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("needs from three members → proposal → tender → bids → award → allocation, over HTTP") {
  test::ApiServer s;
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@test.example")};

  // The network
  std::map<std::string, std::int64_t> member;
  for (auto [code, siren, dep] : {std::tuple{"OPAL", "270200017", "02"}, std::tuple{"REIMS", "270510027", "51"},
                                  std::tuple{"OISE", "270600034", "60"}}) {
    auto r = admin.post("/v1/members", json::object{{"code", code},
                                                    {"name", std::string("Office ") + code},
                                                    {"siren", siren},
                                                    {"department", dep}});
    REQUIRE(r.result() == status::created);
    member[code] = id_of(r);
  }
  const auto token_for = [&](const char* email, const char* role, std::optional<std::int64_t> m) {
    json::object body{{"email", email}, {"name", email}, {"role", role}};
    if (m) body["member_id"] = *m;
    auto r = admin.post("/v1/users", body);
    REQUIRE(r.result() == status::created);
    return text_of(body_of(r), "token");
  };
  const Call officer{s.client, token_for("officer@test.example", "officer", std::nullopt)};
  const Call buyer_opal{s.client, token_for("buyer@opal.example", "buyer", member["OPAL"])};
  const Call buyer_reims{s.client, token_for("buyer@reims.example", "buyer", member["REIMS"])};
  const Call buyer_oise{s.client, token_for("buyer@oise.example", "buyer", member["OISE"])};
  const Call finance_opal{s.client, token_for("finance@opal.example", "finance", member["OPAL"])};
  CHECK(text_of(body_of(buyer_opal.get("/v1/me")), "role") == "buyer");

  auto alpha = officer.post("/v1/suppliers",
                            json::object{{"name", "Alpha"}, {"siret", "38901234500010"}, {"department", "02"}});
  auto beta =
      officer.post("/v1/suppliers",
                   json::object{{"name", "Beta"}, {"siret", "41234567000019"}, {"department", "51"}, {"sme", true}});
  REQUIRE(alpha.result() == status::created);
  REQUIRE(beta.result() == status::created);

  // Needs
  auto opal_need = buyer_opal.post("/v1/needs", test::need_body("44810000-1", "300", "l", "10", "02"));
  auto reims_need = buyer_reims.post("/v1/needs", test::need_body("44810000-1", "700", "l", "11", "51"));
  auto oise_need = buyer_oise.post("/v1/needs", test::need_body("45442100-8", "50", "m2", "20", "60"));
  REQUIRE(opal_need.result() == status::created);
  REQUIRE(reims_need.result() == status::created);
  REQUIRE(oise_need.result() == status::created);
  CHECK(text_of(body_of(opal_need), "status") == "submitted");
  CHECK(opal_need[test::http::field::etag] == "\"v1\"");
  CHECK(buyer_reims.get("/v1/needs/" + std::to_string(id_of(opal_need))).result() ==
        status::not_found);  // other member

  // Proposal
  const json::object proposal{{"filter", json::object{}},
                              {"options", json::object{{"contract_start", "2027-01-01"}, {"duration_months", 12}}}};
  auto proposed = officer.post("/v1/aggregations", proposal);
  REQUIRE(proposed.result() == status::ok);
  const auto p = body_of(proposed);
  REQUIRE(p.at("lots").as_array().size() == 1);
  CHECK(text_of(p.at("lots").at(0), "quantity") == "1000");
  CHECK(text_of(p.at("lots").at(0), "estimated_value") == "10700.00");
  CHECK(text_of(p.at("not_pooled").at(0), "reason") == "single_member");
  CHECK(text_of(p, "estimated_total") == "10700.00");
  CHECK(text_of(p.at("procedure"), "procedure") == "no_competition");  // 10,700 € < 60,000 € (R2122-8, from 2026-04-01)

  // Tender
  auto created = officer.post(
      "/v1/tenders",
      json::object{{"title", "Peintures 2027"},
                   {"coordinator_member_id", member["OPAL"]},
                   {"criteria",
                    json::array{json::object{{"name", "prix"}, {"weight", 60}, {"price", true}},
                                json::object{{"name", "technique"}, {"weight", 30}},
                                json::object{{"name", "environnement"}, {"weight", 10}, {"environmental", true}}}},
                   {"bid_deadline", "2027-02-01T12:00:00Z"},
                   {"allotment_justification", "fourniture homogène"},
                   {"environmental_conditions", "clause environnementale"},
                   {"social_considerations", "clause sociale"},
                   {"proposal", proposal}});
  REQUIRE(created.result() == status::created);
  const auto tender = body_of(created);
  const auto tender_id = tender.at("id").as_int64();
  const auto lot_id = tender.at("lots").at(0).at("id").as_int64();
  const std::string base = "/v1/tenders/" + std::to_string(tender_id);
  CHECK(buyer_oise.get(base).result() == status::not_found);  // OISE takes no part
  CHECK(buyer_opal.get(base).result() == status::ok);
  // a pooled need can no longer be withdrawn
  CHECK(buyer_opal.send(verb::delete_, "/v1/needs/" + std::to_string(id_of(opal_need))).result() == status::conflict);

  REQUIRE(officer.send(verb::post, base + "/publish").result() == status::ok);
  CHECK(text_of(body_of(buyer_opal.get("/v1/needs/" + std::to_string(id_of(opal_need)))), "status") == "tendered");
  CHECK(officer.patch(base, json::object{{"title", "x"}}).result() == status::conflict);  // edit after publish

  // Bids
  const std::string bids = base + "/lots/" + std::to_string(lot_id) + "/bids";
  auto a = officer.post(bids, json::object{{"supplier_id", id_of(alpha)},
                                           {"unit_price", "9.50"},
                                           {"scores", json::object{{"technique", "80"}, {"environnement", 50}}}});
  auto b = officer.post(bids,
                        json::object{{"supplier_id", id_of(beta)},
                                     {"tiers", json::array{json::object{{"min_quantity", "0"}, {"unit_price", "12"}},
                                                           json::object{{"min_quantity", 500}, {"unit_price", "9"}}}},
                                     {"scores", json::object{{"technique", "60"}, {"environnement", "100"}}}});
  REQUIRE(a.result() == status::created);
  REQUIRE(b.result() == status::created);
  const std::string award = base + "/lots/" + std::to_string(lot_id) + "/award";
  CHECK(officer.post(award, json::object{{"bid_id", id_of(b)}}).result() == status::conflict);  // not closed yet
  // Bids are examined once opened: before the close, no decision.
  const auto early = officer.post("/v1/bids/" + std::to_string(id_of(a)) + "/decisions",
                                  json::object{{"decision", "valid"}});
  CHECK(early.result() == status::conflict);
  CHECK(body_of(early).at("code").as_string() == "bid.decision.tender_not_closed");
  REQUIRE(
      officer.post(base + "/close", json::object{{"reason", "les deux fournisseurs consultés ont répondu"}}).result() ==
      status::ok);
  for (const auto* r : {&a, &b}) {
    auto valid = officer.post("/v1/bids/" + std::to_string(id_of(*r)) + "/decisions",
                              json::object{{"decision", "valid"}}, std::string((*r)[test::http::field::etag]));
    REQUIRE(valid.result() == status::ok);
    CHECK(body_of(valid).at("regularity").as_string() == "valid");
    CHECK(body_of(valid).at("decisions").at(0).at("decision").as_string() == "valid");
  }

  auto evaluation = body_of(officer.get(base + "/evaluation"));
  const auto& ranked = evaluation.at("lots").at(0).at("bids");
  CHECK(ranked.at(0).at("bid_id").as_int64() == id_of(b));
  CHECK(text_of(ranked.at(0), "weighted_total") == "88.0000");
  CHECK(text_of(ranked.at(1), "weighted_total") == "85.8421");  // 60 × 9000/9500 + 24 + 5
  CHECK(text_of(ranked.at(0), "total_price") == "9000.00");
  CHECK(officer.post(award, json::object{{"bid_id", id_of(a)}}).result() == status::conflict);  // not the best

  auto awarded = officer.post(award, json::object{{"bid_id", id_of(b)}});
  REQUIRE(awarded.result() == status::ok);
  CHECK(text_of(body_of(awarded), "status") == "awarded");

  // Allocation: OPAL 300 l, REIMS 700 l at 9.00; alone OPAL would pay 12.00
  auto allocation = officer.get(base + "/allocation?method=shapley");
  INFO(allocation.body());
  REQUIRE(allocation.result() == status::ok);
  const auto al = body_of(allocation);
  const auto& opal = member_row(al, member["OPAL"]);
  CHECK(text_of(opal, "contract") == "2700.00");
  CHECK(text_of(opal, "reference") == "3000.00");
  CHECK(text_of(opal, "standalone") == "3600.00");
  CHECK(text_of(opal, "savings") == "300.00");
  CHECK(text_of(opal, "pooling_effect") == "900.00");
  CHECK(text_of(opal, "competition_effect") == "-600.00");
  CHECK(text_of(opal, "fair_share") == "450.00");  // the 900.00 gain halved between two members
  CHECK(text_of(opal, "transfer") == "-450.00");
  CHECK(text_of(member_row(al, member["REIMS"]), "transfer") == "450.00");
  CHECK(text_of(al.at("totals"), "contract") == "9000.00");
  CHECK(al.at("in_core").as_bool());

  // Tenancy of figures: OPAL's finance sees its own line and the totals only
  const auto own = body_of(finance_opal.get(base + "/allocation"));
  CHECK(own.at("members").as_array().size() == 1);
  CHECK(text_of(own.at("totals"), "contract") == "9000.00");
  auto contracts = body_of(buyer_reims.get("/v1/contracts"));
  REQUIRE(contracts.at("items").as_array().size() == 1);
  CHECK(text_of(contracts.at("items").at(0), "amount") == "6300.00");
  CHECK(body_of(officer.get("/v1/contracts")).at("items").as_array().size() == 2);

  auto audit = body_of(officer.get("/v1/audit?entity=lot"));
  CHECK(text_of(audit.at("items").at(0), "action") == "award");
  CHECK(audit.at("items").at(0).at("user_id").as_int64() > 0);
}
