// propose_aggregation on 1,000,000 random needs across 50 members, 500 CPV codes
// and 13 départements: time, needs per second, working memory per need; beside it
// the same run's baseline, a plain hash GROUP BY (CPV, unit, member) summing
// quantities — the least work any pooling must do.
//
// Usage: canopee_bench_aggregation [needs=1000000] [repetitions=11]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <unordered_map>

#include "bench/support/bench_support.hpp"
#include "engine/aggregation.hpp"

using namespace canopee;

namespace {

std::vector<Need> make_needs(std::size_t count) {
  const auto cpv = CpvNomenclature::starter();
  std::vector<CpvCode> codes;
  for (std::size_t i = 0; i < cpv.entries().size() && codes.size() < 500; ++i) codes.push_back(cpv.entries()[i].code);
  const char* departments[] = {"02", "08", "10", "51", "52", "55", "59", "60", "62", "77", "80", "95", "2A"};
  const Unit units_by_family[][2] = {{Unit::u, Unit::u},     {Unit::kg, Unit::t},  {Unit::l, Unit::m3},
                                     {Unit::kWh, Unit::MWh}, {Unit::m2, Unit::m2}, {Unit::h, Unit::h}};
  const char* tints[] = {"blanc", "gris", "beige"};
  std::mt19937_64 rng(2026);
  const Date start = *parse_date("2026-01-01", "x");
  const Date end = *parse_date("2026-12-31", "x");
  std::vector<Department> parsed_departments;
  for (const char* d : departments) parsed_departments.push_back(*parse_department(d, "d"));

  std::vector<Need> needs(count);
  for (std::size_t i = 0; i < count; ++i) {
    Need& n = needs[i];
    n.id = static_cast<std::int64_t>(i + 1);
    n.member_id = static_cast<std::int64_t>(1 + rng() % 50);
    const auto code_index = rng() % codes.size();
    n.cpv = codes[code_index];
    const auto& family = units_by_family[code_index % 6];
    n.unit = family[rng() % 2];
    n.quantity = Quantity{static_cast<std::int64_t>(1 + rng() % 10'000'000)};
    n.reference_unit_price = UnitPrice{static_cast<std::int64_t>(rng() % 5'000'000)};
    n.department = parsed_departments[rng() % 13];
    n.period_start = start;
    n.period_end = end;
    n.recurring = rng() % 3 == 0;
    if (rng() % 10 < 3) n.attributes.push_back({"teinte", tints[rng() % 3]});
    n.status = NeedStatus::submitted;
  }
  return needs;
}

// The baseline: one hash map keyed by (CPV, unit, member), summing quantities.
std::size_t hash_group_by(const std::vector<Need>& needs) {
  struct Sum {
    std::int64_t quantity = 0;
    std::int64_t count = 0;
  };
  std::unordered_map<std::uint64_t, Sum> groups;
  groups.reserve(1 << 16);
  for (const auto& n : needs) {
    const auto key = (static_cast<std::uint64_t>(n.cpv.digits) << 24) | (static_cast<std::uint64_t>(n.unit) << 16) |
                     static_cast<std::uint64_t>(n.member_id);
    auto& s = groups[key];
    s.quantity += n.quantity.thousandths;
    ++s.count;
  }
  return groups.size();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 11;
  const auto needs = make_needs(count);
  // The engine's input as the server builds it from the database's rows: 64 bytes
  // a need and the attribute pool (issue 21 item 3); the Need structs are only the
  // in-memory baseline's input.
  const PoolableNeeds input(needs);

  AggregationOptions options;
  options.contract_start = *parse_date("2026-01-01", "x");
  options.duration_months = 24;
  options.split_by_department = true;

  // Working memory: peak RSS during one run above the RSS with the input built.
  const auto before = bench::current_rss();
  bench::reset_peak_rss();
  std::size_t lots = 0;
  std::size_t not_pooled = 0;
  {
    auto proposal = propose_pooling(input, options);
    if (!proposal) {
      std::fprintf(stderr, "aggregation failed: %s\n", proposal.error().message.c_str());
      return 1;
    }
    lots = proposal->lots.size();
    not_pooled = proposal->not_pooled.size();
  }
  const auto working = static_cast<double>(bench::peak_rss() - before);

  const auto engine_times = bench::time_runs(repetitions, [&] {
    auto proposal = propose_pooling(input, options);
    if (!proposal) std::abort();
  });
  std::size_t groups = 0;
  const auto baseline_times = bench::time_runs(repetitions, [&] { groups = hash_group_by(needs); });

  const double engine = bench::median(engine_times);
  const double baseline = bench::median(baseline_times);
  const double n = static_cast<double>(count);
  std::printf("propose_aggregation: %zu needs, 50 members, 500 CPV codes, 13 départements, split by département\n",
              count);
  std::printf("  result                        %zu lots, %zu needs not pooled\n", lots, not_pooled);
  std::printf("  engine      median %8.1f ms  best %8.1f ms  %6.2f M needs/s (median)  %6.2f (best)\n", engine * 1e3,
              bench::best(engine_times) * 1e3, n / engine / 1e6, n / bench::best(engine_times) / 1e6);
  std::printf(
      "  baseline    median %8.1f ms  best %8.1f ms  %6.2f M needs/s  (hash GROUP BY cpv,unit,member: %zu groups)\n",
      baseline * 1e3, bench::best(baseline_times) * 1e3, n / baseline / 1e6, groups);
  std::printf("  ratio engine/baseline time    %.2f\n", engine / baseline);
  std::printf("  working memory                %s peak above the input, %.0f bytes per need\n",
              bench::human_bytes(working).c_str(), working / n);
  std::printf("  compact input                 %.0f bytes per need\n", static_cast<double>(input.memory_bytes()) / n);
  return 0;
}
