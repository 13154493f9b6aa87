// Reads scaled out on a PostgreSQL streaming standby (issue 21 item 5), against a
// real standby: tests/api/read_standby.sh starts a throwaway PostgreSQL and a
// streaming standby of it (scripts/lib/throwaway-postgres.sh), then runs this
// suite (api.read_standby). The suite is skipped in api.sqlite and api.postgresql,
// which have no standby.
//
// What proves a read was served by the standby: with its replay paused, the
// standby cannot have a need created afterwards, so a 404 for that need can only
// come from it, and a 200 only from the primary.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>

#include <soci/soci.h>

#include "adapters/db/read_routing.hpp"
#include "tests/support/api_server.hpp"

using namespace canopee;
using namespace canopee::test;
using namespace std::chrono_literals;
using verb = http::verb;

namespace {

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0')
    throw std::runtime_error(std::string(name) +
                             " is not set: run tests/api/read_standby.sh (ctest -R api.read_standby)");
  return value;
}

// The standby's URL for the fixture's database (created on the primary, replicated).
std::string standby_url_for(const TestDatabase& fixture) {
  const auto base = required_env("CANOPEE_TEST_STANDBY_URL");
  return base.substr(0, base.rfind('/') + 1) + fixture.url().substr(fixture.url().rfind('/') + 1);
}

// Whether `done` holds within a minute (polled): a liveness deadline, not a
// measure of time; the assertions are on what the server answers.
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

// The standby's replay paused for the scope: it applies no WAL until resumed.
struct ReplayPaused {
  db::Database standby;
  explicit ReplayPaused(const std::string& standby_url)
      : standby(db::parse_database_url(standby_url).value(), db::PoolOptions{1, std::chrono::milliseconds(5000)}) {
    auto connection = standby.acquire();
    REQUIRE(connection.ok());
    connection->sql() << "SELECT pg_wal_replay_pause()";
    std::string state;
    REQUIRE(eventually([&] {
      connection->sql() << "SELECT pg_get_wal_replay_pause_state()", soci::into(state);
      return state == "paused";
    }));
  }
  ~ReplayPaused() {
    try {
      auto connection = standby.acquire();
      REQUIRE(connection.ok());
      connection->sql() << "SELECT pg_wal_replay_resume()";
    } catch (const std::exception& e) {
      FAIL_CHECK("could not resume the standby's replay: " << e.what());
    }
  }
};

// pg_ctl on the standby (PG_STANDBY_DATA, as the server's user: PG_RUN_AS).
int standby_ctl(const std::string& action) {
  const auto run_as = std::getenv("PG_RUN_AS") != nullptr ? std::string(std::getenv("PG_RUN_AS")) : std::string();
  const auto command = run_as + " " + required_env("PG_BIN") + "/pg_ctl -D " + required_env("PG_STANDBY_DATA") +
                       " -w -t 60 " + action + " >/dev/null 2>&1";
  return std::system(command.c_str());
}

// The standby stopped for the scope, started again at its end.
struct StandbyStopped {
  StandbyStopped() { REQUIRE(standby_ctl("-m fast stop") == 0); }
  ~StandbyStopped() {
    if (standby_ctl("-l " + required_env("PG_STANDBY_DATA") + "/../standby.log start") != 0)
      FAIL_CHECK("could not start the standby again");
  }
};

// The API server with a read standby: the primary's pool, the standby's, the read
// routing probing both every 100 ms.
struct StandbyServer {
  TestDatabase fixture;
  std::unique_ptr<db::Database> database = fixture.open(4);
  std::string standby_url = standby_url_for(fixture);
  std::unique_ptr<db::Database> standby;
  std::unique_ptr<db::ReadRouting> routing;
  api::Services services{*database,
                         CpvNomenclature::starter(),
                         ThresholdTable::defaults(),
                         [] { return parse_date("2026-11-29", "today").value(); },
                         {}};
  api::App app{services};
  api::Server server;
  HttpClient client;

  explicit StandbyServer(std::chrono::milliseconds max_lag)
      : server(ApiServer::with_defaults({}, app),
               [this](api::Request&& r, const api::RequestMeta& m) { return app.handle(std::move(r), m); }) {
    spdlog::set_level(spdlog::level::err);
    REQUIRE(db::migrate(*database).ok());
    auto url = db::parse_database_url(standby_url).value();
    standby = std::make_unique<db::Database>(url, db::PoolOptions{4, std::chrono::milliseconds(5000)});
    auto created = db::ReadRouting::create(database->url(), url, {max_lag, std::chrono::milliseconds(100)});
    REQUIRE(created.ok());
    routing = std::move(created).value();
    routing->start();
    services.standby = standby.get();
    services.read_routing = routing.get();
    services.readiness.start(database->url(), std::chrono::milliseconds(200));
    client.port = server.start();
    // The database and its schema replayed on the standby, and it caught up.
    REQUIRE(eventually([&] { return caught_up(); }));
  }

  bool caught_up() const {
    const auto stats = routing->stats();
    return stats.standby_answers && stats.staleness && *stats.staleness <= routing->max_lag();
  }
  // Whether the standby's last probe found it at or past `position`.
  bool replayed(const db::Lsn& position) const {
    const auto stats = routing->stats();
    return stats.standby_answers && stats.replayed && *stats.replayed >= position;
  }

  std::string user(Role role, std::optional<std::int64_t> member_id, const std::string& email) {
    return ApiServer::create_user_token(*database, role, member_id, email);
  }
};

// A buyer of a member created through the API.
struct Buyer {
  Call call;
  std::int64_t member_id;
};

Buyer buyer_of(StandbyServer& s) {
  const Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  const auto member = post_member(admin, "OPAL", "270200017");
  REQUIRE(member.result_int() == 201);
  const auto id = id_of(member);
  return {Call{s.client, s.user(Role::buyer, id, "acheteur@opal.example")}, id};
}

boost::json::object titled_need(const std::string& title) {
  auto draft = in_year(need_draft(), "2027");
  draft.title = title;
  return need_body(draft);
}

// The position a write answered with (header), checked against its cookie twin.
db::Lsn position_of(const Reply& write) {
  const std::string header(write["Canopee-Read-After"]);
  const auto position = db::Lsn::parse(header);
  REQUIRE_MESSAGE(position.has_value(), "Canopee-Read-After: " << header);
  const std::string cookie(write[http::field::set_cookie]);
  CHECK(cookie == "canopee_read_after=" + header + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=60");
  return *position;
}

Reply get_after(const Call& call, const std::string& target, const std::string& position) {
  return call.send(verb::get, target, {}, {{"Canopee-Read-After", position}});
}

}  // namespace

TEST_CASE("a read database beside SQLite is refused at start") {
  const auto sqlite = db::parse_database_url("sqlite:///tmp/canopee.db").value();
  const auto postgresql = db::parse_database_url("postgresql://canopee@127.0.0.1:5432/canopee").value();
  for (const auto& [primary, standby] : {std::pair{sqlite, postgresql}, std::pair{postgresql, sqlite}}) {
    const auto refused = db::ReadRouting::create(primary, standby);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::invalid);
    CHECK(refused.error().rule == "read_database.not_postgresql");
  }
}

TEST_CASE("WAL positions are read strictly") {
  CHECK(db::Lsn::parse("0/0")->value == 0);
  CHECK(db::Lsn::parse("16/B374D848")->value == 0x16B374D848ull);
  CHECK(db::Lsn::parse("ffffffff/ffffffff")->value == 0xFFFFFFFFFFFFFFFFull);
  CHECK(db::Lsn::parse("16/B374D848")->to_string() == "16/B374D848");
  CHECK(db::Lsn{0x100000000ull}.to_string() == "1/0");
  for (const char* bad : {"", "/", "0/", "/0", "0", "0/0/0", " 0/0", "0/0 ", "+1/0", "-1/0", "0x1/0", "1/G",
                          "123456789/0", "0/123456789", "1 /0", "1/0\n", "１/０"}) {
    CAPTURE(bad);
    CHECK_FALSE(db::Lsn::parse(bad).has_value());
  }
}

TEST_SUITE("read_standby" * doctest::skip()) {
  TEST_CASE(
      "a read is served by the standby; a write's position sends the writer's reads to the primary until the "
      "standby has replayed it") {
    StandbyServer s(3600s);  // a generous bound: only the positions decide here
    const auto buyer = buyer_of(s);
    // A member created on the primary is read back from the standby once replayed.
    REQUIRE(eventually(
        [&] { return buyer.call.get("/v1/members/" + std::to_string(buyer.member_id)).result_int() == 200; }));

    std::optional<ReplayPaused> paused;
    paused.emplace(s.standby_url);
    const auto before = s.routing->stats();
    const auto created = buyer.call.post("/v1/needs", titled_need("Peinture du hall B"));
    REQUIRE(created.result_int() == 201);
    const auto position = position_of(created);
    const auto path = "/v1/needs/" + std::to_string(id_of(created));

    // Without its position the read goes to the standby, which has not replayed the
    // need: 404, an answer only the standby can give.
    CHECK(buyer.call.get(path).result_int() == 404);
    // With it, the primary: the writer sees its write.
    const auto mine = get_after(buyer.call, path, position.to_string());
    REQUIRE(mine.result_int() == 200);
    CHECK(text_of(body_of(mine), "title") == "Peinture du hall B");
    // The cookie is honoured the same way (the browser's copy of the position).
    const auto by_cookie = buyer.call.send(verb::get, path, {},
                                           {{"Cookie", "canopee_read_after=" + position.to_string()}});
    CHECK(by_cookie.result_int() == 200);
    // A list too: the standby's page lacks the need, the primary's has it.
    CHECK(body_of(buyer.call.get("/v1/needs")).at("items").as_array().empty());
    CHECK(body_of(get_after(buyer.call, "/v1/needs", position.to_string())).at("items").as_array().size() == 1);
    const auto during = s.routing->stats();
    CHECK(during.to_standby - before.to_standby == 2);
    CHECK(during.to_primary - before.to_primary == 3);
    CHECK(during.fallbacks == before.fallbacks);

    // A write's own reads stay on the primary: the PATCH finds the need the standby lacks.
    const auto etag = std::string(mine[http::field::etag]);
    const auto changed = buyer.call.patch(path, boost::json::object{{"title", "Peinture du hall C"}}, etag);
    REQUIRE(changed.result_int() == 200);
    const auto after_patch = position_of(changed);
    CHECK(position < after_patch);

    // Replay resumed: once the standby has replayed the position, the writer's read
    // with it is served by the standby, and sees the write.
    paused.reset();
    REQUIRE(eventually([&] { return s.replayed(after_patch); }));
    const auto at_standby = s.routing->stats().to_standby;
    const auto caught = get_after(buyer.call, path, after_patch.to_string());
    REQUIRE(caught.result_int() == 200);
    CHECK(text_of(body_of(caught), "title") == "Peinture du hall C");
    CHECK(s.routing->stats().to_standby == at_standby + 1);

    // The counters on /metrics.
    const auto metrics = s.client.get("/metrics");
    REQUIRE(metrics.result_int() == 200);
    const auto stats = s.routing->stats();
    CHECK(metrics.body().find("canopee_db_reads_total{target=\"standby\"} " + std::to_string(stats.to_standby) +
                              "\n") != std::string::npos);
    CHECK(metrics.body().find("canopee_db_read_fallbacks_total 0\n") != std::string::npos);
    CHECK(metrics.body().find("canopee_db_standby_up 1\n") != std::string::npos);
  }

  TEST_CASE("a standby falling behind: reads with a newer position go to the primary, reads without obey the bound") {
    StandbyServer s(1s);
    const auto buyer = buyer_of(s);
    const auto first = buyer.call.post("/v1/needs", titled_need("Gants"));
    REQUIRE(first.result_int() == 201);
    const auto first_position = position_of(first);
    REQUIRE(eventually([&] { return s.replayed(first_position) && s.caught_up(); }));

    std::optional<ReplayPaused> paused;
    paused.emplace(s.standby_url);
    const auto created = buyer.call.post("/v1/needs", titled_need("Seaux"));
    REQUIRE(created.result_int() == 201);
    const auto position = position_of(created);
    const auto path = "/v1/needs/" + std::to_string(id_of(created));
    // With the newer position: the primary, at once and every time.
    for (int i = 0; i < 3; ++i) {
      const auto mine = get_after(buyer.call, path, position.to_string());
      REQUIRE(mine.result_int() == 200);
      CHECK(text_of(body_of(mine), "title") == "Seaux");
    }
    // Without: the standby (404: it has not replayed the need) for as long as it is
    // within the bound, then the primary once it lags by more than one second — and
    // never the standby again while its replay stays paused.
    REQUIRE(eventually([&] { return buyer.call.get(path).result_int() == 200; }));
    const auto stats = s.routing->stats();
    REQUIRE(stats.staleness.has_value());
    CHECK(*stats.staleness > 1s);
    CHECK(stats.standby_answers);  // it answers; it is too far behind
    const auto at_standby = stats.to_standby;
    for (int i = 0; i < 3; ++i) CHECK(buyer.call.get(path).result_int() == 200);
    CHECK(s.routing->stats().to_standby == at_standby);
    // An older position the standby has replayed does not send it there either: it is too stale.
    CHECK(get_after(buyer.call, path, first_position.to_string()).result_int() == 200);
    CHECK(s.routing->stats().to_standby == at_standby);

    // Replay resumed: the standby catches up and serves again, the need included.
    paused.reset();
    REQUIRE(eventually([&] { return s.replayed(position) && s.caught_up(); }));
    const auto again = buyer.call.get(path);
    CHECK(again.result_int() == 200);
    CHECK(s.routing->stats().to_standby >= at_standby + 1);
  }

  TEST_CASE("the standby gone: reads go to the primary without error, and the server stays ready") {
    StandbyServer s(3600s);
    const auto buyer = buyer_of(s);
    const auto created = buyer.call.post("/v1/needs", titled_need("Balais"));
    REQUIRE(created.result_int() == 201);
    const auto path = "/v1/needs/" + std::to_string(id_of(created));
    const auto position = position_of(created);
    REQUIRE(eventually([&] { return s.replayed(position); }));
    // Its pool holds open connections to the standby when it goes.
    CHECK(buyer.call.get(path).result_int() == 200);
    CHECK(buyer.call.get("/v1/needs").result_int() == 200);

    const auto before = s.routing->stats();
    {
      StandbyStopped stopped;
      // Every read answers, from the primary: at once when the probe has seen the
      // standby gone, else after the standby failed it (a fallback).
      for (int i = 0; i < 5; ++i) {
        const auto read = buyer.call.get(path);
        REQUIRE(read.result_int() == 200);
        CHECK(text_of(body_of(read), "title") == "Balais");
        CHECK(body_of(buyer.call.get("/v1/needs")).at("items").as_array().size() == 1);
      }
      const auto during = s.routing->stats();
      CHECK((during.to_primary - before.to_primary) + (during.fallbacks - before.fallbacks) == 10);
      CHECK(s.client.get("/readyz").result_int() == 200);
      REQUIRE(eventually([&] { return !s.routing->stats().standby_answers; }));
      const auto gone = s.routing->stats();
      CHECK(buyer.call.get(path).result_int() == 200);
      CHECK(s.routing->stats().to_primary == gone.to_primary + 1);
      // The fast path's connections to the primary cut under it: the reads sent on
      // them fail, go to the workers and are answered there, each counted once.
      {
        auto connection = s.database->acquire();
        REQUIRE(connection);
        int cut = 0;
        connection->sql() << "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = "
                             "current_database() AND application_name = 'canopee-fast-path'",
            soci::into(cut);
        CHECK(cut == 2);
      }
      const auto cut = s.routing->stats().to_primary;
      for (int i = 0; i < 4; ++i) CHECK(text_of(body_of(buyer.call.get(path)), "title") == "Balais");
      CHECK(s.routing->stats().to_primary == cut + 4);
      CHECK(s.client.get("/readyz").result_int() == 200);
      const auto metrics = s.client.get("/metrics");
      CHECK(metrics.body().find("canopee_db_standby_up 0\n") != std::string::npos);
    }
    // Started again: the probe finds it, and reads go back to it.
    REQUIRE(eventually([&] { return s.caught_up(); }));
    const auto back = s.routing->stats().to_standby;
    CHECK(buyer.call.get(path).result_int() == 200);
    CHECK(s.routing->stats().to_standby == back + 1);
  }

  TEST_CASE("hostile Canopee-Read-After values are refused with 400 and a code; a hostile cookie is ignored") {
    StandbyServer s(3600s);
    const auto buyer = buyer_of(s);
    const auto before = s.routing->stats();
    for (const char* bad :
         {"", "0", "0/", "/0", "0/0/0", "G/0", "0x1/0", "-1/0", "+1/0", "123456789/0", "0/123456789", "1/0;2/0", "1 /0",
          "%31/0", "16/B374D848, 16/B374D849", "99999999999999999999999999999999/1"}) {
      CAPTURE(bad);
      const auto refused = get_after(buyer.call, "/v1/needs", bad);
      CHECK(refused.result_int() == 400);
      CHECK(first_error_code(refused) == "read_after.format");
      CHECK(first_error_field(refused) == "Canopee-Read-After");
    }
    // Twice: refused too (which one would count?).
    const auto twice = raw_exchange(s.client.port,
                                    "GET /v1/needs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                        buyer.call.token +
                                        "\r\nCanopee-Read-After: 0/1\r\nCanopee-Read-After: 0/2\r\n"
                                        "Connection: close\r\n\r\n");
    CHECK(twice.rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(twice.find("\"read_after.format\"") != std::string::npos);
    const auto refused = s.routing->stats();
    CHECK(refused.to_standby == before.to_standby);  // refused before any routing
    CHECK(refused.to_primary == before.to_primary);

    // A position from far ahead is well-formed: the primary answers (no standby has it).
    CHECK(get_after(buyer.call, "/v1/needs", "FFFFFFFF/FFFFFFFF").result_int() == 200);
    CHECK(s.routing->stats().to_primary == refused.to_primary + 1);
    // A malformed cookie (our server never sets one) is ignored: the standby answers.
    for (const char* cookie : {"canopee_read_after=zz", "canopee_read_after=", "canopee_read_after=1/2/3"}) {
      CAPTURE(cookie);
      const auto at_standby = s.routing->stats().to_standby;
      CHECK(buyer.call.send(verb::get, "/v1/needs", {}, {{"Cookie", cookie}}).result_int() == 200);
      CHECK(s.routing->stats().to_standby == at_standby + 1);
    }
    // Unauthenticated: 401 before the header is looked at.
    CHECK(s.client.send(verb::get, "/v1/needs", {}, {{"Canopee-Read-After", "nope"}}).result_int() == 401);
  }
}
