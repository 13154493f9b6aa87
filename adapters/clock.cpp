#include "adapters/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace canopee {
namespace {

struct Now {
  std::tm utc{};
  long micros = 0;
};

Now now() {
  const auto tp = std::chrono::system_clock::now();
  const auto since_epoch = tp.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  Now n;
  n.micros = static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count());
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  gmtime_r(&t, &n.utc);
  return n;
}

}  // namespace

std::string utc_timestamp_now() {
  const Now n = now();
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", n.utc.tm_year + 1900, n.utc.tm_mon + 1,
                n.utc.tm_mday, n.utc.tm_hour, n.utc.tm_min, n.utc.tm_sec, n.micros);
  return buffer;
}

std::string utc_date_today() {
  const Now n = now();
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", n.utc.tm_year + 1900, n.utc.tm_mon + 1, n.utc.tm_mday);
  return buffer;
}

Instant utc_instant_now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Instant{static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count())};
}

}  // namespace canopee
