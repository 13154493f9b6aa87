#pragma once
// At most `limit` requests of one costly kind (a bulk import, an allocation
// computation) per user at once, in this process: a client looping on them
// cannot hold every worker. The caller holds a Lease for the request's time.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace canopee::api {

class UserSlots {
 public:
  explicit UserSlots(std::size_t limit) : limit_(limit) {}

  class Lease {
   public:
    Lease(UserSlots* slots, std::int64_t user) : slots_(slots), user_(user) {}
    Lease(Lease&& other) noexcept : slots_(std::exchange(other.slots_, nullptr)), user_(other.user_) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (slots_ != nullptr) slots_->release(user_);
    }

   private:
    UserSlots* slots_;
    std::int64_t user_;
  };

  // A lease, or none when the user already holds `limit` of them.
  std::optional<Lease> try_acquire(std::int64_t user) {
    std::lock_guard lock(mutex_);
    auto& held = held_[user];
    if (held >= limit_) return std::nullopt;
    ++held;
    return std::optional<Lease>(std::in_place, this, user);
  }
  void set_limit(std::size_t limit) {
    std::lock_guard lock(mutex_);
    limit_ = limit;
  }

 private:
  void release(std::int64_t user) {
    std::lock_guard lock(mutex_);
    const auto found = held_.find(user);
    if (found != held_.end() && --found->second == 0) held_.erase(found);
  }
  std::mutex mutex_;
  std::size_t limit_;
  std::unordered_map<std::int64_t, std::size_t> held_;
};

}  // namespace canopee::api
