// Issue 16 item 15 over HTTP, on both backends: the other obligations of 21 August
// 2026 — environmental execution conditions (L2112-2 as amended by loi 2021-1104
// art. 35) and social considerations at or above the EU thresholds (L2112-2-1).
// Recorded on the tender while draft, checked at publication, refusals with the
// rule's code and the database unchanged. The server's "today" is 2026-11-29, after
// 2026-08-21 (the engine tests hold both sides of the date).
#include <doctest/doctest.h>

#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::tender_path;
using test::text_of;
namespace json = boost::json;
using test::http::verb;

namespace {

struct World : test::TwoMembers {
  // Two needs of paint at `price` € the litre, 300 l and 700 l: 1,000 × price €.
  void needs(const char* price) {
    need(a, "44810000-1", "300", "l", price);
    need(b, "44810000-1", "700", "l", price);
  }

  test::Reply create(json::object extra = {}) {
    json::object body{{"title", "Peintures"},
                      {"coordinator_member_id", a},
                      {"criteria",
                       json::array{json::object{{"name", "prix"}, {"weight", 60}, {"price", true}},
                                   json::object{{"name", "environnement"}, {"weight", 40}, {"environmental", true}}}},
                      {"bid_deadline", "2027-02-01T12:00:00Z"},
                      {"allotment_justification", "fourniture homogène"},
                      {"proposal", json::object{{"options", json::object{{"contract_start", "2027-01-01"}}}}}};
    for (auto& [k, v] : extra) body[k] = v;
    return officer.post("/v1/tenders", body);
  }
};

}  // namespace

TEST_CASE("execution conditions over HTTP: recorded at creation, edited while draft, read back") {
  World w;
  w.needs("10");  // 10,000 €: below the EU thresholds
  const auto created = w.create({{"environmental_conditions", "Peintures en phase aqueuse ; pots repris"}});
  REQUIRE(created.result_int() == 201);
  const auto t = tender_path(created);
  CHECK(text_of(body_of(created), "environmental_conditions") == "Peintures en phase aqueuse ; pots repris");
  CHECK(text_of(body_of(created), "social_considerations").empty());
  CHECK(text_of(body_of(created), "social_exception").empty());

  const auto patched = w.officer.patch(t, json::object{{"social_considerations",
                                                        "Insertion : 5 % des heures\nde livraison"},
                                                       {"social_exception", "sans objet"}});
  REQUIRE(patched.result_int() == 200);
  const auto read = body_of(w.officer.get(t));
  CHECK(text_of(read, "environmental_conditions") == "Peintures en phase aqueuse ; pots repris");  // untouched
  CHECK(text_of(read, "social_considerations") == "Insertion : 5 % des heures\nde livraison");
  CHECK(text_of(read, "social_exception") == "sans objet");
  // null and "" clear.
  REQUIRE(w.officer.patch(t, json::object{{"social_exception", nullptr}, {"social_considerations", ""}}).result_int() ==
          200);
  CHECK(text_of(body_of(w.officer.get(t)), "social_exception").empty());
  CHECK(text_of(body_of(w.officer.get(t)), "social_considerations").empty());

  // Adapted procedure: no social consideration needed; it publishes, and the texts
  // can no longer change.
  CHECK(text_of(read, "procedure") != "formal");
  REQUIRE(w.officer.send(verb::post, t + "/publish").result_int() == 200);
  CHECK(w.officer.patch(t, json::object{{"environmental_conditions", "autre"}}).result_int() == 409);
  CHECK(text_of(body_of(w.officer.get(t)), "environmental_conditions") == "Peintures en phase aqueuse ; pots repris");
}

TEST_CASE("execution conditions over HTTP: publication refused without environmental conditions (L2112-2)") {
  World w;
  w.needs("10");
  const auto created = w.create();
  REQUIRE(created.result_int() == 201);
  const auto t = tender_path(created);
  auto& db = *w.s.database;
  const auto audit = test::count_rows(db, "audit_log");
  const auto refused = w.officer.send(verb::post, t + "/publish");
  CHECK(refused.result_int() == 409);
  const auto problem = body_of(refused);
  CHECK(text_of(problem, "code") == "tender.environmental_conditions.missing");
  REQUIRE(problem.at("errors").as_array().size() == 1);
  CHECK(text_of(problem.at("errors").at(0), "field") == "environmental_conditions");
  CHECK(text_of(problem.at("errors").at(0), "message").find("L2112-2") != std::string::npos);
  CHECK(text_of(body_of(w.officer.get(t)), "status") == "draft");
  CHECK(test::count_rows(db, "audit_log") == audit);

  // Spaces alone say nothing.
  REQUIRE(w.officer.patch(t, json::object{{"environmental_conditions", "  \n "}}).result_int() == 200);
  CHECK(w.officer.send(verb::post, t + "/publish").result_int() == 409);
  REQUIRE(
      w.officer
          .patch(t, json::object{{"environmental_conditions", "Livraisons groupées par véhicules à faibles émissions"}})
          .result_int() == 200);
  CHECK(w.officer.send(verb::post, t + "/publish").result_int() == 200);
}

TEST_CASE(
    "execution conditions over HTTP: a formal procedure needs social considerations or their exception (L2112-2-1)") {
  World w;
  w.needs("1000");  // 1,000,000 €: above the EU thresholds for supplies
  const auto created = w.create({{"environmental_conditions", "Pots repris par le titulaire"}});
  REQUIRE(created.result_int() == 201);
  CHECK(text_of(body_of(created), "procedure") == "formal");
  const auto t = tender_path(created);
  const auto refused = w.officer.send(verb::post, t + "/publish");
  CHECK(refused.result_int() == 409);
  CHECK(text_of(body_of(refused), "code") == "tender.social_considerations.missing");
  CHECK(test::first_error_field(refused) == "social_considerations");
  CHECK(text_of(body_of(refused).at("errors").at(0), "message").find("L2112-2-1") != std::string::npos);
  CHECK(text_of(body_of(w.officer.get(t)), "status") == "draft");

  // The exception, justified, is enough.
  REQUIRE(w.officer
              .patch(t, json::object{{"social_exception",
                                      "Fourniture livrée par le réseau du fabricant : aucune main-d'œuvre "
                                      "d'exécution sur laquelle porter une clause"}})
              .result_int() == 200);
  const auto published = w.officer.send(verb::post, t + "/publish");
  REQUIRE(published.result_int() == 200);
  CHECK(text_of(body_of(published), "status") == "published");
  CHECK(text_of(body_of(published), "procedure") == "formal");
}

TEST_CASE("execution conditions over HTTP: bad input is refused (400, naming the field) and nothing is written") {
  World w;
  w.needs("10");
  auto& db = *w.s.database;
  const auto tenders = test::count_rows(db, "tenders");
  const auto audit = test::count_rows(db, "audit_log");
  std::string long_text(4001, 'e');
  std::string accents;
  for (int i = 0; i < 4001; ++i) accents += "é";
  const std::vector<std::pair<const char*, json::value>> bad = {
      {"environmental_conditions", json::value(42)},
      {"environmental_conditions", json::value(json::array{"clause"})},
      {"social_considerations", json::value(long_text)},
      {"social_exception", json::value(accents)},          // 4,001 characters
      {"social_considerations", json::value("bip \x07")},  // a control character
      {"environmental_conditions", json::value(true)},
  };
  for (const auto& [field, value] : bad) {
    CAPTURE(field);
    const auto refused = w.create({{field, value}});
    CHECK(refused.result_int() == 400);
    CHECK(test::first_error_field(refused) == field);
  }
  CHECK(test::count_rows(db, "tenders") == tenders);
  CHECK(test::count_rows(db, "audit_log") == audit);

  const auto created = w.create({{"environmental_conditions", "Pots repris"}});
  REQUIRE(created.result_int() == 201);
  const auto t = tender_path(created);
  const auto before = w.officer.get(t).body();
  const auto audit_after_create = test::count_rows(db, "audit_log");
  for (const auto& [field, value] : bad) {
    CAPTURE(field);
    const auto refused = w.officer.patch(t, json::object{{field, value}, {"title", "Nouveau titre"}});
    CHECK(refused.result_int() == 400);
    CHECK(test::first_error_field(refused) == field);
  }
  // Exactly 4,000 characters of two bytes each is accepted: counted in characters.
  std::string at_limit;
  for (int i = 0; i < 4000; ++i) at_limit += "é";
  CHECK(w.officer.patch(t, json::object{{"unknown_condition", "x"}}).result_int() == 400);
  CHECK(w.officer.get(t).body() == before);
  CHECK(test::count_rows(db, "audit_log") == audit_after_create);
  const auto ok = w.officer.patch(t, json::object{{"social_exception", at_limit}});
  CHECK(ok.result_int() == 200);
  CHECK(text_of(body_of(ok), "social_exception") == at_limit);
}
