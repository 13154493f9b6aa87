// Modifications of a member contract over HTTP, on both backends: each ground at its
// edge, the cumulative effect, bad bodies refused with their code and nothing written,
// who may read and record. The paint lot of tests/support/awarded_lot.hpp is a framework
// agreement of supplies: member A's maximum is its estimate, 300 l at 10 € over the
// 12 months = 3 000,00 € (300 000 cents). So 50 % is 1 500,00 € (R2194-3) and the de
// minimis limit 10 % = 300,00 €, strictly below (R2194-8: « inférieur à »). Every
// modification is signed on the server's day, 2026-11-29, the day the contract was notified.
#include <doctest/doctest.h>

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

namespace {

// The awarded paint lot with member A's contract signed and notified; B's is not signed.
struct ContractInForce : AwardedLot {
  std::string a, b;  // /v1/contracts/{id}, of members A and B (member_a, member_b)

  explicit ContractInForce(const char* cpv = "44810000-1", const char* unit = "l") : AwardedLot(cpv, unit) {
    award();
    REQUIRE(letter(loser, "rejection", "2026-11-29T11:00").result_int() == 201);
    REQUIRE(letter(winner, "award", "2026-11-29T11:00").result_int() == 201);
    const auto contracts = chain().at("contracts");
    a = "/v1/contracts/" + std::to_string(contracts.at(0).at("id").as_int64());
    b = "/v1/contracts/" + std::to_string(contracts.at(1).at("id").as_int64());
    REQUIRE(contracts.at(0).at("member_id").as_int64() == member_a);
    REQUIRE(contracts.at(1).at("member_id").as_int64() == member_b);
    REQUIRE(officer.post(a + "/signature", json::object{{"signed_on", "2026-11-29"}}).result_int() == 200);
    REQUIRE(officer.post(a + "/notification", json::object{{"notified_on", "2026-11-29"}}).result_int() == 200);
  }

  test::Reply modify(const char* ground, const char* amount, json::object extra = {}) {
    json::object body{{"ground", ground},
                      {"object", "Avenant : extension aux résidences du secteur nord"},
                      {"signed_on", "2026-11-29"},
                      {"amount_change", amount},
                      {"justification", "Les travaux du secteur nord rendent ces fournitures nécessaires"}};
    for (const auto& [k, v] : extra) body[k] = v;
    return officer.post(a + "/modifications", body);
  }

  std::string refusal(const test::Reply& reply) {
    return code_of(reply) == "input.invalid" || code_of(reply).empty() ? field_code_of(reply) : code_of(reply);
  }
};

}  // namespace

TEST_CASE("modifications over HTTP: the R2194 limits at their edges and the cumulative effect") {
  ContractInForce w;
  auto& db = *w.s.database;
  const auto empty = w.officer.get(w.a + "/modifications");
  REQUIRE(empty.result_int() == 200);
  auto view = body_of(empty);
  CHECK(view.at("basis") == "value");
  CHECK(view.at("framework") == true);
  CHECK(view.at("initial") == "3000.00");
  CHECK(view.at("initial_months") == 12);
  CHECK(view.at("notified_on") == "2026-11-29");
  CHECK(view.at("modifications").as_array().empty());
  CHECK(view.at("current") == "3000.00");
  CHECK(view.at("cumulative_percent") == "0.00");

  const auto audit = test::count_rows(db, "audit_log");
  // R2194-3: one cent over 50 % is refused, nothing written.
  const auto over = w.modify("additional", "1500.01");
  CHECK(over.result_int() == 409);
  CHECK(code_of(over) == "modification.over_half");
  CHECK(std::string(body_of(over).at("detail").as_string()).find("R2194-3") != std::string::npos);
  CHECK(test::count_rows(db, "contract_modifications") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);
  // Exactly 50 % passes, with 6 more months.
  const auto half = w.modify("additional", "1500.00", {{"months_change", 6}});
  REQUIRE(half.result_int() == 201);
  view = body_of(half);
  REQUIRE(view.at("modifications").as_array().size() == 1);
  const auto first = view.at("modifications").at(0);
  CHECK(first.at("number") == 1);
  CHECK(first.at("ground") == "additional");
  CHECK(first.at("ground_label") == "prestations supplémentaires");
  CHECK(first.at("article") == "R2194-2");
  CHECK(first.at("amount_change") == "1500.00");
  CHECK(first.at("percent_of_initial") == "50.00");
  CHECK(first.at("amount_after") == "4500.00");
  CHECK(first.at("months_after") == 18);
  CHECK(test::count_rows(db, "audit_log") == audit + 1);
  // Per modification, not cumulated: a second 50 % would pass too (R2194-3, 2nd paragraph);
  // R2194-5 is refused one cent over, both ways.
  CHECK(code_of(w.modify("unforeseen", "-1500.01")) == "modification.over_half");

  // R2194-8 and R2194-9: de minimis cumulated strictly below 10 % (300,00 €).
  REQUIRE(w.modify("de_minimis", "200.00").result_int() == 201);
  const auto at_ten = w.modify("de_minimis", "100.00");  // 300,00 € cumulated = 10 % exactly
  CHECK(at_ten.result_int() == 409);
  CHECK(code_of(at_ten) == "modification.de_minimis.percent");
  CHECK(code_of(w.modify("de_minimis", "100.01")) == "modification.de_minimis.percent");
  const auto under = w.modify("de_minimis", "99.99");  // 299,99 €
  REQUIRE(under.result_int() == 201);
  CHECK(code_of(w.modify("de_minimis", "0.01")) == "modification.de_minimis.percent");
  view = body_of(under);
  CHECK(view.at("de_minimis_cumulative") == "299.99");

  // The other grounds' own conditions.
  const auto bare = w.modify("non_substantial", "10.00", {{"justification", "."}});
  CHECK(bare.result_int() == 400);
  CHECK(w.refusal(bare) == "modification.justification.required");
  CHECK(code_of(w.modify("non_substantial", "300.00")) == "modification.non_substantial.too_high");
  const auto no_clause = w.modify("review_clause", "5000.00");
  CHECK(no_clause.result_int() == 400);
  CHECK(w.refusal(no_clause) == "modification.clause_reference.required");
  CHECK(code_of(w.modify("holder_change", "0.01")) == "modification.holder_change.other_change");
  CHECK(code_of(w.modify("review_clause", "-4799.99", {{"clause_reference", "CCAP 12.3"}})) ==
        "modification.amount.not_positive");
  const auto clause = w.modify("review_clause", "-299.99", {{"clause_reference", "CCAP article 12.3"}});
  REQUIRE(clause.result_int() == 201);

  // The cumulative effect: 1 500,00 + 200,00 + 99,99 − 299,99 = 1 500,00 € (50 %).
  const auto read = w.officer.get(w.a + "/modifications");
  REQUIRE(read.result_int() == 200);
  view = body_of(read);
  const auto& items = view.at("modifications").as_array();
  REQUIRE(items.size() == 4);
  CHECK(items[1].at("percent_of_initial") == "6.67");    // 200 / 3 000 = 6.666… %
  CHECK(items[2].at("percent_of_initial") == "3.33");    // 99,99 / 3 000 = 3.333 %
  CHECK(items[3].at("percent_of_initial") == "-10.00");  // −299,99 / 3 000 = −9.9997 %
  CHECK(items[3].at("article") == "R2194-1");
  CHECK(items[3].at("clause_reference") == "CCAP article 12.3");
  CHECK(items[3].at("number") == 4);
  CHECK(view.at("cumulative_change") == "1500.00");
  CHECK(view.at("cumulative_percent") == "50.00");
  CHECK(view.at("current") == "4500.00");
  CHECK(view.at("months_change") == 6);
  CHECK(view.at("current_months") == 18);
  CHECK(test::count_rows(db, "contract_modifications") == 4);
  CHECK(test::count_rows(db, "audit_log") == audit + 4);

  // Append-only on both backends: the database itself refuses a change.
  CHECK_THROWS(db.acquire().value().sql() << "UPDATE contract_modifications SET amount_change = 0");
  CHECK_THROWS(db.acquire().value().sql() << "DELETE FROM contract_modifications");
  CHECK(test::count_rows(db, "contract_modifications") == 4);
}

TEST_CASE("modifications over HTTP: de minimis below 15 % for works (R2194-8)") {
  ContractInForce w("45442100-8", "m2");  // painting works: division 45
  const auto view = body_of(w.officer.get(w.a + "/modifications"));
  REQUIRE(view.at("initial") == "3000.00");  // 300 m2 at 10 €: 15 % is 450,00 €
  REQUIRE(w.modify("de_minimis", "449.99").result_int() == 201);
  const auto at_limit = w.modify("de_minimis", "0.01");  // 450,00 € cumulated = 15 % exactly
  CHECK(at_limit.result_int() == 409);
  CHECK(code_of(at_limit) == "modification.de_minimis.percent");
  CHECK(std::string(body_of(at_limit).at("detail").as_string()).find("15\u00a0%") != std::string::npos);
  CHECK(test::count_rows(*w.s.database, "contract_modifications") == 1);
}

TEST_CASE("modifications over HTTP: bad bodies refused with their code, nothing written") {
  ContractInForce w;
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const std::string target = w.a + "/modifications";
  const std::string ok = R"("object":"Avenant","signed_on":"2026-11-29","amount_change":"10.00")";
  struct Bad {
    std::string target;
    std::string body;
    unsigned status;
    std::string code;  // the problem's, or its first field's
  };
  const std::vector<Bad> bad = {
      {target, "[", 400, "input.malformed_json"},
      {target, "[]", 400, "input.not_object"},
      {target, "{}", 400, "input.required"},
      {target, R"({"ground":"avenant",)" + ok + "}", 400, "modification.ground.unknown"},
      {target, R"({"ground":7,)" + ok + "}", 400, "input.not_text"},
      {target, R"({"ground":"de_minimis",)" + ok + R"(,"x":1})", 400, "input.unknown_field"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-13-01","amount_change":"1"})", 400,
       "date.not_a_date"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"29/11/2026","amount_change":"1"})", 400,
       "date.format"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-11-29","amount_change":"1.001"})", 400,
       "money.decimal.too_many_decimals"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-11-29","amount_change":"1e3"})", 400,
       "money.decimal.not_a_number"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-11-29","amount_change":{"a":1}})", 400,
       "input.not_decimal"},
      {target,
       R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-11-29","amount_change":"99999999999999999999"})",
       400, "money.decimal.too_large"},
      {target, R"({"ground":"de_minimis",)" + ok + R"(,"months_change":-1})", 400, "input.out_of_range"},
      {target, R"({"ground":"de_minimis",)" + ok + R"(,"months_change":121})", 400, "input.out_of_range"},
      {target, R"({"ground":"de_minimis",)" + ok + R"(,"months_change":"3"})", 400, "input.not_integer"},
      {target, R"({"ground":"de_minimis","object":"\u0001\u0007","signed_on":"2026-11-29","amount_change":"1"})", 400,
       "modification.object.invalid"},
      {target, R"({"ground":"de_minimis","object":"   ","signed_on":"2026-11-29","amount_change":"1"})", 400,
       "modification.object.invalid"},
      {target,
       R"({"ground":"de_minimis","object":")" + std::string(1001, 'a') +
           R"(","signed_on":"2026-11-29","amount_change":"1"})",
       400, "modification.object.invalid"},
      {target,
       R"({"ground":"de_minimis","object":")" + std::string(5000, 'a') +
           R"(","signed_on":"2026-11-29","amount_change":"1"})",
       400, "input.too_long"},
      {target, R"({"ground":"review_clause",)" + ok + R"(,"clause_reference":"a\nb"})", 400,
       "modification.clause_reference.invalid"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-11-30","amount_change":"1"})", 400,
       "modification.date.future"},
      {target, R"({"ground":"de_minimis","object":"Avenant","signed_on":"2026-11-28","amount_change":"1"})", 409,
       "modification.contract_not_in_force"},
      {w.b + "/modifications", R"({"ground":"de_minimis",)" + ok + "}", 409, "modification.contract_not_in_force"},
      {"/v1/contracts/999999/modifications", R"({"ground":"de_minimis",)" + ok + "}", 404, "contract.not_found"},
      {"/v1/contracts/abc/modifications", R"({"ground":"de_minimis",)" + ok + "}", 404, ""},
      {"/v1/contracts/-1/modifications", R"({"ground":"de_minimis",)" + ok + "}", 404, ""},
  };
  for (const auto& b : bad) {
    CAPTURE(b.target);
    CAPTURE(b.body.substr(0, 200));
    const auto reply = w.officer.send(verb::post, b.target, b.body);
    CHECK(reply.result_int() == b.status);
    if (!b.code.empty()) {
      const auto code = code_of(reply) == b.code ? code_of(reply) : field_code_of(reply);
      CHECK(code == b.code);
    }
  }
  const auto plain = w.officer.send(verb::post, target, "ground=de_minimis", {{"Content-Type", "text/plain"}});
  CHECK(plain.result_int() == 415);
  CHECK(test::count_rows(db, "contract_modifications") == 0);
  CHECK(test::count_rows(db, "audit_log") == audit);

  // A hostile but well-formed text is data: stored and returned as it was sent.
  const std::string hostile = "'); DROP TABLE contracts; -- <script>alert(1)</script> « ok »";
  const auto stored = w.modify("de_minimis", "1.00", {{"object", hostile}});
  REQUIRE(stored.result_int() == 201);
  CHECK(body_of(stored).at("modifications").at(0).at("object") == hostile.c_str());
  CHECK(test::count_rows(db, "contracts") == 2);
}

TEST_CASE("modifications over HTTP: officers record; readers see their own member's contracts only") {
  ContractInForce w;
  REQUIRE(w.modify("de_minimis", "10.00").result_int() == 201);
  const Call buyer_a{w.s.client, w.s.user(Role::buyer, w.member_a, "reader.a@x.example")};
  const Call buyer_b{w.s.client, w.s.user(Role::buyer, w.member_b, "reader.b@x.example")};
  const Call finance_b{w.s.client, w.s.user(Role::finance, w.member_b, "finance.b@x.example")};
  const Call finance{w.s.client, w.s.user(Role::finance, std::nullopt, "finance@x.example")};
  const auto own = buyer_a.get(w.a + "/modifications");
  REQUIRE(own.result_int() == 200);
  CHECK(body_of(own).at("modifications").at(0).at("amount_change") == "10.00");
  const auto other = buyer_b.get(w.a + "/modifications");
  CHECK(other.result_int() == 404);
  CHECK(code_of(other) == "contract.not_found");
  CHECK(finance_b.get(w.a + "/modifications").result_int() == 404);
  CHECK(finance.get(w.a + "/modifications").result_int() == 200);
  CHECK(buyer_b.get(w.b + "/modifications").result_int() == 200);  // its own, not in force: empty
  CHECK(buyer_a.post(w.a + "/modifications", json::object{}).result_int() == 403);
  CHECK(finance.post(w.a + "/modifications", json::object{}).result_int() == 403);
}
