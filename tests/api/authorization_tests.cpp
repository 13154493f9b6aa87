// Every route × every caller: the exact status. A route missing from the matrix
// fails the test, so adding one means deciding who may call it.
#include <doctest/doctest.h>

#include <map>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/splitting_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/api_server.hpp"
#include "usecases/aided_projects.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;
using test::Call;
namespace json = boost::json;
using test::http::verb;

namespace {

enum Caller { anonymous, admin, officer, buyer_own, buyer_other, finance_network, finance_own, finance_other };
constexpr Caller kCallers[] = {anonymous,   admin,           officer,     buyer_own,
                               buyer_other, finance_network, finance_own, finance_other};
constexpr const char* kNames[] = {"anonymous",   "admin",           "officer",     "buyer_own",
                                  "buyer_other", "finance_network", "finance_own", "finance_other"};

// What a caller gets: per caller, or a default for the allowed ones.
struct Expectation {
  std::string target;                   // the path with ids filled in
  std::string body;                     // sent as JSON (or CSV for the import)
  std::map<Caller, unsigned> statuses;  // every caller not listed gets 403 (401 when anonymous)
  bool csv = false;
};

struct World {
  test::ApiServer server;
  std::map<Caller, std::string> tokens;
  std::int64_t member_a = 0, member_b = 0, member_c = 0;
  std::int64_t pooled_need = 0, free_need = 0, tender = 0, lot = 0, bid = 0, supplier = 0, user = 0;
  std::int64_t standalone = 0;  // a stand-alone purchase of member A

  World() {
    auto& db = *server.database;
    const db::Actor actor{};
    const auto add_member = [&](const char* code, const char* siren) {
      Member m;
      m.code = code;
      m.name = code;
      m.siren = siren;
      m.department = *parse_department("02", "d");
      return db::create_member(db, actor, m)->id;
    };
    member_a = add_member("A", "270200017");
    member_b = add_member("B", "270510027");
    member_c = add_member("C", "270600034");
    tokens[admin] = server.user(Role::admin, std::nullopt, "admin@x.example");
    tokens[officer] = server.user(Role::officer, std::nullopt, "officer@x.example");
    tokens[buyer_own] = server.user(Role::buyer, member_a, "buyer.a@x.example");
    tokens[buyer_other] = server.user(Role::buyer, member_b, "buyer.b@x.example");
    tokens[finance_network] = server.user(Role::finance, std::nullopt, "finance@x.example");
    tokens[finance_own] = server.user(Role::finance, member_a, "finance.a@x.example");
    tokens[finance_other] = server.user(Role::finance, member_b, "finance.b@x.example");
    user = db::get_user_by_email(db, "buyer.b@x.example")->id;

    const auto add_need = [&](std::int64_t member, const char* cpv, const char* unit) {
      const auto need = test::make_need(0, member, test::in_year(test::need_draft(cpv, "10", unit, "1"), "2027"));
      return db::create_need(db, actor, need)->id;
    };
    pooled_need = add_need(member_a, "44810000-1", "l");
    add_need(member_c, "44810000-1", "l");
    free_need = add_need(member_a, "09310000-5", "MWh");

    AggregationFilter filter;
    filter.cpv_prefix = "4481";
    AggregationOptions options;
    options.contract_start = *parse_date("2027-01-01", "d");
    auto proposal = *propose_aggregation(*db::select_submitted_needs(db, filter), options);
    Tender t;
    t.title = "T";
    t.coordinator_member_id = member_a;
    t.contract_start = *options.contract_start;
    t.criteria = {{"prix", 60, true, false}, {"environnement", 40, false, true}};
    t.bid_deadline = "2027-02-01T12:00:00Z";
    t.allotment_justification = "un lot";
    t.environmental_conditions = "clause environnementale";  // L2112-2, from 2026-08-21
    t.lots = lots_from_proposal(proposal, server.services.nomenclature);
    tender = db::create_tender(db, actor, t)->id;
    lot = db::get_tender(db, tender)->lots.at(0).id;
    REQUIRE(usecases::transition_tender(db, actor, tender, TenderStatus::published, std::nullopt,
                                        *parse_date("2026-11-29", "d"))
                .ok());
    Supplier s;
    s.name = "S";
    s.siret = "38901234500010";
    s.department = *parse_department("02", "d");
    supplier = db::create_supplier(db, actor, s)->id;
    Bid b;
    b.supplier_id = supplier;
    b.received_at = "2026-11-29T12:00:00Z";  // after the notice, before the deadline
    b.tiers = {{Quantity{0}, UnitPrice{10000}}};
    bid = db::create_bid(db, actor, tender, lot, b)->id;
    StandalonePurchase p;
    p.member_id = member_a;
    p.cpv = *server.services.nomenclature.validate("30192000-1", "cpv");
    p.label = "Papier";
    p.amount = Amount{100};
    p.purchased_on = *parse_date("2026-03-01", "d");
    standalone = db::create_standalone_purchase(db, actor, p)->id;
  }
};

std::map<Caller, unsigned> only(std::initializer_list<std::pair<const Caller, unsigned>> list) { return list; }

}  // namespace

TEST_CASE("authorization matrix: every route, every role, own and other member") {
  World w;
  const auto id = [](std::int64_t n) { return std::to_string(n); };
  const std::string tender = "/v1/tenders/" + id(w.tender);
  const std::string lot = tender + "/lots/" + id(w.lot);
  const auto everyone = [](unsigned status) {
    std::map<Caller, unsigned> all;
    for (auto c : kCallers) all[c] = status;
    return all;
  };
  const auto signed_in = [](unsigned status) {
    std::map<Caller, unsigned> all;
    for (auto c : kCallers) {
      if (c != anonymous) all[c] = status;
    }
    return all;
  };

  // "METHOD pattern" → what each caller gets (unlisted: 403, anonymous 401).
  std::map<std::string, Expectation> matrix = {
      {"GET /healthz", {"/healthz", "", everyone(200)}},
      {"GET /readyz", {"/readyz", "", everyone(200)}},
      {"GET /metrics", {"/metrics", "", everyone(200)}},
      {"GET /v1/openapi.yaml", {"/v1/openapi.yaml", "", everyone(200)}},
      // public; 404 here because the test server has no web application built in
      {"GET /", {"/", "", everyone(404)}},
      {"GET /assets/{file}", {"/assets/index.js", "", everyone(404)}},
      {"GET /v1/members", {"/v1/members", "", signed_in(200)}},
      {"POST /v1/members", {"/v1/members", "{}", only({{admin, 400}})}},
      {"GET /v1/members/{id}", {"/v1/members/" + id(w.member_b), "", signed_in(200)}},
      {"PATCH /v1/members/{id}", {"/v1/members/" + id(w.member_b), "{}", only({{admin, 200}})}},
      {"GET /v1/me", {"/v1/me", "", signed_in(200)}},
      // Password sign-in (issue 20 item 9): public, or for a browser session.
      {"POST /v1/sessions", {"/v1/sessions", "{}", everyone(400)}},
      {"GET /v1/session", {"/v1/session", "", everyone(200)}},
      {"DELETE /v1/session", {"/v1/session", "", signed_in(409)}},
      {"POST /v1/password-links/use", {"/v1/password-links/use", "{}", everyone(400)}},
      {"POST /v1/users/{id}/password-link", {"/v1/users/" + id(w.user) + "/password-link", "", only({{admin, 201}})}},
      // OpenID Connect sign-in: public browser navigations (302 back to the sign-in page
      // here, no provider being configured), and the administrators' mapping of identities.
      {"GET /v1/oidc/providers", {"/v1/oidc/providers", "", everyone(200)}},
      {"GET /v1/oidc/{provider}/start", {"/v1/oidc/inconnu/start", "", everyone(302)}},
      {"GET /v1/oidc/{provider}/callback", {"/v1/oidc/inconnu/callback?code=a&state=b", "", everyone(302)}},
      {"GET /v1/oidc/identities", {"/v1/oidc/identities", "", only({{admin, 200}})}},
      {"POST /v1/oidc/identities/{id}/mapping", {"/v1/oidc/identities/999/mapping", "{}", only({{admin, 400}})}},
      {"DELETE /v1/oidc/identities/{id}/mapping", {"/v1/oidc/identities/999/mapping", "", only({{admin, 404}})}},
      {"POST /v1/oidc/identities/{id}/refusal", {"/v1/oidc/identities/999/refusal", "", only({{admin, 404}})}},
      {"GET /v1/users", {"/v1/users", "", only({{admin, 200}})}},
      {"POST /v1/users", {"/v1/users", "{}", only({{admin, 400}})}},
      {"PATCH /v1/users/{id}", {"/v1/users/" + id(w.user), "{}", only({{admin, 200}})}},
      {"GET /v1/suppliers", {"/v1/suppliers", "", only({{admin, 200}, {officer, 200}})}},
      {"POST /v1/suppliers", {"/v1/suppliers", "{}", only({{admin, 400}, {officer, 400}})}},
      {"GET /v1/suppliers/{id}", {"/v1/suppliers/" + id(w.supplier), "", only({{admin, 200}, {officer, 200}})}},
      {"PATCH /v1/suppliers/{id}", {"/v1/suppliers/" + id(w.supplier), "{}", only({{admin, 200}, {officer, 200}})}},
      {"GET /v1/cpv", {"/v1/cpv?q=peinture", "", signed_in(200)}},
      {"GET /v1/thresholds", {"/v1/thresholds", "", only({{admin, 200}, {officer, 200}})}},
      {"POST /v1/thresholds", {"/v1/thresholds", "{}", only({{admin, 400}})}},
      {"GET /v1/groupements", {"/v1/groupements", "", signed_in(200)}},
      {"POST /v1/groupements", {"/v1/groupements", "{}", only({{admin, 400}, {officer, 400}})}},
      {"GET /v1/groupements/{id}", {"/v1/groupements/999999", "", signed_in(404)}},
      {"PATCH /v1/groupements/{id}", {"/v1/groupements/999999", "{}", only({{admin, 404}, {officer, 404}})}},
      {"POST /v1/groupements/{id}/members",
       {"/v1/groupements/999999/members", "{}", only({{admin, 400}, {officer, 400}})}},
      {"GET /v1/needs", {"/v1/needs", "", only({{officer, 200}, {buyer_own, 200}, {buyer_other, 200}})}},
      {"POST /v1/needs", {"/v1/needs", "{}", only({{buyer_own, 400}, {buyer_other, 400}})}},
      {"POST /v1/needs/import", {"/v1/needs/import", "cpv\n", only({{buyer_own, 400}, {buyer_other, 400}}), true}},
      {"GET /v1/needs/import-template",
       {"/v1/needs/import-template", "", only({{officer, 200}, {buyer_own, 200}, {buyer_other, 200}})}},
      {"GET /v1/needs/{id}",
       {"/v1/needs/" + id(w.pooled_need), "", only({{officer, 200}, {buyer_own, 200}, {buyer_other, 404}})}},
      {"PATCH /v1/needs/{id}", {"/v1/needs/" + id(w.pooled_need), "{}", only({{buyer_own, 409}, {buyer_other, 404}})}},
      {"DELETE /v1/needs/{id}", {"/v1/needs/" + id(w.pooled_need), "", only({{buyer_own, 409}, {buyer_other, 404}})}},
      {"POST /v1/aggregations", {"/v1/aggregations", "{}", only({{officer, 200}})}},
      {"GET /v1/tenders",
       {"/v1/tenders", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 200},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 200}})}},
      {"POST /v1/tenders", {"/v1/tenders", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}",
       {tender, "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"PATCH /v1/tenders/{id}", {tender, "{}", only({{officer, 409}})}},
      {"POST /v1/tenders/{id}/publish", {tender + "/publish", "{}", only({{officer, 400}})}},
      {"POST /v1/tenders/{id}/close", {tender + "/close", "{}", only({{officer, 400}})}},
      {"POST /v1/tenders/{id}/cancel", {tender + "/cancel", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/procedure", {tender + "/procedure", "", only({{officer, 200}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/bids", {lot + "/bids", "", only({{officer, 200}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/bids", {lot + "/bids", "{}", only({{officer, 400}})}},
      {"PATCH /v1/bids/{id}", {"/v1/bids/" + id(w.bid), "{}", only({{officer, 200}})}},
      {"DELETE /v1/bids/{id}", {"/v1/bids/999999", "", only({{officer, 404}})}},
      {"POST /v1/bids/{id}/decisions", {"/v1/bids/" + id(w.bid) + "/decisions", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/evaluation", {tender + "/evaluation", "", only({{officer, 200}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/award", {lot + "/award", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/draws", {lot + "/draws", "", only({{officer, 200}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/draws", {lot + "/draws", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/award-chain",
       {lot + "/award-chain", "",
        only({{officer, 409},
              {buyer_own, 409},
              {buyer_other, 404},
              {finance_network, 409},
              {finance_own, 409},
              {finance_other, 404}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/letters", {lot + "/letters", "{}", only({{officer, 400}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/standstill", {lot + "/standstill", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/award-notice", {lot + "/award-notice", "", only({{officer, 409}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/award-notice", {lot + "/award-notice", "{}", only({{officer, 400}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/letters/prepare", {lot + "/letters/prepare", "{}", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/letters/preview", {lot + "/letters/preview", "", only({{officer, 400}})}},
      {"GET /v1/tenders/{id}/documents",
       {tender + "/documents", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"POST /v1/tenders/{id}/documents", {tender + "/documents", "{}", only({{officer, 400}})}},
      {"GET /v1/documents/{id}",
       {"/v1/documents/999999", "",
        only({{officer, 404},
              {buyer_own, 404},
              {buyer_other, 404},
              {finance_network, 404},
              {finance_own, 404},
              {finance_other, 404}})}},
      {"POST /v1/contracts/{id}/signature",
       {"/v1/contracts/999999/signature", "{}", only({{officer, 400}, {buyer_own, 400}, {buyer_other, 400}})}},
      {"POST /v1/contracts/{id}/notification",
       {"/v1/contracts/999999/notification", "{}", only({{officer, 400}, {buyer_own, 400}, {buyer_other, 400}})}},
      {"GET /v1/tenders/{id}/costs", {tender + "/costs", "", only({{officer, 200}})}},
      {"POST /v1/tenders/{id}/costs", {tender + "/costs", "{}", only({{officer, 400}})}},
      {"DELETE /v1/tenders/{id}/costs/{cost}", {tender + "/costs/999999", "", only({{officer, 404}})}},
      {"GET /v1/tenders/{id}/allocation",
       {tender + "/allocation", "",
        only({{officer, 200}, {finance_network, 200}, {finance_own, 200}, {finance_other, 404}})}},
      {"GET /v1/contracts",
       {"/v1/contracts", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 200},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 200}})}},
      {"GET /v1/audit", {"/v1/audit", "", only({{admin, 200}, {officer, 200}})}},
      {"GET /v1/reports/savings",
       {"/v1/reports/savings", "",
        only({{officer, 200},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 200},
              {buyer_own, 200},
              {buyer_other, 200}})}},
      {"GET /v1/tenders/{id}/ocds", {tender + "/ocds", "", only({{officer, 200}})}},
      {"GET /v1/tenders/{id}/dqe", {tender + "/dqe", "", only({{officer, 200}})}},
      {"GET /v1/standalone-purchases",
       {"/v1/standalone-purchases", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 200},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 200}})}},
      {"POST /v1/standalone-purchases",
       {"/v1/standalone-purchases", "{}", only({{officer, 400}, {buyer_own, 400}, {buyer_other, 400}})}},
      {"GET /v1/standalone-purchases/{id}",
       {"/v1/standalone-purchases/" + id(w.standalone), "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"POST /v1/standalone-purchases/{id}/cancel",
       {"/v1/standalone-purchases/" + id(w.standalone) + "/cancel", "{}",
        only({{officer, 400}, {buyer_own, 400}, {buyer_other, 404}})}},
      {"GET /v1/reports/splitting",
       {"/v1/reports/splitting?year=2026", "",
        only({{officer, 200},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 200},
              {buyer_own, 200},
              {buyer_other, 200}})}},
      {"GET /v1/tenders/{id}/framework",
       {tender + "/framework", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"PUT /v1/tenders/{id}/framework", {tender + "/framework", "{}", only({{officer, 409}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/ledger",
       {lot + "/ledger", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"GET /v1/contracts/{id}/ledger",
       {"/v1/contracts/999999/ledger", "",
        only({{officer, 404},
              {buyer_own, 404},
              {buyer_other, 404},
              {finance_network, 404},
              {finance_own, 404},
              {finance_other, 404}})}},
      {"POST /v1/orders", {"/v1/orders", "{}", only({{buyer_own, 400}, {buyer_other, 400}})}},
      {"GET /v1/orders",
       {"/v1/orders", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 200},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 200}})}},
      {"GET /v1/orders/{id}",
       {"/v1/orders/999999", "",
        only({{officer, 404},
              {buyer_own, 404},
              {buyer_other, 404},
              {finance_network, 404},
              {finance_own, 404},
              {finance_other, 404}})}},
      {"GET /v1/orders/{id}/form",
       {"/v1/orders/999999/form", "",
        only({{officer, 404},
              {buyer_own, 404},
              {buyer_other, 404},
              {finance_network, 404},
              {finance_own, 404},
              {finance_other, 404}})}},
      {"POST /v1/orders/{id}/send", {"/v1/orders/999999/send", "{}", only({{buyer_own, 404}, {buyer_other, 404}})}},
      {"POST /v1/orders/{id}/delivery",
       {"/v1/orders/999999/delivery", "{}", only({{buyer_own, 400}, {buyer_other, 400}})}},
      {"POST /v1/orders/{id}/invoice",
       {"/v1/orders/999999/invoice", "{}",
        only(
            {{buyer_own, 400}, {buyer_other, 400}, {finance_network, 400}, {finance_own, 400}, {finance_other, 400}})}},
      {"POST /v1/orders/{id}/payment",
       {"/v1/orders/999999/payment", "{}",
        only(
            {{buyer_own, 400}, {buyer_other, 400}, {finance_network, 400}, {finance_own, 400}, {finance_other, 400}})}},
      {"POST /v1/orders/{id}/cancel", {"/v1/orders/999999/cancel", "{}", only({{buyer_own, 400}, {buyer_other, 400}})}},
      {"GET /v1/exports/decp",
       {"/v1/exports/decp", "",
        only({{officer, 200}, {finance_network, 200}, {finance_own, 200}, {finance_other, 200}})}},
      {"GET /v1/contracts/{id}/modifications",
       {"/v1/contracts/999999/modifications", "",
        only({{officer, 404},
              {buyer_own, 404},
              {buyer_other, 404},
              {finance_network, 404},
              {finance_own, 404},
              {finance_other, 404}})}},
      {"POST /v1/contracts/{id}/modifications", {"/v1/contracts/999999/modifications", "{}", only({{officer, 404}})}},
      // Price revision (api/handlers/price_revision.cpp): the tender is published, its lot not awarded.
      {"GET /v1/tenders/{id}/lots/{lot}/price-terms",
       {lot + "/price-terms", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"PUT /v1/tenders/{id}/lots/{lot}/price-terms", {lot + "/price-terms", "{}", only({{officer, 400}})}},
      {"GET /v1/price-indices", {"/v1/price-indices", "", signed_in(200)}},
      {"POST /v1/price-indices", {"/v1/price-indices", "{}", only({{admin, 400}})}},
      {"GET /v1/tenders/{id}/lots/{lot}/price-revisions",
       {lot + "/price-revisions", "",
        only({{officer, 200},
              {buyer_own, 200},
              {buyer_other, 404},
              {finance_network, 200},
              {finance_own, 200},
              {finance_other, 404}})}},
      {"POST /v1/tenders/{id}/lots/{lot}/price-revisions", {lot + "/price-revisions", "{}", only({{officer, 400}})}},
  };

  // Issue 18 items 6 and 7: orders imported from a member's CSV, the realised savings.
  matrix.emplace("POST /v1/orders/import", Expectation{"/v1/orders/import", "reference_interne\n",
                                                       only({{buyer_own, 400}, {buyer_other, 400}}), true});
  matrix.emplace("GET /v1/reports/savings/realised", Expectation{"/v1/reports/savings/realised", "",
                                                                 only({{officer, 200},
                                                                       {finance_network, 200},
                                                                       {finance_own, 200},
                                                                       {finance_other, 200},
                                                                       {buyer_own, 200},
                                                                       {buyer_other, 200}})});

  // Issue 19 item 2: what each savings reference was computed from (a member's users: its own line).
  matrix.emplace("GET /v1/tenders/{id}/lots/{lot}/savings-references", Expectation{lot + "/savings-references", "",
                                                                                   only({{officer, 200},
                                                                                         {buyer_own, 200},
                                                                                         {buyer_other, 404},
                                                                                         {finance_network, 200},
                                                                                         {finance_own, 200},
                                                                                         {finance_other, 404}})});

  // Issue 19 items 9 and 10: budget codes, their exports, SPASER figures, reservations.
  {
    const auto members_reports = only({{officer, 200},
                                       {finance_network, 200},
                                       {finance_own, 200},
                                       {finance_other, 200},
                                       {buyer_own, 200},
                                       {buyer_other, 200}});
    matrix.emplace("GET /v1/budget-codes", Expectation{"/v1/budget-codes", "",
                                                       only({{admin, 200},
                                                             {finance_network, 200},
                                                             {finance_own, 200},
                                                             {finance_other, 200},
                                                             {buyer_own, 200},
                                                             {buyer_other, 200}})});
    matrix.emplace("POST /v1/budget-codes",
                   Expectation{"/v1/budget-codes", "{}",
                               only({{admin, 400}, {finance_network, 400}, {finance_own, 400}, {finance_other, 400}})});
    matrix.emplace("PATCH /v1/budget-codes/{id}",
                   Expectation{"/v1/budget-codes/999999", "{}",
                               only({{admin, 404}, {finance_network, 404}, {finance_own, 404}, {finance_other, 404}})});
    const std::string need_codes = "/v1/needs/" + id(w.pooled_need) + "/budget-codes";
    matrix.emplace("GET /v1/needs/{id}/budget-codes", Expectation{need_codes, "",
                                                                  only({{officer, 200},
                                                                        {buyer_own, 200},
                                                                        {buyer_other, 404},
                                                                        {finance_network, 200},
                                                                        {finance_own, 200},
                                                                        {finance_other, 404}})});
    matrix.emplace("PUT /v1/needs/{id}/budget-codes", Expectation{need_codes, "{}",
                                                                  only({{buyer_own, 200},
                                                                        {buyer_other, 404},
                                                                        {finance_network, 200},
                                                                        {finance_own, 200},
                                                                        {finance_other, 404}})});
    for (const char* report : {"/v1/reports/budget/commitments", "/v1/reports/budget/unordered",
                               "/v1/reports/budget/spend", "/v1/reports/spaser"}) {
      matrix.emplace(std::string("GET ") + report, Expectation{report, "", members_reports});
    }
    matrix.emplace("GET /v1/tenders/{id}/reservation",
                   Expectation{tender + "/reservation", "", only({{officer, 200}})});
    matrix.emplace("PUT /v1/tenders/{id}/reservation",
                   Expectation{tender + "/reservation", "{}", only({{officer, 400}})});
    // Issue 19 items 6 and 7: aided projects (CGLLS subsidy). Managed by finance controllers
    // and administrators (a member's finance user for its own member's projects), read by
    // every role (a member's users see their member's projects only).
    {
      AidedProject project;
      project.title = "Étude";
      project.members = {w.member_a};
      project.planned_on = *parse_date("2026-01-01", "d");
      const auto aided = usecases::create_aided_project(*w.server.database, db::Actor{}, project,
                                                        *parse_date("2026-06-01", "d"), std::nullopt);
      REQUIRE(aided.ok());
      const std::string own = "/v1/aided-projects/" + id(aided->project.id), none = "/v1/aided-projects/999999";
      const auto writers = [&](unsigned status, unsigned other) {
        return only({{admin, status}, {finance_network, status}, {finance_own, status}, {finance_other, other}});
      };
      matrix.emplace("GET /v1/aided-projects", Expectation{"/v1/aided-projects", "", signed_in(200)});
      matrix.emplace("POST /v1/aided-projects", Expectation{"/v1/aided-projects", "{}", writers(400, 400)});
      matrix.emplace("GET /v1/aided-projects/{id}", Expectation{own, "",
                                                                only({{admin, 200},
                                                                      {officer, 200},
                                                                      {buyer_own, 200},
                                                                      {buyer_other, 404},
                                                                      {finance_network, 200},
                                                                      {finance_own, 200},
                                                                      {finance_other, 404}})});
      matrix.emplace("PATCH /v1/aided-projects/{id}", Expectation{own, "{}", writers(200, 404)});
      matrix.emplace("POST /v1/aided-projects/{id}/expenses", Expectation{none + "/expenses", "{}", writers(400, 400)});
      matrix.emplace("DELETE /v1/aided-projects/{id}/expenses/{expense}",
                     Expectation{none + "/expenses/1", "", writers(404, 404)});
      matrix.emplace("POST /v1/aided-projects/{id}/shared-costs",
                     Expectation{none + "/shared-costs", "{}", writers(400, 400)});
      matrix.emplace("DELETE /v1/aided-projects/{id}/shared-costs/{cost}",
                     Expectation{none + "/shared-costs/1", "", writers(404, 404)});
      for (const char* action : {"request", "grant", "pay", "refuse", "abandon"}) {
        matrix.emplace(std::string("POST /v1/aided-projects/{id}/") + action,
                       Expectation{none + "/" + action, "{\"on\": \"2026-02-01\"}", writers(404, 404)});
      }
    }
  }

  // Issue 20 item 10: notifications, each caller's own (another's id reads as not found).
  matrix.emplace("GET /v1/notifications", Expectation{"/v1/notifications", "", signed_in(200)});
  matrix.emplace("POST /v1/notifications/read-all", Expectation{"/v1/notifications/read-all", "", signed_in(200)});
  matrix.emplace("POST /v1/notifications/{id}/read", Expectation{"/v1/notifications/999999/read", "", signed_in(404)});
  matrix.emplace("GET /v1/notification-preferences", Expectation{"/v1/notification-preferences", "", signed_in(200)});
  matrix.emplace("PUT /v1/notification-preferences", Expectation{"/v1/notification-preferences", "{}", signed_in(400)});

  std::size_t checked = 0;
  for (const auto& route : w.server.app.router().routes()) {
    const std::string key = std::string(test::http::to_string(route.method)) + " " + route.pattern;
    CAPTURE(key);
    const auto it = matrix.find(key);
    REQUIRE_MESSAGE(it != matrix.end(), "the route is not in the authorization matrix");
    const auto& e = it->second;
    for (const auto caller : kCallers) {
      CAPTURE(kNames[caller]);
      unsigned expected = e.statuses.count(caller) ? e.statuses.at(caller) : (caller == anonymous ? 401 : 403);
      const Call call{w.server.client, caller == anonymous ? std::string() : w.tokens.at(caller)};
      std::vector<std::pair<std::string, std::string>> headers;
      if (e.csv) headers.emplace_back("Content-Type", "text/csv");
      const auto reply = call.send(route.method, e.target, e.body, headers);
      CHECK_MESSAGE(reply.result_int() == expected, reply.body());
      ++checked;
    }
  }
  CHECK(matrix.size() == w.server.app.router().routes().size());  // and no stale entries
  CHECK(checked == matrix.size() * std::size(kCallers));
}
