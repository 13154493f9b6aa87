#pragma once
// Timing, memory and reporting helpers shared by the benchmarks.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace canopee::bench {

// Runs `body` `repetitions` times and returns each run's seconds.
std::vector<double> time_runs(int repetitions, const std::function<void()>& body);
double median(std::vector<double> values);
double best(const std::vector<double>& values);

// Resident set size now, and the peak since the last reset_peak_rss(), in bytes (Linux).
std::size_t current_rss();
std::size_t peak_rss();
void reset_peak_rss();

std::string human_bytes(double bytes);

}  // namespace canopee::bench
