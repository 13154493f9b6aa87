#pragma once
// Prometheus metrics: requests by route and status, a latency histogram, and the
// database pool's use (read from the pool when scraped).
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "adapters/db/database.hpp"

namespace canopee::api {

class Metrics {
 public:
  void record(const std::string& method, const std::string& route, unsigned status, double seconds);
  std::string render(const db::PoolStats& pool) const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> requests_;  // "method|route|status" → count
  std::array<std::uint64_t, kBuckets.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace canopee::api
