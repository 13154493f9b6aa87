// db::AsyncPg on a real PostgreSQL: statements pipelined on a reactor, an SQL
// error declined without harming the statements after it, a lost connection
// declined and then re-established. PostgreSQL only (SQLite has no such path).
#include <doctest/doctest.h>

#include <soci/soci.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <thread>

#include "adapters/db/pg_async.hpp"
#include "tests/support/test_database.hpp"

using namespace canopee;

namespace {

using Rows = std::optional<std::vector<db::TextRow>>;

// Runs the reactor until `done` or two seconds.
void run_until(boost::asio::io_context& ioc, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    ioc.run_for(std::chrono::milliseconds(20));
    if (ioc.stopped()) ioc.restart();
  }
}

// Submits until a connection is ready (they connect in the background).
void submit_when_ready(boost::asio::io_context& ioc, db::AsyncPg& pg, db::AsyncStatement statement, Rows& into,
                       bool& answered) {
  bool submitted = false;
  run_until(ioc, [&] {
    if (!submitted)
      submitted = pg.submit(statement, [&](Rows rows) {
        into = std::move(rows);
        answered = true;
      });
    return answered;
  });
}

}  // namespace

TEST_CASE("pipelined statements answer in order; an SQL error is declined and the next ones still answer") {
  if (test::test_backend() != db::Backend::postgresql) return;
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  boost::asio::io_context ioc;
  db::AsyncPg pg(ioc, database->url().connect_string, 1);

  Rows first;
  bool first_done = false;
  submit_when_ready(ioc, pg, {"sum_two", "SELECT $1::int + $2::int, NULL::text", {"40", "2"}}, first, first_done);
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  CHECK(first->at(0).at(0) == "42");
  CHECK_FALSE(first->at(0).at(1).has_value());  // NULL

  // Three statements queued together: the middle one fails (division by zero).
  Rows a, b, c;
  int answered = 0;
  const auto keep = [&answered](Rows& into) {
    return [&into, &answered](Rows rows) {
      into = std::move(rows);
      ++answered;
    };
  };
  REQUIRE(pg.submit({"sum_two", "SELECT $1::int + $2::int, NULL::text", {"1", "1"}}, keep(a)));
  REQUIRE(pg.submit({"divide", "SELECT 1 / $1::int", {"0"}}, keep(b)));
  REQUIRE(pg.submit({"series", "SELECT generate_series(1, $1::int)", {"3"}}, keep(c)));
  run_until(ioc, [&] { return answered == 3; });
  REQUIRE(answered == 3);
  CHECK_FALSE(b.has_value());  // declined: the caller takes the blocking path
  // The statements of the same batch after the error are aborted by PostgreSQL
  // (declined too); the ones before it answered.
  REQUIRE(a.has_value());
  CHECK(a->at(0).at(0) == "2");
  CHECK_FALSE(c.has_value());

  // The connection is still usable; a statement that failed to prepare is not
  // taken for prepared.
  Rows after;
  bool after_done = false;
  submit_when_ready(ioc, pg, {"series", "SELECT generate_series(1, $1::int)", {"3"}}, after, after_done);
  REQUIRE(after);
  REQUIRE(after->size() == 3);
  CHECK(after->at(2).at(0) == "3");
  Rows wrong, right;
  int count = 0;
  REQUIRE(pg.submit({"bad_sql", "SELEC 1", {}}, keep(wrong)));
  run_until(ioc, [&] { return answered == 4; });
  CHECK_FALSE(wrong.has_value());
  REQUIRE(pg.submit({"bad_sql", "SELECT 7", {}}, [&](Rows rows) {
    right = std::move(rows);
    ++count;
  }));
  run_until(ioc, [&] { return count == 1; });
  REQUIRE(right);
  CHECK(right->at(0).at(0) == "7");
  const auto stats = pg.stats();
  CHECK(stats.executed == 4);  // first, a, after, right
  CHECK(stats.declined == 3);  // b, c, wrong
  pg.close();
}

TEST_CASE("a connection cut by the server: its statements are declined, then it connects again") {
  if (test::test_backend() != db::Backend::postgresql) return;
  test::TestDatabase fixture;
  auto database = fixture.open(1);
  boost::asio::io_context ioc;
  db::AsyncPg pg(ioc, database->url().connect_string + " " + std::string(db::kAsyncApplicationName), 1);
  Rows rows;
  bool done = false;
  submit_when_ready(ioc, pg, {"one", "SELECT 1", {}}, rows, done);
  REQUIRE(rows);

  {
    auto connection = database->acquire();
    REQUIRE(connection);
    int cut = 0;
    // With a timeout, pg_terminate_backend waits until the backend has exited.
    connection->sql() << "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND application_name = 'canopee-fast-path'",
        soci::into(cut);
    REQUIRE(cut == 1);
  }
  // The next statement finds the connection gone: declined, never lost.
  Rows cut_rows{std::vector<db::TextRow>{}};
  bool cut_done = false;
  if (pg.submit({"one", "SELECT 1", {}}, [&](Rows r) {
        cut_rows = std::move(r);
        cut_done = true;
      })) {
    run_until(ioc, [&] { return cut_done; });
    REQUIRE(cut_done);
    CHECK_FALSE(cut_rows.has_value());
  }
  // Then it connects again (100 ms later) and answers. A statement sent before the
  // client has seen the cut is declined too: send again until one is answered.
  Rows again;
  for (int tries = 0; tries < 20 && !again; ++tries) {
    bool again_done = false;
    submit_when_ready(ioc, pg, {"one", "SELECT 1", {}}, again, again_done);
  }
  REQUIRE(again);
  CHECK(again->at(0).at(0) == "1");
  CHECK(pg.stats().reconnects >= 1);
  pg.close();
}
