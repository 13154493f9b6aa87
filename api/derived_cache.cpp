#include "api/derived_cache.hpp"

#include "api/compression.hpp"

namespace canopee::api {

DerivedCache::Body DerivedCache::answer(std::string json) {
  std::string compressed = json.size() >= kCompressFrom ? gzip(json) : std::string{};
  return std::make_shared<const Answer>(Answer{std::move(json), std::move(compressed)});
}

DerivedCache::Body DerivedCache::find(const std::string& key, std::int64_t version) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second.version != version) {
    ++misses_;
    return nullptr;
  }
  recent_.splice(recent_.begin(), recent_, found->second.used);
  ++hits_;
  return found->second.body;
}

void DerivedCache::remember(const std::string& key, std::int64_t version, Body body) {
  if (!body || bytes_of(body) > max_bytes_ || max_entries_ == 0) return;
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    if (found->second.version > version) return;
    bytes_ -= bytes_of(found->second.body);
    found->second.version = version;
    found->second.body = std::move(body);
    bytes_ += bytes_of(found->second.body);
    recent_.splice(recent_.begin(), recent_, found->second.used);
  } else {
    recent_.push_front(key);
    bytes_ += bytes_of(body);
    entries_.emplace(key, Entry{version, std::move(body), recent_.begin()});
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
  return {hits_, misses_, entries_.size(), bytes_};
}

}  // namespace canopee::api
