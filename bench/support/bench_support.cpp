#include "bench/support/bench_support.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace canopee::bench {
namespace {

std::size_t status_kib(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key, 0) == 0) {
      std::istringstream fields(line.substr(std::string(key).size()));
      std::size_t kib = 0;
      fields >> kib;
      return kib;
    }
  }
  return 0;
}

}  // namespace

std::vector<double> time_runs(int repetitions, const std::function<void()>& body) {
  std::vector<double> seconds;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    body();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

double best(const std::vector<double>& values) {
  return values.empty() ? 0.0 : *std::min_element(values.begin(), values.end());
}

std::size_t current_rss() { return status_kib("VmRSS:") * 1024; }
std::size_t peak_rss() { return status_kib("VmHWM:") * 1024; }

void reset_peak_rss() {
  // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
  std::ofstream("/proc/self/clear_refs") << "5";
}

std::string human_bytes(double bytes) {
  char buffer[32];
  if (bytes >= 1024.0 * 1024.0) {
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", bytes / (1024.0 * 1024.0));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f KiB", bytes / 1024.0);
  }
  return buffer;
}

}  // namespace canopee::bench
