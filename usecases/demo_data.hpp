#pragma once
// The demo network that `canopee demo` (and the README's run command) loads: the
// four members of design.md §1 (with fictitious identifiers), a user per role,
// suppliers, needs, one closed joint tender with bids and one awarded lot (its letters
// still to send), one published tender with bids, and one tender launched 100 days
// before `today` whose lot went through the whole chain after its award (letters,
// standstill, both member contracts signed and notified). Loading it again only gives
// the demo users new tokens.
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "engine/date.hpp"

namespace canopee::demo {

struct DemoUser {
  std::string role;
  std::string email;
  std::string member;  // member code, empty for network-wide users
  std::string token;
};

struct DemoReport {
  bool created = false;  // false when the demo was already there
  std::vector<DemoUser> users;
};

Result<DemoReport> load_demo(db::Database& database, Date today);

}  // namespace canopee::demo
