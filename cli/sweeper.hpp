#pragma once
// The notifications sweep as `canopee serve` runs it: on its own thread, every
// `interval`, until stopped (the destructor stops it and waits for a sweep in
// progress). `canopee notifications sweep` runs the same sweep once.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/db/database.hpp"
#include "adapters/mail/smtp.hpp"

namespace canopee::cli {

class Sweeper {
 public:
  Sweeper(db::Database& database, std::optional<mail::SmtpSettings> smtp, std::string public_url,
          std::chrono::seconds interval);
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;
  ~Sweeper();

 private:
  void run();
  db::Database& database_;
  std::optional<mail::SmtpSettings> smtp_;
  std::string public_url_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// One sweep, logged: 0 when it ran (an e-mail not sent is retried later, not an error).
int sweep_once(db::Database& database, const std::optional<mail::SmtpSettings>& smtp, const std::string& public_url,
               std::optional<Instant> now);

}  // namespace canopee::cli
