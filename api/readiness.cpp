#include "api/readiness.hpp"

#include <spdlog/spdlog.h>

namespace canopee::api {

Readiness::~Readiness() { stop(); }

void Readiness::start(const db::DatabaseUrl& url, std::chrono::milliseconds interval) {
  stop();
  interval_ = interval;
  database_ = std::make_unique<db::Database>(url, db::PoolOptions{1, interval});
  stopping_ = false;
  probe();
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      probe();
      lock.lock();
    }
  });
}

void Readiness::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  database_.reset();
}

void Readiness::probe() {
  const bool was_ready = ready_.load();
  const auto status = database_->ping();
  if (status) last_success_.store(std::chrono::steady_clock::now().time_since_epoch().count());
  ready_.store(status.ok());
  if (was_ready && !status) spdlog::warn("not ready: {}", status.error().message);
  if (!was_ready && status) spdlog::info("ready: the database answers");
}

std::chrono::milliseconds Readiness::since_last_success() const {
  const auto last = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_success_.load()));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - last);
}

}  // namespace canopee::api
