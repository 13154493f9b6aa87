#pragma once
// Reads scaled out on a PostgreSQL streaming standby (issue 21 item 5): which
// server a read that tolerates bounded staleness goes to.
//
// A thread of its own probes both servers every interval, on connections of its
// own (as api/readiness.hpp does for the primary): the primary's WAL insert
// position, then the standby's replayed position. The standby is "caught up at"
// the start of the newest primary probe whose position it has replayed: every
// transaction that had committed by then is visible on it. choose() reads only
// what the last probes left (atomics): it never waits for a probe, a lock or the
// network, so any thread may call it (a worker, an I/O thread).
//
// The standby is chosen when all hold, else the primary:
//  - its last probe answered, and it is in recovery (a promoted standby is a
//    server of its own, no longer a copy of the primary);
//  - it was caught up no longer than `max_lag` ago (the staleness bound: an
//    idle primary keeps it caught up, a paused or slow replay lets it age);
//  - it has replayed the client's last write position, when the client sent one
//    (read-your-writes: Canopee-Read-After, see api/app.cpp).
// A read the standby then fails (it went away between two probes) is retried on
// the primary by the caller, who calls standby_failed(): the standby is left
// aside until a probe finds it answering again.
#include <atomic>
#include <chrono>
#include <compare>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "adapters/db/database.hpp"
#include "engine/result.hpp"

namespace canopee::db {

// A PostgreSQL WAL position, written "16/B374D848": the high and low 32 bits of a
// byte offset, in hexadecimal.
struct Lsn {
  std::uint64_t value = 0;
  // Strict: 1 to 8 hexadecimal digits, '/', 1 to 8 hexadecimal digits, nothing
  // else (no space, sign, "0x", or more digits); none otherwise.
  static std::optional<Lsn> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const Lsn&) const = default;
};

enum class ReadTarget { primary, standby };

struct ReadRoutingOptions {
  std::chrono::milliseconds max_lag{5000};        // the staleness bound
  std::chrono::milliseconds probe_interval{250};  // how often both servers are probed
};

struct ReadRoutingStats {
  std::uint64_t to_standby = 0;  // reads choose() sent to the standby
  std::uint64_t to_primary = 0;  // reads choose() sent to the primary
  std::uint64_t fallbacks = 0;   // reads the standby failed, answered by the primary
  bool standby_answers = false;  // the last probe of the standby answered, in recovery
  std::optional<Lsn> replayed;   // the position the standby had replayed at its last answer
  // How long ago the standby was last caught up with the primary (none: never).
  std::optional<std::chrono::milliseconds> staleness;
};

class ReadRouting {
 public:
  // Both URLs must be PostgreSQL ones (refused otherwise: `invalid`).
  static Result<std::unique_ptr<ReadRouting>> create(const DatabaseUrl& primary, const DatabaseUrl& standby,
                                                     ReadRoutingOptions options = {});
  ReadRouting(const ReadRouting&) = delete;
  ReadRouting& operator=(const ReadRouting&) = delete;
  ~ReadRouting();

  // Probes once now, then every interval until stop() (or destruction).
  void start();
  void stop();

  // Where a read goes, given the client's last write position (none: the client
  // sent none). Thread-safe and non-blocking; counts the read under its target.
  ReadTarget choose(std::optional<Lsn> read_after);
  // choose() in two steps, for a path that may hand the read on to another which
  // chooses again (the fast path declines the standby's reads to the workers):
  // decide() counts nothing; record() counts a read under the target it went to.
  ReadTarget decide(std::optional<Lsn> read_after) const;
  void record(ReadTarget target);
  // A read sent to the standby failed there and is retried on the primary: counted,
  // and the standby is left aside until its next probe answers.
  void standby_failed();

  ReadRoutingStats stats() const;
  const DatabaseUrl& standby_url() const { return standby_url_; }
  // The standby's libpq connection string ("host=… port=… dbname=…").
  const std::string& standby_conninfo() const { return standby_url_.connect_string; }
  std::chrono::milliseconds max_lag() const { return options_.max_lag; }

 private:
  ReadRouting(DatabaseUrl primary, DatabaseUrl standby, ReadRoutingOptions options);
  void probe();

  DatabaseUrl primary_url_;
  DatabaseUrl standby_url_;
  ReadRoutingOptions options_;
  std::unique_ptr<Database> primary_probe_;  // one connection each, the probe thread's own
  std::unique_ptr<Database> standby_probe_;

  // What choose() reads.
  std::atomic<bool> standby_answers_{false};
  std::atomic<std::uint64_t> replayed_{0};
  std::atomic<std::chrono::steady_clock::rep> caught_up_at_{0};  // 0: never
  std::atomic<std::uint64_t> to_standby_{0};
  std::atomic<std::uint64_t> to_primary_{0};
  std::atomic<std::uint64_t> fallbacks_{0};

  // The probe thread's own: the primary's recent positions, oldest first.
  struct Sample {
    std::chrono::steady_clock::time_point at;
    std::uint64_t position;
  };
  std::deque<Sample> samples_;
  std::chrono::steady_clock::time_point next_standby_probe_{};  // after a failed one

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The primary's WAL insert position now, read on a connection of `primary`'s pool.
// Read after a transaction committed, it is at or past that transaction's commit
// record, even with synchronous_commit = off (the write position may not be).
Result<Lsn> current_wal_position(Database& primary);

}  // namespace canopee::db
