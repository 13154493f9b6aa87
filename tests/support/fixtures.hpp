#pragma once
// A migrated test database with the four members of the network; valid needs
// come from need_builder.hpp.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/migrations.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "engine/need.hpp"
#include "tests/support/need_builder.hpp"
#include "tests/support/test_database.hpp"
#include "usecases/bid_review.hpp"

namespace canopee::test {

// A member of the network with a valid SIREN (and a SIRET when given), straight in the database.
inline Member add_member(db::Database& database, const char* code, const char* siren, const char* department,
                         const char* siret = nullptr) {
  Member m;
  m.code = code;
  m.name = std::string("Office ") + code;
  m.siren = siren;
  if (siret) m.siret = siret;
  m.department = *parse_department(department, "d");
  auto created = db::create_member(database, db::Actor{std::nullopt, std::nullopt, "test"}, m);
  REQUIRE(created.ok());
  return *created;
}

// Rows in a table, read straight from the database (to show that a refused
// request changed nothing).
inline int count_rows(db::Database& database, const std::string& table) {
  auto c = database.acquire();
  REQUIRE(c.ok());
  int n = 0;
  c->sql() << "SELECT COUNT(*) FROM " + table, soci::into(n);
  return n;
}

// Once a tender is closed, the officer declares every received bid of its lots
// regular (R2152-1), as the scenarios that are not about regularity need.
inline void declare_bids_valid(db::Database& database, const db::Actor& actor, const Tender& tender, Date on) {
  for (const auto& lot : tender.lots) {
    auto bids = db::list_bids(database, lot.id);
    REQUIRE(bids.ok());
    for (const auto& bid : *bids) {
      if (bid.review.regularity != Regularity::received) continue;
      auto decided = usecases::record_bid_decision(database, actor, bid.id, std::nullopt, {BidDecisionKind::valid}, on);
      REQUIRE_MESSAGE(decided.ok(), (decided.ok() ? "" : decided.error().message));
    }
  }
}

struct NetworkFixture {
  TestDatabase db;
  std::unique_ptr<db::Database> database = db.open(4);
  db::Actor actor{std::nullopt, std::nullopt, "test"};
  Member opal, reims, oise, amiens;

  NetworkFixture() {
    REQUIRE(db::migrate(*database).ok());
    opal = add("OPAL", "270200017", "02");
    reims = add("REIMS", "270510027", "51");
    oise = add("OISE", "270600034", "60");
    amiens = add("AMIENS", "270800048", "80");
  }

  Member add(const char* code, const char* siren, const char* department) {
    return add_member(*database, code, siren, department);
  }

  int count(const std::string& table, const std::string& where = "") {
    auto c = database->acquire();
    REQUIRE(c.ok());
    int n = -1;
    c->sql() << "SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where), soci::into(n);
    return n;
  }
};

}  // namespace canopee::test
