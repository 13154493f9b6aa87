#include "adapters/db/read_routing.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace canopee::db {
namespace {

// The primary's WAL insert position: at or past every commit record written so
// far (pg_current_wal_lsn, the write position, may lag behind a commit made with
// synchronous_commit = off).
constexpr std::string_view kPrimaryPosition = "SELECT pg_current_wal_insert_lsn()::text";
// The standby's replayed position; '' when the server is not in recovery (a
// promoted standby no longer follows the primary).
constexpr std::string_view kStandbyPosition =
    "SELECT CASE WHEN pg_is_in_recovery() THEN COALESCE(pg_last_wal_replay_lsn()::text, '') ELSE '' END";

std::optional<std::uint32_t> hex_half(std::string_view text) {
  if (text.empty() || text.size() > 8) return std::nullopt;
  std::uint32_t value = 0;
  for (const char c : text) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') digit = static_cast<std::uint32_t>(c - '0');
    else if (c >= 'A' && c <= 'F') digit = static_cast<std::uint32_t>(c - 'A' + 10);
    else if (c >= 'a' && c <= 'f') digit = static_cast<std::uint32_t>(c - 'a' + 10);
    else return std::nullopt;
    value = value * 16 + digit;
  }
  return value;
}

// One text value from `query` on a pooled connection.
Result<std::string> query_text(Database& database, std::string_view query) {
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    std::string value;
    connection->sql() << std::string(query), soci::into(value);
    return value;
  } catch (const std::exception& e) {
    connection->mark_suspect();
    return Error::of(ErrorCode::unavailable, std::string("la base de données a échoué : ") + e.what(),
                     "database.unreachable");
  }
}

Result<Lsn> position_of(Result<std::string> text) {
  if (!text) return std::move(text).error();
  auto lsn = Lsn::parse(*text);
  if (!lsn) return Error::of(ErrorCode::unavailable, "position WAL illisible : " + *text, "database.unreachable");
  return *lsn;
}

}  // namespace

std::optional<Lsn> Lsn::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto high = hex_half(text.substr(0, slash));
  const auto low = hex_half(text.substr(slash + 1));
  if (!high || !low) return std::nullopt;
  return Lsn{(static_cast<std::uint64_t>(*high) << 32) | *low};
}

std::string Lsn::to_string() const {
  char out[24];
  std::snprintf(out, sizeof out, "%X/%X", static_cast<unsigned>(value >> 32),
                static_cast<unsigned>(value & 0xFFFFFFFFu));
  return out;
}

Result<Lsn> current_wal_position(Database& primary) { return position_of(query_text(primary, kPrimaryPosition)); }

Result<std::unique_ptr<ReadRouting>> ReadRouting::create(const DatabaseUrl& primary, const DatabaseUrl& standby,
                                                         ReadRoutingOptions options) {
  if (primary.backend != Backend::postgresql || standby.backend != Backend::postgresql) {
    return Error::of(ErrorCode::invalid,
                     "une base de lecture (--read-database) n’est possible qu’avec PostgreSQL : un serveur en "
                     "réplication continue (streaming standby) du serveur principal",
                     "read_database.not_postgresql");
  }
  return std::unique_ptr<ReadRouting>(new ReadRouting(primary, standby, options));
}

ReadRouting::ReadRouting(DatabaseUrl primary, DatabaseUrl standby, ReadRoutingOptions options)
    : primary_url_(std::move(primary)), standby_url_(std::move(standby)), options_(options) {
  if (options_.probe_interval.count() <= 0) options_.probe_interval = std::chrono::milliseconds(250);
}

ReadRouting::~ReadRouting() { stop(); }

void ReadRouting::start() {
  stop();
  primary_probe_ = std::make_unique<Database>(primary_url_, PoolOptions{1, options_.probe_interval});
  standby_probe_ = std::make_unique<Database>(standby_url_, PoolOptions{1, options_.probe_interval});
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  probe();
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, options_.probe_interval, [this] { return stopping_; })) {
      lock.unlock();
      probe();
      lock.lock();
    }
  });
}

void ReadRouting::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  primary_probe_.reset();
  standby_probe_.reset();
}

void ReadRouting::probe() {
  // The primary first: whatever had committed when this probe started is at or
  // before `position`; a standby that replayed `position` shows all of it.
  const auto started = std::chrono::steady_clock::now();
  if (auto position = position_of(query_text(*primary_probe_, kPrimaryPosition))) {
    samples_.push_back({started, position->value});
  }
  // A sample older than the bound can only say "too stale": kept no longer.
  const auto keep = options_.max_lag + 4 * options_.probe_interval;
  while (samples_.size() > 1 && started - samples_.front().at > keep) samples_.pop_front();

  // A standby whose probe failed is asked again once a second rather than every
  // interval (each failed attempt logs its reason).
  const bool answered_before = standby_answers_.load();
  if (started < next_standby_probe_) return;
  auto replayed = query_text(*standby_probe_, kStandbyPosition);
  std::optional<Lsn> position;
  if (replayed) position = Lsn::parse(*replayed);
  if (!position) {
    standby_answers_.store(false);
    next_standby_probe_ = started + std::chrono::seconds(1);
    if (answered_before) {
      spdlog::warn("read standby {} set aside: {}", standby_url_.redacted,
                   replayed ? "it is not in recovery (promoted?)" : replayed.error().message);
    }
    return;
  }
  replayed_.store(position->value);
  // The newest primary sample the standby has replayed.
  for (auto it = samples_.rbegin(); it != samples_.rend(); ++it) {
    if (it->position <= position->value) {
      const auto at = it->at.time_since_epoch().count();
      if (at > caught_up_at_.load()) caught_up_at_.store(at);
      break;
    }
  }
  standby_answers_.store(true);
  if (!answered_before) spdlog::info("read standby {} answers, replayed {}", standby_url_.redacted, *replayed);
}

ReadTarget ReadRouting::choose(std::optional<Lsn> read_after) {
  const auto target = decide(read_after);
  record(target);
  return target;
}

void ReadRouting::record(ReadTarget target) {
  (target == ReadTarget::standby ? to_standby_ : to_primary_).fetch_add(1, std::memory_order_relaxed);
}

ReadTarget ReadRouting::decide(std::optional<Lsn> read_after) const {
  if (!standby_answers_.load(std::memory_order_acquire)) return ReadTarget::primary;
  const auto caught_up = caught_up_at_.load(std::memory_order_acquire);
  if (caught_up == 0) return ReadTarget::primary;
  const auto age = std::chrono::steady_clock::now() -
                   std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(caught_up));
  if (age > options_.max_lag) return ReadTarget::primary;
  if (read_after && replayed_.load(std::memory_order_acquire) < read_after->value) return ReadTarget::primary;
  return ReadTarget::standby;
}

void ReadRouting::standby_failed() {
  fallbacks_.fetch_add(1, std::memory_order_relaxed);
  if (standby_answers_.exchange(false)) spdlog::warn("read standby {} failed a read: set aside", standby_url_.redacted);
}

ReadRoutingStats ReadRouting::stats() const {
  ReadRoutingStats stats;
  stats.to_standby = to_standby_.load();
  stats.to_primary = to_primary_.load();
  stats.fallbacks = fallbacks_.load();
  stats.standby_answers = standby_answers_.load();
  if (const auto replayed = replayed_.load(); replayed != 0) stats.replayed = Lsn{replayed};
  if (const auto caught_up = caught_up_at_.load(); caught_up != 0) {
    stats.staleness = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() -
        std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(caught_up)));
  }
  return stats;
}

}  // namespace canopee::db
