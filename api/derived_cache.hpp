#pragma once
// Answers derived from stored data (a tender's evaluation, the savings report), kept
// with the version of their inputs they were computed at (adapters/db/derived_versions.hpp).
// An entry serves only a request that read the same version: triggers move it in the
// transaction of every change, so a change through any replica is seen at once, and
// nothing here ever needs invalidating. Thread-safe; bounded in entries and in bytes,
// the least recently used going first. A large answer is kept gzip-compressed too
// (api/compression.hpp), compressed once and sent to every client that accepts it.
//
// The same store also keeps recent reads (Services::recent_reads): there the version
// is the primary's WAL position read before the answer's statement, and an entry
// serves a request for a short while only (find_recent): bounded staleness, with
// read-your-writes for a client that sends the position of its last write.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace canopee::api {

class DerivedCache {
 public:
  // An answer: its JSON, and the same bytes as gzip when it is at least
  // kCompressFrom bytes long (empty otherwise: a small answer gains nothing).
  struct Answer {
    std::string json;
    std::string gzip;
  };
  using Body = std::shared_ptr<const Answer>;
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kCompressFrom = 1024;

  DerivedCache(std::size_t max_entries, std::size_t max_bytes) : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // `json` made an answer, compressed when it is large enough.
  static Body answer(std::string json);
  // The answer computed at exactly `version` under `key`, if kept.
  Body find(const std::string& key, std::int64_t version);
  // Keeps `body` as computed at `version`, unless a later version is kept already
  // (a slower request finishing after a faster one) or the body alone exceeds the bound.
  // `at`: when the answer's inputs were read (find_recent measures the age from it).
  void remember(const std::string& key, std::int64_t version, Body body, Clock::time_point at = Clock::now());
  // A recent read's lookup (see the header's comment).
  struct RecentLookup {
    std::int64_t above = -1;                  // served only with a version above this (the client's last write)
    Clock::time_point not_before{};           // served only when its inputs were read at or after this (the age)
    Clock::time_point renew_before{};         // read before this: due for renewal, by one request
    Clock::time_point claim_lapsed_before{};  // a claim made before this has lapsed
    std::uint64_t claimant = 0;               // the request asking (RequestMeta::serial; 0: none)
    bool count_miss = true;                   // false: a first look that another follows
  };
  // The answer under `key` that may serve `lookup`, if kept. An entry due for
  // renewal is a miss for the first request that finds it (its claimant, who reads
  // afresh and keeps the new answer) and for that request again, and a hit for
  // every other: a busy list is read again before it expires, by one request. A
  // claim ends with the renewal (remember), its release, or its lapse.
  Body find_recent(const std::string& key, const RecentLookup& lookup);
  // The claimant of `key`'s renewal gives it up (it read no answer to keep).
  void release_claim(const std::string& key, std::uint64_t claimant);

  // What a computation gives: the answer (none: it failed, and the caller answers
  // its error itself), and whether it may be kept (the version did not move while
  // it was computed).
  struct Computed {
    Body body;
    bool keep = false;
  };
  // The answer under `key` at `version`: the kept one, or the one `compute` gives.
  // Of the requests that miss the same key and version at the same time, one
  // computes and the others wait for it (a report over a thousand tenders takes a
  // quarter of a second: computed once, not once per request); when it fails or
  // may not be kept, each waiter computes for itself.
  Body find_or_compute(const std::string& key, std::int64_t version, const std::function<Computed()>& compute);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t waits = 0;  // requests that waited for another's computation
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::int64_t version = 0;
    Body body;
    Clock::time_point at;
    std::uint64_t renewer = 0;              // the request renewing it (a recent read due); 0: none
    Clock::time_point claimed_at{};         // when it claimed
    std::list<std::string>::iterator used;  // its place in recent_
  };
  void evict();
  Body find_locked(const std::string& key, std::int64_t version);
  static std::size_t bytes_of(const Body& body) { return body->json.size() + body->gzip.size(); }

  mutable std::mutex mutex_;
  std::size_t max_entries_;
  std::size_t max_bytes_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recent_;  // keys, the most recently used first
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t waits_ = 0;
  std::set<std::pair<std::string, std::int64_t>> computing_;  // (key, version) being computed
  std::condition_variable computed_;
};

}  // namespace canopee::api
