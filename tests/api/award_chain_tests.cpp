// After the award over HTTP, on both backends: letters to the bidders, the
// standstill the officer chose, each member contract's signature and notification,
// every bad body refused with its code and nothing changed. The test server's day
// is 2026-11-29 (10:00 UTC, 11:00 in Paris); a 3-day standstill from letters sent
// that day allows signature from 2 December.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/awarded_lot.hpp"

using namespace canopee;
using test::AwardedLot;
using test::body_of;
using test::Call;
using test::code_of;
using test::field_code_of;
namespace json = boost::json;
using test::http::verb;

TEST_CASE("award chain over HTTP: letters and a chosen standstill hold the signature back") {
  AwardedLot w;
  const auto early = w.officer.get(w.lot + "/award-chain");
  CHECK(early.result_int() == 409);
  CHECK(code_of(early) == "lot.not_awarded");
  w.award();

  auto chain = w.chain();
  CHECK(chain.at("stage") == "letters_to_send");
  CHECK(chain.at("stage_label") == "courriers à envoyer");
  CHECK(chain.at("decided_on") == "2026-11-29");
  CHECK(chain.at("procedure") != "formal");
  CHECK(chain.at("letters_missing") == json::array{w.winner, w.loser});
  REQUIRE(chain.at("contracts").as_array().size() == 2);
  CHECK(chain.at("contracts").at(0).at("signed_on").is_null());
  CHECK(chain.at("standstill").is_null());

  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const auto contract = w.contract(0);
  const auto unsent = w.officer.post(contract + "/signature", json::object{{"signed_on", "2026-11-29"}});
  CHECK(unsent.result_int() == 409);
  CHECK(code_of(unsent) == "contract.signature.letters_missing");
  // The bidders by name (here their SIRET), never a bid number.
  CHECK(std::string(body_of(unsent).at("detail").as_string())
            .find("courriers à envoyer : Peintures Picardes, Couleurs du Nord") != std::string::npos);

  // Bad bodies: each refused with its code, nothing written.
  struct Bad {
    std::string target;
    std::string body;
    unsigned status;
    std::string code;  // the problem's, or its first field's
  };
  const std::vector<Bad> bad = {
      {contract + "/signature", "{}", 400, "input.required"},
      {contract + "/signature", R"({"signed_on":"2026-13-01"})", 400, "date.not_a_date"},
      {contract + "/signature", R"({"signed_on":20261129})", 400, "input.not_text"},
      {contract + "/signature", R"({"signed_on":"2026-11-29","x":1})", 400, "input.unknown_field"},
      {contract + "/signature", "[", 400, "input.malformed_json"},
      {contract + "/signature", R"({"signed_on":"2026-11-30"})", 400, "contract.signature.in_future"},
      {"/v1/contracts/999999/signature", R"({"signed_on":"2026-11-29"})", 404, "contract.not_found"},
      {"/v1/contracts/abc/signature", R"({"signed_on":"2026-11-29"})", 404, ""},
      {contract + "/notification", R"({"notified_on":"2026-11-29"})", 409, "contract.not_signed"},
      {w.lot + "/standstill", "{}", 400, "input.required"},
      {w.lot + "/standstill", R"({"days":0})", 400, "input.out_of_range"},
      {w.lot + "/standstill", R"({"days":61})", 400, "input.out_of_range"},
      {w.lot + "/standstill", R"({"days":"3"})", 400, "input.not_integer"},
      {w.lot + "/letters", "{}", 400, "input.required"},
      {w.lot + "/letters", R"({"bid_id":1,"kind":"lettre","means":"electronic"})", 400, "value.unknown"},
      {w.lot + "/letters", R"({"bid_id":1,"kind":"award","means":"pigeon"})", 400, "value.unknown"},
      {w.lot + "/letters", R"({"bid_id":999999,"kind":"rejection","means":"post"})", 400, "letter.bid_not_of_lot"},
      {w.lot + "/letters", R"({"bid_id":-1,"kind":"rejection","means":"post"})", 400, "input.out_of_range"},
      {w.lot + "/letters",
       R"({"bid_id":)" + std::to_string(w.loser) + R"(,"kind":"rejection","means":"post","sent_at":"demain"})", 400,
       "date_time.format"},
      // 12:00 in Paris is 11:00 UTC, after the server's 10:00.
      {w.lot + "/letters",
       R"({"bid_id":)" + std::to_string(w.loser) +
           R"(,"kind":"rejection","means":"post","sent_at":"2026-11-29T12:00"})",
       400, "letter.sent_in_future"},
      {w.lot + "/letters", R"({"bid_id":)" + std::to_string(w.winner) + R"(,"kind":"rejection","means":"post"})", 400,
       "letter.kind_mismatch"},
      {"/v1/tenders/" + std::string("999999") + "/lots/1/letters", R"({"bid_id":1,"kind":"award","means":"post"})", 404,
       "tender.not_found"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.target);
    CAPTURE(b.body);
    const auto reply = w.officer.send(verb::post, b.target, b.body);
    CHECK(reply.result_int() == b.status);
    if (!b.code.empty()) {
      const auto code = code_of(reply) == b.code ? code_of(reply) : field_code_of(reply);
      CHECK(code == b.code);
    }
  }
  const auto plain = w.officer.send(verb::post, contract + "/signature", "signed_on=2026-11-29",
                                    {{"Content-Type", "text/plain"}});
  CHECK(plain.result_int() == 415);
  CHECK(test::count_rows(db, "audit_log") == audit);
  CHECK(test::count_rows(db, "award_letters") == 0);

  // A 3-day standstill, then the letters, prepared and sent at the server's clock (11:00 in Paris).
  const auto chosen = w.officer.post(w.lot + "/standstill", json::object{{"days", 3}});
  REQUIRE(chosen.result_int() == 200);
  CHECK(body_of(chosen).at("chosen_standstill_days") == 3);
  REQUIRE(w.letter(w.loser, "rejection", "2026-11-29T11:00").result_int() == 201);
  const auto again = w.letter(w.loser, "rejection", "2026-11-29T11:00");
  CHECK(again.result_int() == 409);
  CHECK(code_of(again) == "letter.already_sent");
  const auto sent = w.letter(w.winner, "award", "2026-11-29T11:00");
  REQUIRE(sent.result_int() == 201);
  chain = body_of(sent);
  CHECK(chain.at("letters").as_array().size() == 2);
  CHECK(chain.at("letters").at(0).at("sent_at") == "2026-11-29T10:00:00Z");
  CHECK(chain.at("letters_missing").as_array().empty());
  CHECK(chain.at("standstill").at("signature_from") == "2026-12-02");
  CHECK(chain.at("stage") == "standstill");

  const auto held = w.officer.post(contract + "/signature", json::object{{"signed_on", "2026-11-29"}});
  CHECK(held.result_int() == 409);
  CHECK(code_of(held) == "contract.signature.in_standstill");
  CHECK(std::string(body_of(held).at("detail").as_string()).find("02/12/2026") != std::string::npos);
  const auto late = w.officer.post(w.lot + "/standstill", json::object{{"days", nullptr}});
  CHECK(late.result_int() == 409);
  CHECK(code_of(late) == "standstill.letters_sent");

  // A buyer of the lot reads the chain; the letters are the officer's to record.
  const Call buyer{w.s.client,
                   w.s.user(Role::buyer, chain.at("contracts").at(0).at("member_id").as_int64(), "reader@x.example")};
  const auto seen = buyer.get(w.lot + "/award-chain");
  CHECK(seen.result_int() == 200);
  REQUIRE(body_of(seen).at("contracts").as_array().size() == 1);  // its member's contract only
  CHECK(body_of(seen).at("contracts").at(0).at("member_id") == chain.at("contracts").at(0).at("member_id"));
  CHECK(buyer.post(w.lot + "/letters", json::object{}).result_int() == 403);
}

TEST_CASE("award chain over HTTP: without a standstill each member signs and is notified, on its version") {
  AwardedLot w;
  w.award();
  REQUIRE(w.letter(w.loser, "rejection", "2026-11-29T11:00").result_int() == 201);
  REQUIRE(w.letter(w.winner, "award", "2026-11-29T11:00").result_int() == 201);
  CHECK(w.chain().at("stage") == "to_sign");
  CHECK(w.chain().at("standstill").is_null());

  for (std::size_t i = 0; i < 2; ++i) {
    const auto contract = w.contract(i);
    const auto signed_reply = w.officer.post(contract + "/signature", json::object{{"signed_on", "2026-11-29"}});
    REQUIRE(signed_reply.result_int() == 200);
    CHECK(body_of(signed_reply).at("signed_on") == "2026-11-29");
    CHECK(body_of(signed_reply).at("in_force") == false);
    const std::string etag(signed_reply.base()["ETag"]);
    CHECK(etag == "\"v2\"");
    const auto twice = w.officer.post(contract + "/signature", json::object{{"signed_on", "2026-11-29"}});
    CHECK(twice.result_int() == 409);
    CHECK(code_of(twice) == "contract.already_signed");
    const auto stale = w.officer.post(contract + "/notification", json::object{{"notified_on", "2026-11-29"}},
                                      "\"v1\"");
    CHECK(stale.result_int() == 412);
    CHECK(code_of(stale) == "contract.stale");
    const auto notified = w.officer.post(contract + "/notification", json::object{{"notified_on", "2026-11-29"}}, etag);
    REQUIRE(notified.result_int() == 200);
    CHECK(body_of(notified).at("notified_on") == "2026-11-29");
    CHECK(body_of(notified).at("in_force") == true);
    if (i == 0) CHECK(w.chain().at("stage") == "to_sign");
  }
  const auto chain = w.chain();
  CHECK(chain.at("stage") == "in_force");
  CHECK(chain.at("award_notice_due").is_null());
  // The contracts list carries the dates too, and what a reader knows the contract by.
  const auto tender = body_of(w.officer.get(w.t));
  const auto contracts = body_of(w.officer.get("/v1/contracts"));
  REQUIRE(contracts.at("items").as_array().size() == 2);
  std::vector<std::string> members;
  for (const auto& k : contracts.at("items").as_array()) {
    CHECK(k.at("signed_on") == "2026-11-29");
    CHECK(k.at("notified_on") == "2026-11-29");
    CHECK(k.at("in_force") == true);
    CHECK(k.at("tender_reference") == tender.at("reference"));
    CHECK(k.at("tender_title") == "Peintures");
    CHECK(k.at("lot_number") == 1);
    CHECK(k.at("lot_title") == tender.at("lots").at(0).at("title"));
    CHECK(k.at("supplier_name") == "Peintures Picardes");  // the winner's supplier
    CHECK(k.at("member_name") == k.at("member_code"));
    members.emplace_back(k.at("member_code").as_string());
  }
  std::sort(members.begin(), members.end());
  CHECK(members == std::vector<std::string>{"A", "B"});
}

TEST_CASE("award chain over HTTP: a member's buyer signs its own contract only when the convention leaves it to it") {
  AwardedLot w;
  w.award();
  REQUIRE(w.letter(w.loser, "rejection", "2026-11-29T11:00").result_int() == 201);
  REQUIRE(w.letter(w.winner, "award", "2026-11-29T11:00").result_int() == 201);
  auto chain = w.chain();
  CHECK(chain.at("signatory") == "coordinator");  // no convention recorded: the coordinator signs
  const auto a = chain.at("contracts").at(0);
  const auto b = chain.at("contracts").at(1);
  const Call buyer_a{w.s.client, w.s.user(Role::buyer, a.at("member_id").as_int64(), "signer.a@x.example")};
  const Call finance_a{w.s.client, w.s.user(Role::finance, a.at("member_id").as_int64(), "finance.a@x.example")};
  const auto contract_a = "/v1/contracts/" + std::to_string(a.at("id").as_int64());
  const auto contract_b = "/v1/contracts/" + std::to_string(b.at("id").as_int64());
  const json::object today{{"signed_on", "2026-11-29"}};
  const auto refused = buyer_a.post(contract_a + "/signature", today);
  CHECK(refused.result_int() == 409);
  CHECK(code_of(refused) == "contract.signatory.coordinator");
  CHECK(finance_a.post(contract_a + "/signature", today).result_int() == 403);

  // A convention whose coordinator's mission stops at the award: each member signs its own.
  const auto convention = w.officer.post(
      "/v1/groupements",
      json::object{
          {"name", "Groupement peinture"},
          {"reference", "GC-P"},
          {"coordinator_member_id", a.at("member_id")},
          {"mission", "procedure"},
          {"scope",
           json::object{{"cpv_prefixes", json::array{"4481"}}, {"start", "2026-01-01"}, {"end", "2027-12-31"}}},
          {"cost_key", "contract_value"},
          {"members", json::array{json::object{{"member_id", a.at("member_id")}, {"signed_on", "2026-01-05"}},
                                  json::object{{"member_id", b.at("member_id")}, {"signed_on", "2026-01-06"}}}}});
  REQUIRE_MESSAGE(convention.result_int() == 201, convention.body());
  {
    // The tender was created before the convention was recorded: tie it to it, as a migration would.
    auto c = w.s.database->acquire();
    REQUIRE(c.ok());
    c->sql() << "UPDATE tenders SET groupement_id = " + std::to_string(body_of(convention).at("id").as_int64());
  }
  CHECK(w.chain().at("signatory") == "member");
  CHECK(code_of(buyer_a.post(contract_b + "/signature", today)) == "contract.not_found");  // not its member's
  const auto signed_a = buyer_a.post(contract_a + "/signature", today);
  REQUIRE_MESSAGE(signed_a.result_int() == 200, signed_a.body());
  CHECK(body_of(signed_a).at("signed_on") == "2026-11-29");
  CHECK(buyer_a.post(contract_a + "/notification", json::object{{"notified_on", "2026-11-29"}}).result_int() == 200);
  CHECK(w.officer.post(contract_b + "/signature", today).result_int() == 200);  // the officer still records
}
