#pragma once
// Who is acting, for the audit log: the signed-in user and their member, or a
// command run on the server (no user), and the request it came with.
#include <cstdint>
#include <optional>
#include <string>

namespace canopee::db {

struct Actor {
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> member_id;
  std::string request_id;
};

}  // namespace canopee::db
