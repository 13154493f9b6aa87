#include "api/metrics.hpp"

#include <fmt/format.h>

namespace canopee::api {

namespace {

constexpr std::array<std::string_view, 9> kMethods = {"GET",    "HEAD",    "POST",    "PUT",  "PATCH",
                                                      "DELETE", "OPTIONS", "CONNECT", "TRACE"};

}  // namespace

std::string_view method_label(std::string_view method) {
  for (const auto known : kMethods) {
    if (method == known) return known;
  }
  return "other";
}

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

void Metrics::record(std::string_view method, std::string_view route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[Key{method_label(method), std::string(route), status >= 100 && status <= 599 ? status : 0}];
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
    const auto& [method, route, status] = key;
    out += fmt::format("canopee_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method,
                       escape_label(route), status == 0 ? std::string("other") : std::to_string(status), count);
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
  out +=
      "# HELP canopee_fast_path_total Reads offered to the asynchronous PostgreSQL path: answered there, or declined "
      "to the workers.\n";
  out += "# TYPE canopee_fast_path_total counter\n";
  out += fmt::format("canopee_fast_path_total{{result=\"answered\"}} {}\n", fast_answered_.load());
  out += fmt::format("canopee_fast_path_total{{result=\"declined\"}} {}\n", fast_declined_.load());
  return out;
}

std::string Metrics::render(std::initializer_list<std::pair<std::string_view, DerivedCache::Stats>> caches) {
  std::string out;
  out +=
      "# HELP canopee_kept_answers_total Lookups of kept answers: found at the version read, or for a "
      "recent read recent enough and above the client's last write (hit), not (miss: computed, or waited for "
      "another request's computation, also counted as wait).\n";
  out += "# TYPE canopee_kept_answers_total counter\n";
  for (const auto& [cache, s] : caches) {
    out += fmt::format("canopee_kept_answers_total{{cache=\"{}\",result=\"hit\"}} {}\n", cache, s.hits);
    out += fmt::format("canopee_kept_answers_total{{cache=\"{}\",result=\"miss\"}} {}\n", cache, s.misses);
    out += fmt::format("canopee_kept_answers_total{{cache=\"{}\",result=\"wait\"}} {}\n", cache, s.waits);
  }
  out += "# HELP canopee_kept_answers Answers kept.\n";
  out += "# TYPE canopee_kept_answers gauge\n";
  for (const auto& [cache, s] : caches)
    out += fmt::format("canopee_kept_answers{{cache=\"{}\"}} {}\n", cache, s.entries);
  out += "# HELP canopee_kept_answers_bytes Bytes of the answers kept (JSON and gzip).\n";
  out += "# TYPE canopee_kept_answers_bytes gauge\n";
  for (const auto& [cache, s] : caches)
    out += fmt::format("canopee_kept_answers_bytes{{cache=\"{}\"}} {}\n", cache, s.bytes);
  return out;
}

std::string Metrics::render(const db::ReadRoutingStats& routing) {
  std::string out;
  out += "# HELP canopee_db_reads_total Reads of the routes that tolerate bounded staleness, by the server chosen.\n";
  out += "# TYPE canopee_db_reads_total counter\n";
  out += fmt::format("canopee_db_reads_total{{target=\"standby\"}} {}\n", routing.to_standby);
  out += fmt::format("canopee_db_reads_total{{target=\"primary\"}} {}\n", routing.to_primary);
  out += "# HELP canopee_db_read_fallbacks_total Reads the standby failed, answered again by the primary.\n";
  out += "# TYPE canopee_db_read_fallbacks_total counter\n";
  out += fmt::format("canopee_db_read_fallbacks_total {}\n", routing.fallbacks);
  out += "# HELP canopee_db_standby_up Whether the standby's last probe answered (in recovery).\n";
  out += "# TYPE canopee_db_standby_up gauge\n";
  out += fmt::format("canopee_db_standby_up {}\n", routing.standby_answers ? 1 : 0);
  out += "# HELP canopee_db_standby_staleness_seconds Time since the standby last had replayed the primary.\n";
  out += "# TYPE canopee_db_standby_staleness_seconds gauge\n";
  out += fmt::format("canopee_db_standby_staleness_seconds {}\n",
                     routing.staleness
                         ? fmt::format("{:.3f}", std::chrono::duration<double>(*routing.staleness).count())
                         : "NaN");
  return out;
}

}  // namespace canopee::api
