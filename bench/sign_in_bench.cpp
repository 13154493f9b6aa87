// The price of a password sign-in (issue 20 item 9): argon2id at libsodium's
// interactive costs (2 passes, 64 MiB), hashing a new password and verifying one, as
// POST /v1/password-links/use and POST /v1/sessions do — against the same run's
// baseline, the SHA-256 of an API token that every token request computes. Also what
// several sign-ins at once cost in memory (64 MiB each while they run).
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "adapters/security/passwords.hpp"
#include "adapters/security/tokens.hpp"
#include "bench/support/bench_support.hpp"

using namespace canopee;

int main() {
  const std::string password = "Peinture Reims 2027";
  const std::string token = security::generate_token();
  const auto stored = security::hash_password(password);

  const auto hashing = bench::time_runs(5, [&] { (void)security::hash_password(password); });
  const auto verifying = bench::time_runs(5, [&] { (void)security::verify_password(stored, password); });
  constexpr int kTokens = 100'000;
  const auto tokens = bench::time_runs(5, [&] {
    for (int i = 0; i < kTokens; ++i) (void)security::token_hash(token);
  });
  const double token_seconds = bench::median(tokens) / kTokens;

  bench::reset_peak_rss();
  const auto before = bench::current_rss();
  const auto parallel = bench::time_runs(1, [&] {
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&] { (void)security::verify_password(stored, password); });
    for (auto& t : threads) t.join();
  });
  const auto peak = bench::peak_rss();

  std::printf("argon2id hash (new password)     median %.1f ms\n", bench::median(hashing) * 1e3);
  std::printf("argon2id verify (sign-in)        median %.1f ms  → %.1f sign-ins/s per core\n",
              bench::median(verifying) * 1e3, 1.0 / bench::median(verifying));
  std::printf("baseline: SHA-256 of a token     median %.2f µs\n", token_seconds * 1e6);
  std::printf("ratio verify / token hash        %.0f×\n", bench::median(verifying) / token_seconds);
  std::printf("4 sign-ins at once               %.1f ms, peak RSS +%s\n", parallel.front() * 1e3,
              bench::human_bytes(static_cast<double>(peak - before)).c_str());
  return 0;
}
