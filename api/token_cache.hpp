#pragma once
// Who a token hash belongs to, remembered for a short time so that a burst of
// requests does not look the same user up for each one. Only found users are
// kept (an unknown token always reaches the database). A change to any user in
// this process clears it at once; another process sees a revocation within the
// time to live (2 s by default; 0 turns the cache off).
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/parties.hpp"

namespace canopee::api {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TokenCache(std::chrono::milliseconds ttl = std::chrono::seconds(2)) : ttl_(ttl) {}

  std::optional<User> find(const std::string& token_hash, Clock::time_point now) const;
  void remember(const std::string& token_hash, const User& user, Clock::time_point now);
  // Drops one entry at once (a session signed out on this replica; others wait out the TTL).
  void forget(const std::string& token_hash);
  void clear();
  void set_ttl(std::chrono::milliseconds ttl);

 private:
  static constexpr std::size_t kMaxEntries = 10'000;
  struct Entry {
    User user;
    Clock::time_point expires;
  };
  mutable std::mutex mutex_;
  std::chrono::milliseconds ttl_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace canopee::api
