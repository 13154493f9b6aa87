#include "cli/sweeper.hpp"

#include <spdlog/spdlog.h>

#include "adapters/clock.hpp"
#include "usecases/notifications.hpp"

namespace canopee::cli {

int sweep_once(db::Database& database, const std::optional<mail::SmtpSettings>& smtp, const std::string& public_url,
               std::optional<Instant> now) {
  usecases::SweepOptions options;
  options.now = now.value_or(utc_instant_now());
  options.smtp = smtp;
  options.public_url = public_url;
  const auto report = usecases::sweep_notifications(database, options);
  if (!report) {
    spdlog::error("notifications sweep failed: code={} {}", report.error().rule, report.error().message);
    return 1;
  }
  spdlog::info("notifications sweep: {} notified, {} e-mails sent, {} to retry, {} failed", report->notified,
               report->sent, report->retried, report->failed);
  return 0;
}

Sweeper::Sweeper(db::Database& database, std::optional<mail::SmtpSettings> smtp, std::string public_url,
                 std::chrono::seconds interval)
    : database_(database), smtp_(std::move(smtp)), public_url_(std::move(public_url)), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

Sweeper::~Sweeper() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Sweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    (void)sweep_once(database_, smtp_, public_url_, std::nullopt);
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace canopee::cli
