#pragma once
// The notifications sweep (`canopee notifications sweep`, and `canopee serve` on a
// timer): writes the notifications of the events that happen with time — a bid
// deadline passed, a standstill ended, a month closed — and sends the e-mails of the
// outbox, outside any request. Idempotent: run it as often as you like.
#include <optional>
#include <string>

#include "adapters/db/database.hpp"
#include "adapters/mail/smtp.hpp"
#include "engine/date.hpp"

namespace canopee::usecases {

struct SweepOptions {
  Instant now;
  std::optional<mail::SmtpSettings> smtp;  // none: no e-mail is sent (in-app only)
  std::string public_url;                  // the web app's address, for the links in e-mails
  int batch = 100;                         // e-mails sent at most per sweep
};

struct SweepReport {
  int notified = 0;  // notifications written by this sweep
  int sent = 0;
  int retried = 0;  // failed this time, tried again later
  int failed = 0;   // failed for good
};

// The time-based events only (one transaction).
Result<int> notify_time_events(db::Database& database, Instant now);
// The outbox only: each due e-mail once.
SweepReport drain_outbox(db::Database& database, const SweepOptions& options);
// Both.
Result<SweepReport> sweep_notifications(db::Database& database, const SweepOptions& options);

}  // namespace canopee::usecases
