#include "api/derived_cache.hpp"

#include "api/compression.hpp"

namespace canopee::api {

DerivedCache::Body DerivedCache::answer(std::string json) {
  std::string compressed = json.size() >= kCompressFrom ? gzip(json) : std::string{};
  return std::make_shared<const Answer>(Answer{std::move(json), std::move(compressed)});
}

DerivedCache::Body DerivedCache::find(const std::string& key, std::int64_t version) {
  std::lock_guard lock(mutex_);
  return find_locked(key, version);
}

DerivedCache::Body DerivedCache::find_or_compute(const std::string& key, std::int64_t version,
                                                 const std::function<Computed()>& compute) {
  const auto computation = std::make_pair(key, version);
  bool registered = false;  // this request is the one computing (others wait for it)
  {
    std::unique_lock lock(mutex_);
    if (auto kept = find_locked(key, version)) return kept;
    if (computing_.count(computation) != 0) {
      ++waits_;
      computed_.wait(lock, [&] { return computing_.count(computation) == 0; });
      const auto found = entries_.find(key);
      if (found != entries_.end() && found->second.version == version) {
        recent_.splice(recent_.begin(), recent_, found->second.used);
        return found->second.body;
      }
      // The other computation failed or was not kept: compute here, alongside
      // any other waiter (they are few, and this is the rare case).
    } else {
      computing_.insert(computation);
      registered = true;
    }
  }
  // Only the computation registered above is removed, whatever happens to it.
  struct Done {
    DerivedCache& cache;
    const std::pair<std::string, std::int64_t>& computation;
    bool registered;
    ~Done() {
      if (!registered) return;
      {
        std::lock_guard lock(cache.mutex_);
        cache.computing_.erase(computation);
      }
      cache.computed_.notify_all();
    }
  } done{*this, computation, registered};
  auto result = compute();
  if (result.body && result.keep) remember(key, version, result.body);
  return result.body;
}

DerivedCache::Body DerivedCache::find_locked(const std::string& key, std::int64_t version) {
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second.version != version) {
    ++misses_;
    return nullptr;
  }
  recent_.splice(recent_.begin(), recent_, found->second.used);
  ++hits_;
  return found->second.body;
}

DerivedCache::Body DerivedCache::find_recent(const std::string& key, const RecentLookup& lookup) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(key);
  bool usable = found != entries_.end() && found->second.version > lookup.above &&
                found->second.at >= lookup.not_before;
  if (usable && found->second.at < lookup.renew_before && lookup.claimant != 0) {
    auto& entry = found->second;
    if (entry.renewer == 0 || entry.claimed_at < lookup.claim_lapsed_before) {
      entry.renewer = lookup.claimant;
      entry.claimed_at = Clock::now();
    }
    usable = entry.renewer != lookup.claimant;
  }
  if (!usable) {
    if (lookup.count_miss) ++misses_;
    return nullptr;
  }
  recent_.splice(recent_.begin(), recent_, found->second.used);
  ++hits_;
  return found->second.body;
}

void DerivedCache::release_claim(const std::string& key, std::uint64_t claimant) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(key);
  if (found != entries_.end() && found->second.renewer == claimant) found->second.renewer = 0;
}

void DerivedCache::remember(const std::string& key, std::int64_t version, Body body, Clock::time_point at) {
  if (!body || bytes_of(body) > max_bytes_ || max_entries_ == 0) return;
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    if (found->second.version > version) return;
    bytes_ -= bytes_of(found->second.body);
    found->second.version = version;
    found->second.body = std::move(body);
    found->second.at = at;
    found->second.renewer = 0;
    bytes_ += bytes_of(found->second.body);
    recent_.splice(recent_.begin(), recent_, found->second.used);
  } else {
    recent_.push_front(key);
    bytes_ += bytes_of(body);
    entries_.emplace(key, Entry{version, std::move(body), at, 0, {}, recent_.begin()});
  }
  evict();
}

void DerivedCache::evict() {
  while (!recent_.empty() && (entries_.size() > max_entries_ || bytes_ > max_bytes_)) {
    const auto oldest = entries_.find(recent_.back());
    bytes_ -= bytes_of(oldest->second.body);
    entries_.erase(oldest);
    recent_.pop_back();
  }
}

DerivedCache::Stats DerivedCache::stats() const {
  std::lock_guard lock(mutex_);
  return {hits_, misses_, waits_, entries_.size(), bytes_};
}

}  // namespace canopee::api
