#pragma once
// Whether the server can do its work, known without waiting for it: a thread of
// its own pings the database on a connection of its own every interval, and
// /readyz reads the last answer. A pool busy with imports or a long allocation
// therefore never delays a load balancer's health check, and a database that
// went away is noticed within one interval.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/db/database.hpp"

namespace canopee::api {

class Readiness {
 public:
  Readiness() = default;
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;
  ~Readiness();

  // Probes once now, then every `interval` until stop().
  void start(const db::DatabaseUrl& url, std::chrono::milliseconds interval = std::chrono::milliseconds(500));
  void stop();

  // The last probe answered, and not longer ago than three intervals (a probe
  // stuck on a database that stopped answering counts as not ready).
  bool ready() const { return ready_.load() && since_last_success() < 3 * interval_ + std::chrono::milliseconds(500); }
  // The time since the last probe that answered (for the log when not ready).
  std::chrono::milliseconds since_last_success() const;

 private:
  void probe();
  std::unique_ptr<db::Database> database_;
  std::chrono::milliseconds interval_{500};
  std::atomic<bool> ready_{false};
  std::atomic<std::chrono::steady_clock::rep> last_success_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace canopee::api
