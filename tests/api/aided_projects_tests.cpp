// Aided projects over HTTP, on both backends (CGLLS subsidy, issue 19 items 6 and 7):
// created by finance, read by the members' users, changed with If-Match while planned,
// taken through request → grant → pay with dates; hostile input refused with a code and
// nothing stored. The server's "today" is 2026-11-29. Figures by hand:
//   A: 6,000.00 HT at 20 % VAT, recoverable → base 6,000.00
//   B: 4,000.00 HT + 800.00 VAT, not recoverable → base TTC 4,800.00
//   base 10,800.00 × 60 % (collective) = 6,480.00; A 6,480 × 6,000 / 10,800 = 3,600.00, B 2,880.00.
#include <doctest/doctest.h>

#include "tests/support/fixtures.hpp"
#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;
using test::http::verb;

namespace {

std::string text(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }
std::string etag_of(const test::Reply& r) { return std::string(r.base()["ETag"]); }

struct World : test::TwoMembers {
  std::int64_t c = member("C", "270800014");
  Call finance{s.client, s.user(Role::finance, std::nullopt, "finance@x.example")};
  Call finance_a{s.client, s.user(Role::finance, a, "finance.a@x.example")};
  Call buyer_b{s.client, s.user(Role::buyer, b, "buyer.b@x.example")};
  Call buyer_c{s.client, s.user(Role::buyer, c, "buyer.c@x.example")};

  json::object project() {
    return json::object{{"kind", "digital_tool"},
                        {"title", "Outil numérique commun"},
                        {"collective", true},
                        {"planned_on", "2026-10-01"},
                        {"members", json::array{a, b}},
                        {"expenses", json::array{json::object{{"member_id", a},
                                                              {"label", "Développement"},
                                                              {"amount_ht", "6000.00"},
                                                              {"vat_rate", "20"},
                                                              {"vat_recoverable", true}},
                                                 json::object{{"member_id", b},
                                                              {"label", "Formation"},
                                                              {"amount_ht", "4000.00"},
                                                              {"vat", "800.00"},
                                                              {"vat_recoverable", false}}}}};
  }
};

}  // namespace

TEST_CASE("aided projects over HTTP: created, read by its members, requested, granted, paid; audited") {
  World w;
  auto& db = *w.s.database;
  const auto created = w.finance.post("/v1/aided-projects", w.project());
  REQUIRE_MESSAGE(created.result_int() == 201, created.body());
  const auto p = body_of(created);
  const std::string path = "/v1/aided-projects/" + std::to_string(p.at("id").as_int64());
  CHECK(etag_of(created) == "\"v1\"");
  CHECK(text(p, "status") == "planned");
  const auto& subsidy = p.at("subsidy");
  CHECK(text(subsidy, "eligible_base") == "10800.00");
  CHECK(text(subsidy, "rate") == "60.00");
  CHECK(text(subsidy, "rate_source") == "collective");
  CHECK(text(subsidy, "projected") == "6480.00");
  CHECK(text(subsidy, "limited_by") == "rate");
  CHECK(text(subsidy, "counted") == "projected");
  CHECK(text(p.at("members").at(0), "projected") == "3600.00");
  CHECK(text(p.at("members").at(1), "projected") == "2880.00");
  CHECK(text(p.at("expenses").at(0), "vat") == "1200.00");  // 6,000 × 20 %
  CHECK(text(p.at("expenses").at(1), "eligible_base") == "4800.00");

  // Read by B's buyer (a member), not by C's; listed for B, not for C.
  CHECK(w.buyer_b.get(path).result_int() == 200);
  CHECK(w.buyer_c.get(path).result_int() == 404);
  CHECK(body_of(w.buyer_b.get("/v1/aided-projects")).at("items").as_array().size() == 1);
  CHECK(body_of(w.buyer_c.get("/v1/aided-projects")).at("items").as_array().empty());
  CHECK(w.buyer_b.patch(path, json::object{{"title", "x"}}).result_int() == 403);

  // If-Match: an old version is refused, nothing changes.
  const auto renamed = w.finance.patch(path, json::object{{"title", "Outil commun de suivi"}}, "\"v1\"");
  REQUIRE_MESSAGE(renamed.result_int() == 200, renamed.body());
  CHECK(etag_of(renamed) == "\"v2\"");
  const auto stale = w.finance.patch(path, json::object{{"title", "Autre"}}, "\"v1\"");
  CHECK(stale.result_int() == 412);
  CHECK(text(body_of(w.finance.get(path)), "title") == "Outil commun de suivi");
  // A project rate with its reason: 50 % → 5,400.00; then back to the network's.
  const auto own_rate = w.finance.patch(path,
                                        json::object{{"rate", "50"}, {"rate_reason", "Décision CGLLS du 15/10/2026"}});
  REQUIRE_MESSAGE(own_rate.result_int() == 200, own_rate.body());
  CHECK(text(body_of(own_rate).at("subsidy"), "projected") == "5400.00");
  const auto back = w.finance.patch(path, json::object{{"rate", nullptr}, {"rate_reason", nullptr}});
  REQUIRE_MESSAGE(back.result_int() == 200, back.body());
  CHECK(text(body_of(back).at("subsidy"), "projected") == "6480.00");

  // Request, grant (amount and date required), pay (not before the grant).
  const auto requested = w.finance.post(path + "/request", json::object{{"on", "2026-11-02"}});
  REQUIRE_MESSAGE(requested.result_int() == 200, requested.body());
  CHECK(text(body_of(requested), "requested_on") == "2026-11-02");
  const auto expense = w.finance.post(path + "/expenses", json::object{{"member_id", w.a},
                                                                       {"label", "Hébergement"},
                                                                       {"amount_ht", "100.00"},
                                                                       {"vat_recoverable", true}});
  CHECK(expense.result_int() == 409);
  CHECK(test::problem_code(expense) == "aided_project.not_planned");
  const auto no_amount = w.finance.post(path + "/grant", json::object{{"on", "2026-11-20"}});
  CHECK(no_amount.result_int() == 400);
  CHECK(test::first_error_code(no_amount) == "aided_project.grant.amount_missing");
  const auto paid_early = w.finance.post(path + "/pay", json::object{{"on", "2026-11-20"}});
  CHECK(paid_early.result_int() == 409);
  CHECK(test::problem_code(paid_early) == "aided_project.transition.not_allowed");
  const auto before_request = w.finance.post(path + "/grant", json::object{{"on", "2026-11-01"}, {"amount", "6000"}});
  CHECK(before_request.result_int() == 400);
  CHECK(test::first_error_code(before_request) == "aided_project.date.before_previous");
  const auto future = w.finance.post(path + "/grant", json::object{{"on", "2026-11-30"}, {"amount", "6000"}});
  CHECK(test::first_error_code(future) == "aided_project.date.future");
  const auto granted = w.finance.post(path + "/grant", json::object{{"on", "2026-11-20"}, {"amount", "6000.00"}});
  REQUIRE_MESSAGE(granted.result_int() == 200, granted.body());
  const auto g = body_of(granted);
  CHECK(text(g, "status") == "granted");
  CHECK(text(g, "granted_amount") == "6000.00");
  CHECK(text(g.at("subsidy"), "counted") == "granted");
  // 6,000 × 6,000 / 10,800 = 3,333.33…; 6,000 × 4,800 / 10,800 = 2,666.66…: the cent left goes to B (.67 > .33).
  CHECK(text(g.at("members").at(0), "granted") == "3333.33");
  CHECK(text(g.at("members").at(1), "granted") == "2666.67");
  const auto paid_before = w.finance.post(path + "/pay", json::object{{"on", "2026-11-19"}});
  CHECK(test::first_error_code(paid_before) == "aided_project.date.before_previous");
  const auto paid = w.finance.post(path + "/pay", json::object{{"on", "2026-11-25"}});
  REQUIRE_MESSAGE(paid.result_int() == 200, paid.body());
  const auto history = body_of(paid).at("steps").as_array();
  REQUIRE(history.size() == 4);
  CHECK(text(history[2], "status") == "granted");
  CHECK(text(history[2], "amount") == "6000.00");
  CHECK(text(history[3], "on") == "2026-11-25");
  // create, 3 updates, request, grant, pay
  CHECK(test::count_rows(db, "audit_log") >= 7);

  // The savings report states the rates and the statuses it counts.
  const auto report = w.finance.get("/v1/reports/savings?group_by=member");
  REQUIRE_MESSAGE(report.result_int() == 200, report.body());
  const auto report_body = body_of(report);
  const auto& parameters = report_body.at("parameters").at("subsidy");
  CHECK(text(parameters, "collective_rate") == "60.00");
  CHECK(text(parameters, "individual_rate") == "40.00");
  CHECK(parameters.at("project_cap").is_null());
  CHECK(parameters.at("granted_statuses").as_array().size() == 2);
  CHECK(text(report_body.at("totals"), "subsidy_projected") == "0.00");
}

TEST_CASE("aided projects over HTTP: hostile input is refused with a code and stores nothing") {
  World w;
  auto& db = *w.s.database;
  const auto before = test::count_rows(db, "aided_projects");
  const auto refused = [&](json::object body, const char* code, unsigned status = 400, const Call* who = nullptr) {
    CAPTURE(code);
    const auto reply = (who ? *who : w.finance).post("/v1/aided-projects", body);
    CHECK_MESSAGE(reply.result_int() == status, reply.body());
    const auto codes = test::field_codes(reply);
    CHECK_MESSAGE(std::find(codes.begin(), codes.end(), code) != codes.end(), reply.body());
  };
  const auto with = [&](const char* key, json::value value) {
    auto body = w.project();
    body[key] = std::move(value);
    return body;
  };
  refused(with("kind", "Study"), "aided_project.kind.unknown");
  refused(with("title", ""), "aided_project.title.length");
  refused(with("title", json::string(201, 'x')), "aided_project.title.length");
  refused(with("members", json::array{}), "aided_project.members.empty");
  refused(with("members", json::array{w.a, w.a}), "aided_project.members.duplicate");
  refused(with("members", "A"), "input.not_list");
  refused(with("members", json::array{"1"}), "input.not_integer");
  refused(with("members", json::array{w.a, w.b, 999999}), "aided_project.members.unknown");
  refused(with("collective", "yes"), "input.not_boolean");
  refused(with("planned_on", "2026-02-30"), "date.not_a_date");
  refused(with("planned_on", "2026-12-01"), "aided_project.date.future");
  refused(with("rate", "abc"), "money.decimal.not_a_number");
  refused(with("rate", "150"), "aided_project.rate.out_of_range");
  refused(with("rate", "50"), "aided_project.rate.reason_missing");
  refused(with("unknown", 1), "input.unknown_field");
  auto single = w.project();
  single["members"] = json::array{w.a};
  single["expenses"] = json::array{};
  refused(single, "aided_project.collective.single_member");
  const auto expense = [&](json::object e) {
    auto body = w.project();
    body["expenses"] = json::array{std::move(e)};
    return body;
  };
  refused(expense({{"member_id", w.a}, {"label", "x"}, {"amount_ht", "-5"}, {"vat_recoverable", true}}),
          "aided_project.expense.amount_not_positive");
  refused(expense({{"member_id", w.c}, {"label", "x"}, {"amount_ht", "5"}, {"vat_recoverable", true}}),
          "aided_project.expense.not_member");
  refused(expense({{"member_id", w.a},
                   {"label", "x"},
                   {"amount_ht", "5"},
                   {"vat", "1"},
                   {"vat_rate", "20"},
                   {"vat_recoverable", true}}),
          "aided_project.expense.vat_twice");
  refused(expense(
              {{"member_id", w.a}, {"label", "x"}, {"amount_ht", "5"}, {"vat_rate", "120"}, {"vat_recoverable", true}}),
          "aided_project.expense.vat_rate_range");
  refused(expense({{"member_id", w.a}, {"label", "x"}, {"amount_ht", "1e30"}, {"vat_recoverable", true}}),
          "money.decimal.not_a_number");
  // A member's finance user creates only its member's projects.
  auto others = w.project();
  others["members"] = json::array{w.b, w.c};
  others["expenses"] = json::array{};
  refused(others, "aided_project.members.not_own", 400, &w.finance_a);
  // Not JSON, not an object.
  CHECK(w.finance.send(verb::post, "/v1/aided-projects", "{", {}).result_int() == 400);
  CHECK(w.finance.send(verb::post, "/v1/aided-projects", "[]", {}).result_int() == 400);
  CHECK(w.finance.send(verb::post, "/v1/aided-projects", "x", {{"Content-Type", "text/plain"}}).result_int() == 415);
  CHECK(test::count_rows(db, "aided_projects") == before);

  // On a stored project: bad steps, bad links, bad ids; nothing changes.
  const auto created = w.finance.post("/v1/aided-projects", w.project());
  REQUIRE(created.result_int() == 201);
  const std::string path = "/v1/aided-projects/" + std::to_string(body_of(created).at("id").as_int64());
  const auto steps = test::count_rows(db, "aided_project_steps");
  CHECK(test::first_error_code(w.finance.post(path + "/request", json::object{{"on", "demain"}})) == "date.format");
  CHECK(test::first_error_code(w.finance.post(path + "/request", json::object{})) == "aided_project.date.missing");
  CHECK(test::first_error_code(w.finance.post(path + "/request", json::object{{"on", nullptr}})) ==
        "aided_project.date.missing");
  CHECK(
      test::first_error_code(w.finance.post(path + "/request", json::object{{"on", "2026-11-02"}, {"amount", "1"}})) ==
      "aided_project.amount.not_expected");
  CHECK(test::problem_code(w.finance.post(path + "/grant", json::object{{"on", "2026-11-02"}, {"amount", "1"}})) ==
        "aided_project.transition.not_allowed");
  CHECK(w.finance.post(path + "/request", json::object{{"on", "2026-11-02"}, {"extra", 1}}).result_int() == 400);
  CHECK(test::first_error_code(w.finance.post(path + "/shared-costs", json::object{{"shared_cost_id", 999999}})) ==
        "aided_project.cost.not_found");
  CHECK(w.finance.post(path + "/shared-costs", json::object{{"shared_cost_id", "1"}}).result_int() == 400);
  CHECK(w.finance.send(verb::delete_, path + "/shared-costs/999999", "", {}).result_int() == 404);
  CHECK(w.finance.send(verb::delete_, path + "/expenses/999999", "", {}).result_int() == 404);
  CHECK(w.finance.send(verb::delete_, path + "/expenses/abc", "", {}).result_int() == 404);
  CHECK(w.finance.get("/v1/aided-projects/-1").result_int() == 404);
  CHECK(w.finance.patch(path, json::object{{"collective", false}, {"members", json::array{w.a}}}).result_int() == 400);
  CHECK(w.finance.patch(path, json::object{{"title", nullptr}}).result_int() == 400);
  CHECK(test::count_rows(db, "aided_project_steps") == steps);
  CHECK(text(body_of(w.finance.get(path)), "status") == "planned");
  CHECK(etag_of(w.finance.get(path)) == "\"v1\"");
}

TEST_CASE("aided projects over HTTP: expenses added and removed while planned") {
  World w;
  const auto created = w.finance_a.post("/v1/aided-projects", json::object{{"kind", "study"},
                                                                           {"title", "Étude thermique"},
                                                                           {"collective", false},
                                                                           {"planned_on", "2026-09-01"},
                                                                           {"members", json::array{w.a}}});
  REQUIRE_MESSAGE(created.result_int() == 201, created.body());
  const std::string path = "/v1/aided-projects/" + std::to_string(body_of(created).at("id").as_int64());
  // 12,345.67 HT at 5.5 %: VAT 679.01185 → 679.01; not recoverable: base 13,024.68 × 40 % = 5,209.872 → 5,209.87.
  const auto added = w.finance_a.post(path + "/expenses",
                                      json::object{{"member_id", w.a},
                                                   {"label", "Bureau d’études"},
                                                   {"amount_ht", "12345.67"},
                                                   {"vat_rate", "5.5"},
                                                   {"vat_recoverable", false}},
                                      "\"v1\"");
  REQUIRE_MESSAGE(added.result_int() == 201, added.body());
  const auto e = body_of(added);
  CHECK(text(e.at("expenses").at(0), "vat") == "679.01");
  CHECK(text(e.at("subsidy"), "eligible_base") == "13024.68");
  CHECK(text(e.at("subsidy"), "projected") == "5209.87");
  CHECK(text(e.at("subsidy"), "rate_source") == "individual");
  const auto expense_id = e.at("expenses").at(0).at("id").as_int64();
  const auto removed = w.finance_a.send(verb::delete_, path + "/expenses/" + std::to_string(expense_id), "",
                                        {{"If-Match", "\"v1\""}});
  CHECK(removed.result_int() == 412);
  const auto removed_now = w.finance_a.send(verb::delete_, path + "/expenses/" + std::to_string(expense_id), "", {});
  REQUIRE_MESSAGE(removed_now.result_int() == 200, removed_now.body());
  CHECK(text(body_of(removed_now).at("subsidy"), "projected") == "0.00");
  // Another member's finance user does not see it.
  const Call finance_b{w.s.client, w.s.user(Role::finance, w.b, "finance.b@x.example")};
  CHECK(finance_b.get(path).result_int() == 404);
  CHECK(finance_b.post(path + "/request", json::object{{"on", "2026-11-02"}}).result_int() == 404);
}
