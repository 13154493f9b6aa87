// DerivedCache::find_or_compute: of the requests that miss the same answer at the
// same time, one computes it and the others wait for it, then get the same answer;
// a computation that fails or may not be kept leaves each waiter to compute for
// itself. Threads stand for the workers; the computation is held until the second
// request is seen waiting (the cache counts its waits), so the order is certain.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "api/derived_cache.hpp"

using canopee::api::DerivedCache;

namespace {

// Waits (at most 5 s) until `done` holds.
template <class F>
bool eventually(F done) {
  for (int i = 0; i < 5000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return done();
}

struct Flight {
  DerivedCache cache{8, 1 << 20};
  std::atomic<int> computed{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  DerivedCache::Body first, second;

  // Two requests for the same key and version; the first computation gives `given`.
  void run(DerivedCache::Computed given) {
    const auto compute_first = [&] {
      ++computed;
      released.wait();
      return given;
    };
    const auto compute_again = [&] {
      ++computed;
      return DerivedCache::Computed{DerivedCache::answer(R"({"again":true})"), true};
    };
    std::thread a([&] { first = cache.find_or_compute("report", 7, compute_first); });
    REQUIRE(eventually([&] { return computed.load() == 1; }));
    std::thread b([&] { second = cache.find_or_compute("report", 7, compute_again); });
    REQUIRE(eventually([&] { return cache.stats().waits == 1; }));
    release.set_value();
    a.join();
    b.join();
  }
};

}  // namespace

TEST_CASE("requests missing the same answer at once: one computes, the other waits and gets the same answer") {
  Flight f;
  f.run({DerivedCache::answer(R"({"rows":[]})"), true});
  CHECK(f.computed.load() == 1);
  REQUIRE(f.first != nullptr);
  CHECK(f.second == f.first);
  CHECK(f.first->json == R"({"rows":[]})");
  // Kept: a later request is a hit; another version is computed apart.
  CHECK(f.cache.find("report", 7) == f.first);
  const auto other = f.cache.find_or_compute("report", 8, [] {
    return DerivedCache::Computed{DerivedCache::answer(R"({"rows":[1]})"), true};
  });
  CHECK(other->json == R"({"rows":[1]})");
}

TEST_CASE("a computation that fails, or may not be kept, leaves the waiter to compute for itself") {
  SUBCASE("failed") {
    Flight f;
    f.run({nullptr, false});
    CHECK(f.first == nullptr);
    REQUIRE(f.second != nullptr);
    CHECK(f.second->json == R"({"again":true})");
    CHECK(f.computed.load() == 2);
  }
  SUBCASE("not kept (the version moved while it was computed)") {
    Flight f;
    f.run({DerivedCache::answer(R"({"stale":true})"), false});
    CHECK(f.first->json == R"({"stale":true})");
    CHECK(f.second->json == R"({"again":true})");
    CHECK(f.computed.load() == 2);
    CHECK(f.cache.find("report", 7) == f.second);  // the waiter's answer was kept
  }
}

// find_recent (the recent reads): an entry serves only strictly above the client's
// position, and only when read at or after the bound; in its renewal window the first
// request to ask (and only it) misses, until it renews the entry, releases its claim,
// or the claim lapses; a refill at the same position moves its time, an older one
// never replaces a newer.
TEST_CASE("a recent read serves strictly above the position, within the age, renewed by one request") {
  using Clock = DerivedCache::Clock;
  using Lookup = DerivedCache::RecentLookup;
  DerivedCache cache{8, 1 << 20};
  const auto t0 = Clock::now();
  const auto ms = [](int n) { return std::chrono::milliseconds(n); };
  // Due (read before renew_before), claims lapsing if made before `lapsed`.
  const auto due = [&](std::uint64_t who, Clock::time_point lapsed = {}) {
    return cache.find_recent("k", Lookup{-1, t0 - ms(1), Clock::now() + ms(1), lapsed, who});
  };
  cache.remember("k", 100, DerivedCache::answer("[1]"), t0);
  CHECK(cache.find_recent("k", Lookup{-1, t0}) != nullptr);   // no position, read at the bound
  CHECK(cache.find_recent("k", Lookup{99, t0}) != nullptr);   // a write below the position
  CHECK(cache.find_recent("k", Lookup{100, t0}) == nullptr);  // the same position: maybe not in it
  CHECK(cache.find_recent("k", Lookup{101, t0}) == nullptr);
  CHECK(cache.find_recent("k", Lookup{-1, t0 + ms(1)}) == nullptr);  // too old
  CHECK(cache.find_recent("other", Lookup{-1, t0}) == nullptr);
  // Due for renewal: request 1 claims it (a miss, twice), 2 and 3 are served.
  CHECK(due(1) == nullptr);
  CHECK(due(2) != nullptr);
  CHECK(due(1) == nullptr);
  CHECK(due(3) != nullptr);
  // Renewed: the claim is gone; due again, a new request claims it.
  cache.remember("k", 100, DerivedCache::answer("[2]"), t0 + ms(1));
  CHECK(cache.find_recent("k", Lookup{-1, t0 + ms(1)})->json == "[2]");
  CHECK(due(2) == nullptr);
  CHECK(due(3) != nullptr);
  // Released by its claimant (nothing to keep): the next request claims it.
  cache.release_claim("k", 3);  // not the claimant: no effect
  CHECK(due(4) != nullptr);
  cache.release_claim("k", 2);
  CHECK(due(4) == nullptr);
  // A claim that lapsed: the next request claims it.
  CHECK(due(5, Clock::now() - ms(1000)) != nullptr);
  CHECK(due(5, Clock::now() + ms(1)) == nullptr);
  CHECK(due(4) != nullptr);
  // An older position never replaces a newer one.
  cache.remember("k", 90, DerivedCache::answer("[3]"), t0 + ms(2000));
  CHECK(cache.find_recent("k", Lookup{-1, t0})->json == "[2]");
  const auto stats = cache.stats();
  CHECK(stats.hits == 10);
  CHECK(stats.misses == 9);
  CHECK(cache.find_recent("k", Lookup{200, t0, {}, {}, 0, false}) == nullptr);
  CHECK(cache.stats().misses == 9);
}
