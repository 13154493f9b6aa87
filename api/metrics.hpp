#pragma once
// Prometheus metrics: requests by method, route and status, a latency histogram,
// and the database pool's use (read from the pool when scraped).
//
// Every label value comes from a fixed set, so no client can add a series: the
// method is one of the HTTP methods this server knows (anything else counts as
// `other`), the route is a pattern of the routing table (or `unmatched`), the
// status one of the codes this server answers with (three digits; anything else
// is `other`). The number of series is therefore bounded by the routing table.
#include <array>
#include <atomic>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "adapters/db/database.hpp"
#include "adapters/db/read_routing.hpp"
#include "api/derived_cache.hpp"

namespace canopee::api {

// The label for a request method as the client spelled it.
std::string_view method_label(std::string_view method);
// A label value escaped for the Prometheus text format (\\, \", \n).
std::string escape_label(std::string_view value);

class Metrics {
 public:
  // `route` must be a route pattern or "unmatched" (not client text).
  void record(std::string_view method, std::string_view route, unsigned status, double seconds);
  std::string render(const db::PoolStats& pool) const;
  // A request offered to the fast path (asynchronous PostgreSQL reads): answered
  // there, or handed to the workers.
  void record_fast_path(bool answered) { (answered ? fast_answered_ : fast_declined_).fetch_add(1); }
  // The read standby's routing (--read-database): reads by target, fallbacks, its state.
  static std::string render(const db::ReadRoutingStats& routing);
  // The kept answers (api/derived_cache.hpp), each cache under its name: lookups by
  // result, and what is held.
  static std::string render(std::initializer_list<std::pair<std::string_view, DerivedCache::Stats>> caches);

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  using Key = std::tuple<std::string_view, std::string, unsigned>;  // method label, route, status (0: other)
  mutable std::mutex mutex_;
  std::map<Key, std::uint64_t> requests_;
  std::array<std::uint64_t, kBuckets.size()> buckets_{};
  std::uint64_t count_ = 0;
  std::atomic<std::uint64_t> fast_answered_{0};
  std::atomic<std::uint64_t> fast_declined_{0};
  double sum_ = 0;
};

}  // namespace canopee::api
