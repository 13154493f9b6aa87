#pragma once
// Notifications, preferences and the e-mail outbox (schema/0026, engine/notification.hpp).
// `deliver` runs inside the caller's transaction: a notification exists if and only
// if its event committed, and at most once per event and user (the unique key).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/notification.hpp"

namespace canopee::db {

// Every active user (the engine picks the recipients among them).
std::vector<User> active_users(soci::session& sql);

// Writes each notice not written yet for its user and, when the user chose e-mail
// for its kind, its e-mail in the outbox. Answers how many were new.
int deliver(soci::session& sql, const std::vector<Addressed>& notices, const std::vector<User>& users);

// The events of the use cases, in their transaction.
// A tender was created from needs: their members' buyers.
void notify_needs_pooled(soci::session& sql, std::int64_t tender_id);
// A lot was awarded: the buyers of its members.
void notify_lot_awarded(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id);

struct StoredNotification {
  std::int64_t id = 0;
  NotificationKind kind = NotificationKind::need_pooled;
  std::string title, body, link, created_at;
  std::optional<std::string> read_at;
};
Result<PageOf<StoredNotification>> list_notifications(Database& database, std::int64_t user_id, bool unread_only,
                                                      const Page& page);
Result<long long> unread_notifications(Database& database, std::int64_t user_id);
// Marks one of the user's notifications read (not found for another's); a read one stays as it was.
Result<StoredNotification> mark_notification_read(Database& database, std::int64_t user_id, std::int64_t id);
Result<long long> mark_all_notifications_read(Database& database, std::int64_t user_id);

struct Preference {
  NotificationKind kind = NotificationKind::need_pooled;
  bool email = false;
};
// The user's choice for each kind of their role (e-mail off when never chosen).
Result<std::vector<Preference>> notification_preferences(Database& database, const User& user);
Status save_notification_preferences(Database& database, const Actor& actor, const User& user,
                                     const std::vector<Preference>& preferences);

// The outbox, drained by the sweep outside any request.
struct OutgoingEmail {
  std::int64_t id = 0;
  std::string recipient, subject, body, link;
  int attempts = 0;
  Instant due;  // next_attempt_us as read
};
Result<std::vector<OutgoingEmail>> due_emails(Database& database, Instant now, int limit);
// Takes the e-mail for this sender until `until` (false when another sweep, in another
// process, took it or it changed since `email.due` was read): one sending at a time.
Result<bool> claim_email(Database& database, const OutgoingEmail& email, Instant until);
Status email_sent(Database& database, std::int64_t id);
// One more failed attempt: pending again at `retry_at`, or failed for good when none.
Status email_failed(Database& database, std::int64_t id, const std::string& code, std::optional<Instant> retry_at);

}  // namespace canopee::db
