// The documents of the award chain over HTTP, on both backends: each letter kept
// when its sending is recorded, the award notice, a member's contract summary, the
// rapport de présentation, the letters of a procedure closed without award. The PDFs
// are read back with pdftotext and hashed with sha256sum; the figures are computed by
// hand from the fixture (tests/support/awarded_lot.hpp): 1,000 l at 9 € (winner) and
// 10 € the litre; price marks 100 and 90 (proportional), « environnement » 50 each;
// weighted totals 90 × 1 + 10 × 0.5 = 95.00 and 90 × 0.9 + 10 × 0.5 = 86.00.
#include <doctest/doctest.h>

#include "tests/support/awarded_lot.hpp"
#include "tests/support/pdf_text.hpp"

using namespace canopee;
using test::AwardedLot;
using test::body_of;
using test::Call;
using test::code_of;
using test::field_code_of;
namespace json = boost::json;
using test::http::verb;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string document_path(const json::value& chain, std::size_t letter) {
  return "/v1/documents/" + std::to_string(chain.at("letters").at(letter).at("document_id").as_int64());
}

int audit_rows_with(db::Database& database, const std::string& sha256) {
  auto c = database.acquire();
  REQUIRE(c.ok());
  int n = 0;
  const std::string pattern = "%" + sha256 + "%";
  c->sql() << "SELECT COUNT(*) FROM audit_log WHERE action = 'produce' AND CAST(after_json AS TEXT) LIKE :sha",
      soci::use(pattern), soci::into(n);
  return n;
}

}  // namespace

TEST_CASE("documents over HTTP: each letter is kept as sent, with its hash in the audit trail") {
  AwardedLot w;
  w.award();
  REQUIRE(w.officer.post(w.lot + "/standstill", json::object{{"days", 3}}).result_int() == 200);

  // The draft: marked as such, not kept.
  const auto draft = w.officer.get(w.lot + "/letters/preview?bid_id=" + std::to_string(w.loser) + "&means=post");
  REQUIRE(draft.result_int() == 200);
  CHECK(draft[test::http::field::content_type] == "application/pdf");
  CHECK(has(test::pdf_text(draft.body()), "PROJET"));
  CHECK(test::count_rows(*w.s.database, "documents") == 0);

  // A sending is recorded for the letter prepared, by its means, not before it existed.
  const auto unprepared = w.officer.post(w.lot + "/letters", json::object{{"bid_id", w.loser},
                                                                          {"kind", "rejection"},
                                                                          {"means", "electronic"}});
  CHECK(unprepared.result_int() == 409);
  CHECK(code_of(unprepared) == "letter.not_prepared");
  const auto prepared = w.prepare(w.loser, "electronic");
  REQUIRE(prepared.result_int() == 201);
  CHECK(body_of(prepared).at("kind") == "rejection_letter");
  CHECK(body_of(prepared).at("letter_means") == "electronic");
  const auto by_post = w.officer.post(w.lot + "/letters",
                                      json::object{{"bid_id", w.loser}, {"kind", "rejection"}, {"means", "post"}});
  CHECK(code_of(by_post) == "letter.means_mismatch");
  const auto before = w.officer.post(w.lot + "/letters", json::object{{"bid_id", w.loser},
                                                                      {"kind", "rejection"},
                                                                      {"means", "electronic"},
                                                                      {"sent_at", "2026-11-29T10:59"}});
  CHECK(field_code_of(before) == "letter.sent_before_prepared");
  CHECK(test::count_rows(*w.s.database, "award_letters") == 0);
  CHECK(code_of(w.officer.post(w.lot + "/letters/prepare", json::object{{"bid_id", 999999}, {"means", "post"}})) ==
        "bid.not_found");
  CHECK(field_code_of(w.officer.post(w.lot + "/letters/prepare",
                                     json::object{{"bid_id", w.loser}, {"means", "pigeon"}})) == "value.unknown");
  CHECK(field_code_of(w.officer.post(w.lot + "/letters/prepare", json::object{{"means", "post"}})) == "input.required");
  CHECK(field_code_of(w.officer.post(w.lot + "/letters/prepare", json::object{{"bid_id", "1"}, {"means", "post"}})) ==
        "input.not_integer");
  REQUIRE(w.letter(w.loser, "rejection", "2026-11-29T11:00").result_int() == 201);
  // Two letters were prepared for the loser (the one above, then the fixture's): the last is the one sent.
  const auto sent = w.letter(w.winner, "award", "2026-11-29T11:00");
  REQUIRE(sent.result_int() == 201);
  const auto chain = body_of(sent);
  CHECK(test::count_rows(*w.s.database, "documents") == 3);

  const auto rejection = w.officer.get(document_path(chain, 0));
  REQUIRE(rejection.result_int() == 200);
  CHECK(rejection[test::http::field::content_type] == "application/pdf");
  CHECK(rejection.body().starts_with("%PDF-"));
  const auto sha = test::sha256sum(rejection.body());
  CHECK(rejection["Canopee-Document-Sha256"] == sha);
  CHECK(audit_rows_with(*w.s.database, sha) == 1);
  const auto text = test::pdf_text(rejection.body());
  CAPTURE(text);
  CHECK(has(text, "Notification du rejet de votre offre"));
  CHECK(has(text, "Couleurs du Nord (SIRET 41234567000019)"));  // to the loser
  CHECK(has(text, "celle de Peintures Picardes"));              // the winner's name (R2181-3)
  CHECK(has(text, "classée au rang 2"));
  CHECK(has(text, "2 offres reçues"));
  CHECK(has(text, "9 000,00 €"));   // the retained offer's amount
  CHECK(has(text, "10 000,00 €"));  // its own
  CHECK(has(text, "95,00"));        // the weighted totals, side by side
  CHECK(has(text, "86,00"));
  CHECK(has(text, "meilleure note sur : prix"));           // the relative advantage
  CHECK(has(text, "pas signé avant le 2 décembre 2026"));  // 3 days from 29 November
  CHECK(has(text, "L551-1"));
  CHECK(has(text, "Le 29 novembre 2026"));

  const auto award = test::pdf_text(w.officer.get(document_path(chain, 1)).body());
  CHECK(has(award, "Information de l’attribution du marché"));
  CHECK(has(award, "votre offre pour le lot n° 1"));
  CHECK(has(award, "2 700,00 €"));  // A: 300 l at 9 €
  CHECK(has(award, "6 300,00 €"));  // B: 700 l at 9 €

  // The list: the three letters prepared, the loser's twice, each with its own reference;
  // a buyer sees none of them (letters are the officer's).
  const auto listed = body_of(w.officer.get(w.t + "/documents"));
  REQUIRE(listed.at("items").as_array().size() == 3);
  const std::string first_reference(listed.at("items").at(0).at("reference").as_string());
  CHECK(listed.at("items").at(1).at("reference").as_string() == first_reference + "-v2");
  CHECK(text.find(first_reference + "-v2") != std::string::npos);  // the letter sent names its version
  CHECK(listed.at("items").at(1).at("kind") == "rejection_letter");
  CHECK(listed.at("items").at(1).at("sha256").as_string() == sha);
  CHECK(listed.at("items").at(2).at("kind") == "award_letter");
  const auto member_a = chain.at("contracts").at(0).at("member_id").as_int64();
  const Call buyer{w.s.client, w.s.user(Role::buyer, member_a, "reader@x.example")};
  CHECK(body_of(buyer.get(w.t + "/documents")).at("items").as_array().empty());
  CHECK(buyer.get(document_path(chain, 0)).result_int() == 404);
  // Network finance neither: a letter to a bidder is the procedure's, not a figure of finance.
  const Call network{w.s.client, w.s.user(Role::finance, std::nullopt, "network@x.example")};
  CHECK(network.get(document_path(chain, 0)).result_int() == 404);
  CHECK(body_of(network.get(w.t + "/documents")).at("items").as_array().empty());
}

TEST_CASE("documents over HTTP: notice, contract summary and report, each refused when it cannot be written") {
  AwardedLot w;
  auto& db = *w.s.database;

  // Before the award: no notice, no contract; the report once the bids are opened (closed).
  const auto lot_number = std::stoll(w.lot.substr(w.lot.rfind('/') + 1));
  const auto early = w.officer.post(w.t + "/documents", json::object{{"kind", "award_notice"}, {"lot_id", lot_number}});
  CHECK(early.result_int() == 409);
  CHECK(code_of(early) == "lot.not_awarded");
  CHECK(code_of(w.prepare(w.winner)) == "lot.not_awarded");  // no letter before the award decision
  CHECK(test::count_rows(db, "documents") == 0);
  const auto report = w.officer.post(w.t + "/documents", json::object{{"kind", "presentation_report"}});
  REQUIRE(report.result_int() == 201);

  w.award();
  const auto documents = test::count_rows(db, "documents");
  const auto audit = test::count_rows(db, "audit_log");
  const auto lot_id = body_of(w.officer.get(w.lot + "/award-chain")).at("lot_id").as_int64();
  struct Bad {
    std::string body;
    unsigned status;
    std::string code;
  };
  const std::vector<Bad> bad = {
      {"{}", 400, "input.required"},
      {R"({"kind":"lettre"})", 400, "value.unknown"},
      {R"({"kind":"rejection_letter","lot_id":1,"bid_id":1})", 400, "document.letter_prepared_apart"},
      {R"({"kind":"award_notice"})", 400, "field.required"},
      {R"({"kind":"award_notice","lot_id":"1"})", 400, "input.not_integer"},
      {R"({"kind":"award_notice","lot_id":999999})", 404, "lot.not_found"},
      {R"({"kind":"contract_summary"})", 400, "field.required"},
      {R"({"kind":"contract_summary","contract_id":999999})", 404, "contract.not_found"},
      {R"({"kind":"closure_letter"})", 400, "field.required"},
      {R"({"kind":"closure_letter","bid_id":)" + std::to_string(w.winner) + "}", 409, "document.closure.not_closed"},
      {R"({"kind":"presentation_report","x":1})", 400, "input.unknown_field"},
      {R"({"kind":"presentation_report","lot_id":1,"bid_id":1,"contract_id":1})", 400, "document.field_not_applicable"},
      {R"({"kind":"award_notice","lot_id":1,"bid_id":1})", 400, "document.field_not_applicable"},
      {R"({"kind":"contract_summary","contract_id":1,"lot_id":1})", 400, "document.field_not_applicable"},
      {R"({"kind":"closure_letter","bid_id":1,"contract_id":1})", 400, "document.field_not_applicable"},
      {"[", 400, "input.malformed_json"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.body);
    const auto reply = w.officer.send(verb::post, w.t + "/documents", b.body);
    CHECK(reply.result_int() == b.status);
    const auto code = code_of(reply) == b.code ? code_of(reply) : field_code_of(reply);
    CHECK(code == b.code);
  }
  CHECK(w.officer.get("/v1/documents/999999").result_int() == 404);
  CHECK(w.officer.get("/v1/documents/abc").result_int() == 404);
  CHECK(w.officer.get(w.lot + "/letters/preview").result_int() == 400);
  CHECK(w.officer.get(w.lot + "/letters/preview?bid_id=1&means=pigeon").result_int() == 400);
  CHECK(test::count_rows(db, "documents") == documents);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // The award notice's fields, then its document.
  const auto fields = body_of(w.officer.get(w.lot + "/award-notice")).at("fields");
  std::map<std::string, std::string> by_code;
  for (const auto& f : fields.as_array()) by_code[std::string(f.at("code").as_string())] = f.at("value").as_string();
  CHECK(by_code["winner"] == "Peintures Picardes (SIRET 38901234500010)");
  CHECK(by_code["amount"] == "9\u00a0000,00\u00a0€");
  CHECK(by_code["bids_received"] == "2");
  CHECK(by_code["decided_on"] == "29 novembre 2026");
  CHECK(by_code["signed_on"].empty());  // not signed yet
  const auto notice = w.officer.post(w.t + "/documents", json::object{{"kind", "award_notice"}, {"lot_id", lot_id}});
  REQUIRE(notice.result_int() == 201);
  const auto notice_text = test::pdf_text(w.officer.get(std::string(body_of(notice).at("href").as_string())).body());
  CHECK(has(notice_text, "Avis d’attribution"));
  CHECK(has(notice_text, "Nombre d’offres reçues 2"));

  // A member's contract summary: its member's users see it, the other member's do not.
  const auto chain = body_of(w.officer.get(w.lot + "/award-chain"));
  const auto contract = chain.at("contracts").at(0);
  const auto summary = w.officer.post(w.t + "/documents",
                                      json::object{{"kind", "contract_summary"}, {"contract_id", contract.at("id")}});
  REQUIRE(summary.result_int() == 201);
  CHECK(body_of(summary).at("member_id") == contract.at("member_id"));
  const Call own{w.s.client, w.s.user(Role::buyer, contract.at("member_id").as_int64(), "own@x.example")};
  const Call other{w.s.client,
                   w.s.user(Role::buyer, chain.at("contracts").at(1).at("member_id").as_int64(), "other@x.example")};
  const auto href = std::string(body_of(summary).at("href").as_string());
  const auto mine = own.get(href);
  REQUIRE(mine.result_int() == 200);
  const auto summary_text = test::pdf_text(mine.body());
  CHECK(has(summary_text, "Acte d’engagement"));
  CHECK(has(summary_text, "2 700,00 €"));  // A's 300 l at 9 €
  CHECK(has(summary_text, "9,0000 €"));
  CHECK(other.get(href).result_int() == 404);
  CHECK(body_of(own.get(w.t + "/documents")).at("items").as_array().size() == 1);
  CHECK(own.post(w.t + "/documents", json::object{{"kind", "presentation_report"}}).result_int() == 403);

  // The report after the award names the winner and both bids.
  const auto after = w.officer.post(w.t + "/documents", json::object{{"kind", "presentation_report"}});
  REQUIRE(after.result_int() == 201);
  // Produced again: its own reference, the first kept as it was.
  CHECK(body_of(after).at("reference").as_string() == std::string(body_of(report).at("reference").as_string()) + "-v2");
  const auto report_pdf = w.officer.get(std::string(body_of(after).at("href").as_string())).body();
  const auto report_text = test::pdf_text(report_pdf);
  CAPTURE(report_text);
  CHECK(has(report_text, "Rapport de présentation"));
  CHECK(has(report_text, "Attributaire (R2184-2) : Peintures Picardes (SIRET 38901234500010)"));
  CHECK(has(report_text, "Couleurs du Nord"));
  CHECK(has(report_text, "prix 90 %"));
  CHECK(has(report_text, "offre déclarée régulière"));
  CHECK(has(report_text, "À compléter"));
}

TEST_CASE("award notice sent: after a signature, not ahead of time, once") {
  AwardedLot w;
  w.award();
  REQUIRE(w.letter(w.loser, "rejection", "2026-11-29T11:00").result_int() == 201);
  REQUIRE(w.letter(w.winner, "award", "2026-11-29T11:00").result_int() == 201);
  const auto unsigned_yet = w.officer.post(w.lot + "/award-notice", json::object{{"sent_on", "2026-11-29"}});
  CHECK(unsigned_yet.result_int() == 409);
  CHECK(code_of(unsigned_yet) == "award_notice.not_signed");
  REQUIRE(w.officer.post(w.contract(0) + "/signature", json::object{{"signed_on", "2026-11-29"}}).result_int() == 200);
  CHECK(code_of(w.officer.post(w.lot + "/award-notice", json::object{{"sent_on", "2026-11-28"}})) ==
        "award_notice.before_signature");
  CHECK(code_of(w.officer.post(w.lot + "/award-notice", json::object{{"sent_on", "2026-11-30"}})) ==
        "award_notice.future");
  CHECK(field_code_of(w.officer.post(w.lot + "/award-notice", json::object{{"sent_on", "29/11/2026"}})) ==
        "date.format");
  const auto sent = w.officer.post(w.lot + "/award-notice", json::object{{"sent_on", "2026-11-29"}});
  REQUIRE(sent.result_int() == 200);
  CHECK(body_of(sent).at("award_notice_sent_on") == "2026-11-29");
  CHECK(body_of(sent).at("first_signed_on") == "2026-11-29");
  CHECK(body_of(sent).at("award_notice_late") == false);
  CHECK(code_of(w.officer.post(w.lot + "/award-notice", json::object{{"sent_on", "2026-11-29"}})) ==
        "award_notice.already_sent");
}

TEST_CASE("a procedure declared without follow-up needs its reasons, which each bidder's letter states") {
  AwardedLot w;
  const auto silent = w.officer.send(verb::post, w.t + "/cancel");
  CHECK(silent.result_int() == 400);
  CHECK(code_of(silent) == "tender.cancel.reason_required");
  // At least 10 letters or digits (engine/text.hpp): 9 are refused, exactly 10 accepted below.
  for (const char* empty : {"  ", "\u00a0", ".", "\u202f\u00a0…", "abc", "abcdefghi", "fusion 202."}) {
    CAPTURE(empty);
    CHECK(code_of(w.officer.post(w.t + "/cancel", json::object{{"reason", empty}})) == "tender.cancel.reason_required");
  }
  REQUIRE(w.officer.post(w.t + "/cancel", json::object{{"reason", "fusion 2027"}}).result_int() == 200);
  const auto letter = w.officer.post(w.t + "/documents", json::object{{"kind", "closure_letter"}, {"bid_id", w.loser}});
  REQUIRE(letter.result_int() == 201);
  const auto text = test::pdf_text(w.officer.get(std::string(body_of(letter).at("href").as_string())).body());
  CHECK(has(text, "procédure sans suite"));
  CHECK(has(text, "Motifs de cette décision (article R2185-2) : fusion 2027"));
  CHECK(has(text, "R2185-2"));
  CHECK(has(text, "Couleurs du Nord"));
  CHECK(has(text, "recours pour excès de pouvoir"));  // no contract to challenge: the decision itself
  CHECK(!has(text, "référé précontractuel"));

  // A tender cancelled before its reasons were recorded (before migration 0016): no letter without them.
  {
    auto c = w.s.database->acquire();
    REQUIRE(c.ok());
    c->sql() << "UPDATE tenders SET cancel_reason = ''";
  }
  const auto without = w.officer.post(w.t + "/documents",
                                      json::object{{"kind", "closure_letter"}, {"bid_id", w.loser}});
  CHECK(without.result_int() == 409);
  CHECK(code_of(without) == "document.closure.reason_missing");
}

TEST_CASE("an unsuccessful lot: each bidder is told why") {
  AwardedLot w;
  REQUIRE(w.officer.post(w.lot + "/award", json::object{{"unsuccessful", true}, {"reason", "offres trop chères"}})
              .result_int() == 200);
  const auto letter = w.officer.post(w.t + "/documents",
                                     json::object{{"kind", "closure_letter"}, {"bid_id", w.winner}});
  REQUIRE(letter.result_int() == 201);
  CHECK(!body_of(letter).at("lot_id").is_null());
  const auto text = test::pdf_text(w.officer.get(std::string(body_of(letter).at("href").as_string())).body());
  CHECK(has(text, "déclaré infructueux"));
  CHECK(has(text, "offres trop chères"));
}
