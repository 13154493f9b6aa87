#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include "adapters/db/need_repository.hpp"
#include "tests/support/fixtures.hpp"

using namespace canopee;

TEST_CASE("needs: create with attributes, read back exactly, audit") {
  test::NetworkFixture f;
  auto need = test::valid_need(f.opal.id, "45442100-8", "12.5", "m2", "18.45");
  need.description = "Halls\td'entrée\nbâtiment A \\ B";
  need.attributes = {{"finition", "mat"}, {"teinte", "blanc cassé"}};
  need.recurring = true;
  auto created = db::create_need(*f.database, f.actor, need);
  REQUIRE(created.ok());
  auto read = db::get_need(*f.database, created->id);
  REQUIRE(read.ok());
  CHECK(to_string(read->cpv) == "45442100-8");
  CHECK(read->quantity.thousandths == 12500);
  CHECK(read->reference_unit_price.ten_thousandths == 184500);
  CHECK(read->description == need.description);
  CHECK(read->recurring);
  CHECK(to_string(read->period_end) == "2026-12-31");
  CHECK(read->attributes == need.attributes);
  CHECK(read->status == NeedStatus::submitted);
  CHECK(f.count("audit_log", "entity = 'need' AND action = 'create'") == 1);
  CHECK(db::get_need(*f.database, 987654).error().code == ErrorCode::not_found);
}

TEST_CASE("needs: filtered keyset pages without duplicates or gaps") {
  test::NetworkFixture f;
  for (int i = 0; i < 30; ++i) {
    auto n = test::valid_need(i % 2 == 0 ? f.opal.id : f.reims.id, i % 3 == 0 ? "45442100-8" : "44810000-1");
    if (i % 5 == 0) n.status = NeedStatus::draft;
    REQUIRE(db::create_need(*f.database, f.actor, n).ok());
  }
  db::NeedFilter opal_only;
  opal_only.member_id = f.opal.id;
  std::set<std::int64_t> seen;
  std::optional<std::int64_t> cursor;
  std::int64_t previous = INT64_MAX;
  int pages = 0;
  do {
    auto page = db::list_needs(*f.database, opal_only, {cursor, 4});
    REQUIRE(page.ok());
    for (const auto& n : page->items) {
      CHECK(n.member_id == f.opal.id);
      CHECK(n.id < previous);  // newest first, strictly
      previous = n.id;
      CHECK(seen.insert(n.id).second);
    }
    cursor = page->next_before_id;
    ++pages;
  } while (cursor);
  CHECK(seen.size() == 15);
  CHECK(pages == 4);

  db::NeedFilter painting_works;
  painting_works.cpv_prefix = "4544";
  CHECK(db::list_needs(*f.database, painting_works, {std::nullopt, 100})->items.size() == 10);
  db::NeedFilter drafts;
  drafts.status = NeedStatus::draft;
  CHECK(db::list_needs(*f.database, drafts, {std::nullopt, 100})->items.size() == 6);
  db::NeedFilter later;
  later.from = *parse_date("2027-01-01", "d");
  CHECK(db::list_needs(*f.database, later, {std::nullopt, 100})->items.empty());
}

TEST_CASE("needs: pages stay consistent while others insert") {
  test::NetworkFixture f;
  for (int i = 0; i < 40; ++i) REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.oise.id)).ok());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      if (!db::create_need(*f.database, f.actor, test::valid_need(f.oise.id))) break;
    }
  });
  auto first = db::list_needs(*f.database, {}, {std::nullopt, 10});
  REQUIRE(first.ok());
  const auto newest = first->items.front().id;
  std::set<std::int64_t> seen;
  for (const auto& n : first->items) seen.insert(n.id);
  auto cursor = first->next_before_id;
  while (cursor) {
    auto page = db::list_needs(*f.database, {}, {cursor, 10});
    REQUIRE(page.ok());
    for (const auto& n : page->items) CHECK(seen.insert(n.id).second);
    cursor = page->next_before_id;
  }
  stop = true;
  writer.join();
  // every need that existed when the first page was read was seen exactly once
  int older = 0;
  auto c = f.database->acquire();
  long long bound = newest;
  c->sql() << "SELECT COUNT(*) FROM needs WHERE id <= :id", soci::use(bound), soci::into(older);
  CHECK(static_cast<int>(seen.size()) == older);
}

TEST_CASE("needs: one need read back whole, attributes in name order, none and missing too") {
  test::NetworkFixture f;
  Need need = test::valid_need(f.amiens.id);
  need.attributes = {{"finition", "mat"}, {"teinte", "blanc cassé"}};
  const auto with = *db::create_need(*f.database, f.actor, need);
  const auto without = *db::create_need(*f.database, f.actor, test::valid_need(f.amiens.id));
  for (int read = 0; read < 2; ++read) {  // twice: the second reuses PostgreSQL's prepared statement
    const auto got = db::get_need(*f.database, with.id);
    REQUIRE(got.ok());
    CHECK(got->title == need.title);
    CHECK(got->quantity.thousandths == need.quantity.thousandths);
    CHECK(got->reference_unit_price.ten_thousandths == need.reference_unit_price.ten_thousandths);
    REQUIRE(got->attributes.size() == 2);
    CHECK(got->attributes[0].key == "finition");
    CHECK(got->attributes[1].key == "teinte");
    CHECK(got->attributes[1].value == "blanc cassé");
    CHECK(db::get_need(*f.database, without.id)->attributes.empty());
    CHECK(db::get_need(*f.database, without.id + 1000).error().code == ErrorCode::not_found);
  }
}

TEST_CASE("needs: edits follow the versions and the status machine") {
  test::NetworkFixture f;
  auto created = *db::create_need(*f.database, f.actor, test::valid_need(f.amiens.id));
  Need edited = created;
  edited.quantity = Quantity{250'000};
  edited.attributes = {{"teinte", "gris"}};
  auto updated = db::update_need(*f.database, f.actor, edited);
  REQUIRE(updated.ok());
  CHECK(updated->version == 2);
  CHECK(db::get_need(*f.database, created.id)->attributes.size() == 1);
  CHECK(db::update_need(*f.database, f.actor, edited).error().code == ErrorCode::stale);

  auto withdrawn = db::withdraw_need(*f.database, f.actor, created.id, 2);
  REQUIRE(withdrawn.ok());
  CHECK(withdrawn->status == NeedStatus::withdrawn);
  auto again = db::withdraw_need(*f.database, f.actor, created.id, std::nullopt);
  CHECK(again.error().code == ErrorCode::conflict);
  Need late = *withdrawn;
  late.status = NeedStatus::submitted;
  CHECK(db::update_need(*f.database, f.actor, late).error().code == ErrorCode::conflict);
  CHECK(db::withdraw_need(*f.database, f.actor, 55555, std::nullopt).error().code == ErrorCode::not_found);
  CHECK(f.count("audit_log", "entity = 'need'") == 3);  // create, update, withdraw
}

TEST_CASE("needs: the bulk path stores all or nothing") {
  test::NetworkFixture f;
  std::vector<Need> batch;
  for (int i = 0; i < 250; ++i) {
    auto n = test::valid_need(i % 2 ? f.opal.id : f.oise.id);
    n.title = "Ligne " + std::to_string(i) + "\tavec tabulation";
    if (i % 7 == 0) n.attributes = {{"teinte", i % 2 ? "blanc" : "gris"}};
    batch.push_back(n);
  }
  auto ids = db::insert_needs_bulk(*f.database, f.actor, batch);
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 250);
  CHECK(f.count("needs") == 250);
  CHECK(f.count("need_attributes") == 36);
  auto one = db::get_need(*f.database, (*ids)[7]);
  CHECK(one->title == "Ligne 7\tavec tabulation");
  CHECK(one->attributes.at(0).value == "blanc");
  CHECK(f.count("audit_log", "action = 'import'") == 1);

  // a row breaking a database rule in the middle: nothing of the batch stays
  std::vector<Need> broken = batch;
  broken[120].member_id = 999999;  // no such member
  auto refused = db::insert_needs_bulk(*f.database, f.actor, broken);
  REQUIRE_FALSE(refused.ok());
  CHECK(f.count("needs") == 250);
  CHECK(f.count("need_attributes") == 36);
  CHECK(f.count("audit_log", "action = 'import'") == 1);
}

TEST_CASE("needs: selection for an aggregation") {
  test::NetworkFixture f;
  REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.opal.id)).ok());
  REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.reims.id)).ok());
  auto draft = test::valid_need(f.oise.id);
  draft.status = NeedStatus::draft;
  REQUIRE(db::create_need(*f.database, f.actor, draft).ok());
  REQUIRE(db::create_need(*f.database, f.actor, test::valid_need(f.amiens.id, "45442100-8", "10", "m2")).ok());
  AggregationFilter filter;
  filter.cpv_prefix = "4481";
  auto selected = db::select_submitted_needs(*f.database, filter);
  REQUIRE(selected.ok());
  CHECK(selected->size() == 2);  // the draft and the other CPV are left out
  filter.member_ids = {f.reims.id};
  CHECK(db::select_submitted_needs(*f.database, filter)->size() == 1);
}
