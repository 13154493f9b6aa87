#include "usecases/notifications.hpp"

#include <spdlog/spdlog.h>

#include "adapters/db/award_chain_repository.hpp"
#include "adapters/db/notification_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/post_award.hpp"

namespace canopee::usecases {
namespace {

constexpr const char* kDeadlines =
    "SELECT id, reference, title, CAST(bid_deadline AS TEXT) FROM tenders WHERE status = 'published' AND bid_deadline IS NOT NULL "
    "ORDER BY id";
// Awarded lots of which a contract is not signed yet: after signature the standstill is history.
constexpr const char* kUnsignedLots =
    "SELECT l.id, l.tender_id, l.number FROM lots l JOIN tenders t ON t.id = l.tender_id "
    "WHERE l.status = 'awarded' AND t.status <> 'cancelled' "
    "AND EXISTS (SELECT 1 FROM contracts c WHERE c.lot_id = l.id AND c.signed_on IS NULL) ORDER BY l.id";

void deadline_notices(soci::session& sql, Instant now, const std::vector<User>& users, std::vector<Addressed>& out) {
  long long id = 0;
  TenderFacts tender;
  std::string deadline;
  soci::statement st = (sql.prepare << kDeadlines, soci::into(id), soci::into(tender.reference),
                        soci::into(tender.title), soci::into(deadline));
  st.execute();
  while (st.fetch()) {
    tender.id = id;
    const auto at = parse_date_time(db::normalize_timestamp(deadline), "bid_deadline");
    if (!at || *at > now) continue;
    auto notices = bid_deadline_notices(tender, *at, users);
    out.insert(out.end(), notices.begin(), notices.end());
  }
}

void standstill_ends(soci::session& sql, Instant now, const std::vector<User>& users, std::vector<Addressed>& out) {
  struct Row {
    long long lot, tender;
    int number;
  };
  std::vector<Row> rows;
  Row row{};
  soci::statement st = (sql.prepare << kUnsignedLots, soci::into(row.lot), soci::into(row.tender),
                        soci::into(row.number));
  st.execute();
  while (st.fetch()) rows.push_back(row);
  const Date today = paris_date(now);
  for (const auto& r : rows) {
    const auto tender = db::load_tender(sql, r.tender);
    const auto award = db::load_award_of_lot(sql, r.lot);
    if (!tender || !award) continue;
    AwardChainFacts facts;
    facts.procedure = tender->procedure;
    facts.chosen_standstill_days = db::load_standstill_days(sql, r.lot);
    facts.decided_on = award->decided_on;
    facts.winning_bid_id = award->bid_id;
    for (const auto id : db::lot_bid_ids(sql, r.lot)) {
      if (id != award->bid_id) facts.other_bid_ids.push_back(id);
    }
    for (const auto& stored : db::load_letters(sql, r.lot)) facts.letters.push_back(stored.letter);
    const auto standstill = standstill_of(facts);
    if (!standstill || today < standstill->signature_from) continue;
    auto notices = standstill_notices({tender->id, tender->reference, tender->title}, r.lot, r.number,
                                      standstill->signature_from, users);
    out.insert(out.end(), notices.begin(), notices.end());
  }
}

}  // namespace

Result<int> notify_time_events(db::Database& database, Instant now) {
  return db::in_transaction<int>(database, [&](soci::session& sql) -> Result<int> {
    const auto users = db::active_users(sql);
    std::vector<Addressed> notices;
    deadline_notices(sql, now, users, notices);
    standstill_ends(sql, now, users, notices);
    auto periods = report_period_notices(paris_date(now), users);
    notices.insert(notices.end(), periods.begin(), periods.end());
    return db::deliver(sql, notices, users);
  });
}

SweepReport drain_outbox(db::Database& database, const SweepOptions& options) {
  SweepReport report;
  if (!options.smtp) return report;
  auto due = db::due_emails(database, options.now, options.batch);
  if (!due) {
    spdlog::warn("notifications: outbox unreadable: {}", due.error().message);
    return report;
  }
  for (const auto& email : *due) {
    // Taken for ten minutes (past libcurl's timeout): a sweep in another process skips it,
    // and a sender that dies holding it leaves it to the sweep after.
    const auto claimed = db::claim_email(database, email, add_seconds(options.now, 600));
    if (!claimed || !*claimed) continue;
    mail::Message message;
    message.from_name = options.smtp->from_name;
    message.from_address = options.smtp->from_address;
    message.to_address = email.recipient;
    message.subject = email.subject;
    message.body = email.body + "\n\nOuvrir dans Canopée : " + options.public_url + "/" + email.link +
                   "\n\nVous recevez ce message parce que vous l’avez choisi dans vos préférences de notification.\n";
    message.message_id = "<canopee-outbox-" + std::to_string(email.id) + "@" + options.smtp->host + ">";
    const auto sent = mail::send_email(*options.smtp, message, options.now);
    if (sent) {
      if (db::email_sent(database, email.id)) ++report.sent;
      continue;
    }
    const int attempts = email.attempts + 1;
    const auto delay = retry_delay_seconds(attempts);
    std::optional<Instant> retry_at;
    if (delay) retry_at = add_seconds(options.now, *delay);
    spdlog::warn("notifications: e-mail {} to {} not sent (attempt {}): code={} {}", email.id, email.recipient,
                 attempts, sent.error().rule, sent.error().message);
    (void)db::email_failed(database, email.id, sent.error().rule, retry_at);
    if (retry_at) {
      ++report.retried;
    } else {
      ++report.failed;
    }
  }
  return report;
}

Result<SweepReport> sweep_notifications(db::Database& database, const SweepOptions& options) {
  auto notified = notify_time_events(database, options.now);
  if (!notified) return std::move(notified).error();
  auto report = drain_outbox(database, options);
  report.notified = *notified;
  return report;
}

}  // namespace canopee::usecases
