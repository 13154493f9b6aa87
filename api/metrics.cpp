#include "api/metrics.hpp"

#include <fmt/format.h>

namespace canopee::api {

void Metrics::record(const std::string& method, const std::string& route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[method + "|" + route + "|" + std::to_string(status)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

std::string Metrics::render(const db::PoolStats& pool) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP canopee_http_requests_total HTTP requests served, by route pattern and status.\n";
  out += "# TYPE canopee_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto first = key.find('|');
    const auto second = key.find('|', first + 1);
    out += fmt::format("canopee_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", key.substr(0, first),
                       key.substr(first + 1, second - first - 1), key.substr(second + 1), count);
  }
  out += "# HELP canopee_http_request_duration_seconds Time to handle a request.\n";
  out += "# TYPE canopee_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format("canopee_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], buckets_[i]);
  }
  out += fmt::format("canopee_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count_);
  out += fmt::format("canopee_http_request_duration_seconds_sum {}\n", sum_);
  out += fmt::format("canopee_http_request_duration_seconds_count {}\n", count_);
  out += "# HELP canopee_db_pool_connections Database connections in the pool, and in use.\n";
  out += "# TYPE canopee_db_pool_connections gauge\n";
  out += fmt::format("canopee_db_pool_connections{{state=\"total\"}} {}\n", pool.size);
  out += fmt::format("canopee_db_pool_connections{{state=\"in_use\"}} {}\n", pool.in_use);
  out += "# TYPE canopee_db_pool_acquired_total counter\n";
  out += fmt::format("canopee_db_pool_acquired_total {}\n", pool.acquired);
  out += "# TYPE canopee_db_pool_timeouts_total counter\n";
  out += fmt::format("canopee_db_pool_timeouts_total {}\n", pool.timeouts);
  out += "# TYPE canopee_db_reconnects_total counter\n";
  out += fmt::format("canopee_db_reconnects_total {}\n", pool.reconnects);
  return out;
}

}  // namespace canopee::api
