#pragma once
// Brute-force protection: a client (by its address) that fails authentication
// `limit` times within a window is refused — 429 with Retry-After — until the
// window ends, whatever token it sends meanwhile. In memory, per process: each
// replica counts on its own. Behind a reverse proxy every client shares the
// proxy's address; such a deployment puts its own limit at the proxy and raises
// this one (CANOPEE_AUTH_FAILURE_LIMIT).
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace canopee::api {

class AuthThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit AuthThrottle(std::size_t limit = 20, std::chrono::seconds window = std::chrono::seconds(60))
      : limit_(limit), window_(window) {}

  // Seconds the client must still wait, 0 when it may try.
  long long retry_after(const std::string& client, Clock::time_point now) const;
  void record_failure(const std::string& client, Clock::time_point now);
  void set_limit(std::size_t limit);

 private:
  static constexpr std::size_t kMaxClients = 100'000;
  struct Window {
    Clock::time_point started;
    std::size_t failures = 0;
  };
  mutable std::mutex mutex_;
  std::size_t limit_;
  std::chrono::seconds window_;
  std::unordered_map<std::string, Window> clients_;
};

}  // namespace canopee::api
