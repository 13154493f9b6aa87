// Lists that grow with the network's life are read by pages (issue 21 item 3), on both
// backends: groupements, aided projects and sign-in identities come newest first, each once
// across the pages that `next_cursor` links, the last page says so with a null cursor; a
// bad `limit` or `cursor` is a 400 with its code.
#include <doctest/doctest.h>

#include <algorithm>

#include "adapters/db/oidc_repository.hpp"
#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;

namespace {

// The ids read by following `next_cursor` from `path` with pages of `limit`, checking each
// page's size on the way.
std::vector<std::int64_t> walk(const Call& call, const std::string& path, int limit) {
  std::vector<std::int64_t> ids;
  const char separator = path.find('?') == std::string::npos ? '?' : '&';
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    const auto reply = call.get(path + separator + "limit=" + std::to_string(limit) +
                                (cursor.empty() ? "" : "&cursor=" + cursor));
    REQUIRE_MESSAGE(reply.result_int() == 200, reply.body());
    const auto page = body_of(reply);
    const auto& items = page.at("items").as_array();
    CHECK(items.size() <= static_cast<std::size_t>(limit));
    for (const auto& item : items) ids.push_back(item.at("id").as_int64());
    if (page.at("next_cursor").is_null()) return ids;
    CHECK(items.size() == static_cast<std::size_t>(limit));  // a page before the last is full
    cursor = std::string(page.at("next_cursor").as_string());
  }
  FAIL("more than 20 pages");
  return ids;
}

std::vector<std::int64_t> newest_first(std::vector<std::int64_t> ids) {
  std::sort(ids.rbegin(), ids.rend());
  return ids;
}

std::string code_of(const test::Reply& reply) { return std::string(body_of(reply).at("code").as_string()); }

struct World : test::TwoMembers {
  Call finance{s.client, s.user(Role::finance, std::nullopt, "finance@x.example")};
  Call buyer_a{s.client, s.user(Role::buyer, a, "buyer.a@x.example")};
  Call buyer_b{s.client, s.user(Role::buyer, b, "buyer.b@x.example")};

  std::int64_t groupement(const std::string& reference) {
    const auto reply = officer.post("/v1/groupements",
                                    json::object{{"name", "Groupement " + reference},
                                                 {"reference", reference},
                                                 {"coordinator_member_id", a},
                                                 {"mission", "notification"},
                                                 {"scope", json::object{{"cpv_prefixes", json::array{"4481"}},
                                                                        {"start", "2026-01-01"},
                                                                        {"end", "2027-12-31"}}},
                                                 {"cost_key", "contract_value"},
                                                 {"members", json::array{json::object{{"member_id", a},
                                                                                      {"signed_on", "2026-01-05"}}}}});
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return body_of(reply).at("id").as_int64();
  }

  std::int64_t project(const std::string& title) {
    const auto reply = finance.post("/v1/aided-projects",
                                    json::object{{"kind", "study"},
                                                 {"title", title},
                                                 {"collective", false},
                                                 {"planned_on", "2026-10-01"},
                                                 {"members", json::array{a}},
                                                 {"expenses", json::array{json::object{{"member_id", a},
                                                                                       {"label", "Étude"},
                                                                                       {"amount_ht", "1000.00"},
                                                                                       {"vat", "0.00"},
                                                                                       {"vat_recoverable", false}}}}});
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return body_of(reply).at("id").as_int64();
  }

  std::int64_t identity(const std::string& subject) {
    db::OidcIdentity seen;
    seen.issuer = "https://annuaire.bailleur-a.example";
    seen.subject = subject;
    seen.provider = "bailleur-a";
    seen.email = subject + "@bailleur-a.example";
    seen.name = "Agent " + subject;
    const auto recorded = db::record_oidc_identity(*s.database, {}, seen);
    REQUIRE(recorded.ok());
    return recorded->id;
  }
};

}  // namespace

TEST_CASE("growing lists by pages: groupements, aided projects, identities; newest first, each once") {
  World w;
  std::vector<std::int64_t> groupements, projects, identities;
  for (const char* reference : {"GC-1", "GC-2", "GC-3", "GC-4", "GC-5"}) groupements.push_back(w.groupement(reference));
  for (const char* title : {"Outil A", "Outil B", "Outil C"}) projects.push_back(w.project(title));
  for (const char* subject : {"1001", "1002", "1003"}) identities.push_back(w.identity(subject));
  REQUIRE(
      w.admin.post("/v1/oidc/identities/" + std::to_string(identities[1]) + "/refusal", json::object{}).result_int() ==
      200);

  CHECK(walk(w.officer, "/v1/groupements", 2) == newest_first(groupements));  // pages of 2, 2 and 1
  CHECK(walk(w.officer, "/v1/groupements", 5) == newest_first(groupements));  // one full page, then none
  CHECK(walk(w.buyer_b, "/v1/groupements", 500) == newest_first(groupements));
  // Without a limit: the first 50, the next from the cursor (46 more make 51).
  for (int n = 6; n <= 51; ++n) groupements.push_back(w.groupement("GC-" + std::to_string(n)));
  const auto first = body_of(w.officer.get("/v1/groupements"));
  CHECK(first.at("items").as_array().size() == 50);
  REQUIRE(first.at("next_cursor").is_string());
  const auto rest = body_of(
      w.officer.get("/v1/groupements?cursor=" + std::string(first.at("next_cursor").as_string())));
  REQUIRE(rest.at("items").as_array().size() == 1);
  CHECK(rest.at("items").at(0).at("id").as_int64() == groupements.front());
  CHECK(rest.at("next_cursor").is_null());

  CHECK(walk(w.finance, "/v1/aided-projects", 2) == newest_first(projects));
  CHECK(walk(w.buyer_a, "/v1/aided-projects", 1) == newest_first(projects));  // A's, each
  CHECK(walk(w.buyer_b, "/v1/aided-projects", 1).empty());

  CHECK(walk(w.admin, "/v1/oidc/identities", 2) == newest_first(identities));
  CHECK(walk(w.admin, "/v1/oidc/identities?status=pending", 1) ==
        std::vector<std::int64_t>{identities[2], identities[0]});
  CHECK(walk(w.admin, "/v1/oidc/identities?status=refused", 1) == std::vector<std::int64_t>{identities[1]});
}

TEST_CASE("growing lists by pages: a bad limit or cursor is a 400 with its code, for each list") {
  World w;
  for (const std::string path : {"/v1/groupements", "/v1/aided-projects", "/v1/oidc/identities"}) {
    CAPTURE(path);
    const Call& caller = path == "/v1/aided-projects" ? w.finance : path == "/v1/groupements" ? w.officer : w.admin;
    for (const char* limit : {"0", "501", "-1", "abc", "1e3", "99999999999999999999"}) {
      CAPTURE(limit);
      const auto reply = caller.get(path + "?limit=" + limit);
      CHECK(reply.result_int() == 400);
      CHECK(code_of(reply) == "query.limit.out_of_range");
    }
    for (const char* cursor : {"zz", "n", "n-4", "nabc", "%27%3B%20DROP%20TABLE%20members%3B--"}) {
      CAPTURE(cursor);
      const auto reply = caller.get(path + "?cursor=" + cursor);
      CHECK(reply.result_int() == 400);
      CHECK(code_of(reply) == "query.cursor.unknown");
    }
    CHECK(caller.get(path + "?page=2").result_int() == 400);
    CHECK(caller.get(path + "?limit=500").result_int() == 200);
  }
}
