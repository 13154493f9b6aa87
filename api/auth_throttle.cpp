#include "api/auth_throttle.hpp"

namespace canopee::api {

long long AuthThrottle::retry_after(const std::string& client, Clock::time_point now) const {
  const std::lock_guard lock(mutex_);
  const auto found = clients_.find(client);
  if (found == clients_.end() || found->second.failures < limit_) return 0;
  const auto ends = found->second.started + window_;
  if (ends <= now) return 0;
  return std::chrono::ceil<std::chrono::seconds>(ends - now).count();
}

void AuthThrottle::record_failure(const std::string& client, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  if (clients_.size() >= kMaxClients) {
    std::erase_if(clients_, [&](const auto& entry) { return entry.second.started + window_ <= now; });
  }
  auto& window = clients_[client];
  if (window.failures == 0 || window.started + window_ <= now) window = {now, 0};
  ++window.failures;
}

void AuthThrottle::set_limit(std::size_t limit) {
  const std::lock_guard lock(mutex_);
  limit_ = limit;
}

}  // namespace canopee::api
