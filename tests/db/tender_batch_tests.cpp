// A page of tenders read together (db::load_tenders, five queries whatever their
// number) equals each tender read alone, in the order asked.
#include <doctest/doctest.h>

#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "tests/support/tender_flow.hpp"

using namespace canopee;

TEST_CASE("tenders read in a batch: the order asked, each once, unknown ids skipped") {
  test::TenderFlow f;
  const auto first = db::create_tender(*f.database, f.actor, f.draft_from_proposal());
  REQUIRE(first.ok());
  auto connection = f.database->acquire();
  REQUIRE(connection.ok());
  auto& sql = connection->sql();
  const auto alone = db::load_tender(sql, first->id);
  REQUIRE(alone.has_value());

  const auto batch = db::load_tenders(sql, {999'999, first->id, first->id, 888'888});
  REQUIRE(batch.size() == 1);  // asked twice, answered once; unknown ids skipped
  CHECK(batch[0].id == first->id);
  CHECK(batch[0].reference == alone->reference);
  CHECK(batch[0].title == alone->title);
  REQUIRE(batch[0].lots.size() == alone->lots.size());
  CHECK(batch[0].lots[0].members.size() == alone->lots[0].members.size());
  CHECK(batch[0].lots[0].need_ids == alone->lots[0].need_ids);
  CHECK(batch[0].criteria.size() == alone->criteria.size());
  CHECK(db::load_tenders(sql, {}).empty());
}
