#include "api/token_cache.hpp"

namespace canopee::api {

std::optional<User> TokenCache::find(const std::string& token_hash, Clock::time_point now) const {
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(token_hash);
  if (found == entries_.end() || found->second.expires <= now) return std::nullopt;
  return found->second.user;
}

void TokenCache::remember(const std::string& token_hash, const User& user, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  if (ttl_.count() == 0) return;
  if (entries_.size() >= kMaxEntries) {
    std::erase_if(entries_, [now](const auto& entry) { return entry.second.expires <= now; });
    if (entries_.size() >= kMaxEntries) entries_.clear();
  }
  entries_.insert_or_assign(token_hash, Entry{user, now + ttl_});
}

void TokenCache::forget(const std::string& token_hash) {
  const std::lock_guard lock(mutex_);
  entries_.erase(token_hash);
}

void TokenCache::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
}

void TokenCache::set_ttl(std::chrono::milliseconds ttl) {
  const std::lock_guard lock(mutex_);
  ttl_ = ttl;
  entries_.clear();
}

}  // namespace canopee::api
