#include "adapters/db/notification_repository.hpp"

#include <algorithm>

#include "adapters/clock.hpp"

namespace canopee::db {
namespace {

constexpr const char* kActiveUsers =
    "SELECT id, email, name, role, member_id, version FROM users WHERE active = 1 ORDER BY id";
constexpr const char* kInsertNotification =
    "INSERT INTO notifications (user_id, kind, event_key, title, body, link, created_at) "
    "VALUES (:user, :kind, :event_key, :title, :body, :link, :at) "
    "ON CONFLICT (user_id, event_key) DO NOTHING RETURNING id";
constexpr const char* kEmailChosen =
    "SELECT email FROM notification_preferences WHERE user_id = :user AND kind = :kind";
constexpr const char* kInsertEmail =
    "INSERT INTO email_outbox (notification_id, recipient, subject, body, created_at) "
    "VALUES (:notification, :recipient, :subject, :body, :at)";
constexpr const char* kTenderFacts = "SELECT reference, title FROM tenders WHERE id = :id";
constexpr const char* kPooledByMember =
    "SELECT n.member_id, count(*) FROM needs n JOIN lots l ON l.id = n.lot_id WHERE l.tender_id = :tender "
    "GROUP BY n.member_id ORDER BY n.member_id";
constexpr const char* kLotFacts = "SELECT number, title FROM lots WHERE id = :id";
constexpr const char* kLotMembers = "SELECT member_id FROM lot_lines WHERE lot_id = :id ORDER BY member_id";
constexpr const char* kLotSupplier =
    "SELECT s.name FROM awards a JOIN bids b ON b.id = a.bid_id JOIN suppliers s ON s.id = b.supplier_id "
    "WHERE a.lot_id = :id";
constexpr const char* kColumns = "SELECT id, kind, title, body, link, CAST(created_at AS TEXT), CAST(read_at AS TEXT) ";
constexpr const char* kCountUnread = "SELECT count(*) FROM notifications WHERE user_id = :user AND read_at IS NULL";
constexpr const char* kMarkRead =
    "UPDATE notifications SET read_at = :at WHERE id = :id AND user_id = :user AND read_at IS NULL";
constexpr const char* kMarkAllRead = "UPDATE notifications SET read_at = :at WHERE user_id = :user AND read_at IS NULL";
constexpr const char* kPreferences = "SELECT kind, email FROM notification_preferences WHERE user_id = :user";
constexpr const char* kUpsertPreference =
    "INSERT INTO notification_preferences (user_id, kind, email) VALUES (:user, :kind, :email) "
    "ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email";
constexpr const char* kDueEmails =
    "SELECT o.id, o.recipient, o.subject, o.body, n.link, o.attempts, o.next_attempt_us FROM email_outbox o "
    "JOIN notifications n ON n.id = o.notification_id WHERE o.status = 'pending' AND o.next_attempt_us <= :now "
    "ORDER BY o.id";
constexpr const char* kClaim =
    "UPDATE email_outbox SET next_attempt_us = :until WHERE id = :id AND status = 'pending' AND next_attempt_us = :seen";
constexpr const char* kSent =
    "UPDATE email_outbox SET status = 'sent', attempts = attempts + 1, sent_at = :at, last_error = NULL "
    "WHERE id = :id";
constexpr const char* kRetry =
    "UPDATE email_outbox SET attempts = attempts + 1, next_attempt_us = :next, last_error = :code WHERE id = :id";
constexpr const char* kFailed =
    "UPDATE email_outbox SET status = 'failed', attempts = attempts + 1, last_error = :code WHERE id = :id";

TenderFacts tender_facts(soci::session& sql, std::int64_t tender_id) {
  TenderFacts facts;
  facts.id = tender_id;
  long long id = tender_id;
  sql << kTenderFacts, soci::into(facts.reference), soci::into(facts.title), soci::use(id);
  return facts;
}

std::vector<StoredNotification> read_rows(soci::session& sql, const std::string& query, long long user,
                                          long long before) {
  std::vector<StoredNotification> rows;
  StoredNotification row;
  long long id = 0;
  std::string kind, created, read;
  soci::indicator read_ind = soci::i_null;
  soci::statement st = (sql.prepare << query, soci::into(id), soci::into(kind), soci::into(row.title),
                        soci::into(row.body), soci::into(row.link), soci::into(created), soci::into(read, read_ind),
                        soci::use(user), soci::use(before));
  st.execute();
  while (st.fetch()) {
    row.id = id;
    row.kind = parse_notification_kind(kind, "kind").value();
    row.created_at = normalize_timestamp(created);
    row.read_at = read_ind == soci::i_ok ? std::optional<std::string>(normalize_timestamp(read)) : std::nullopt;
    rows.push_back(row);
  }
  return rows;
}

Error notification_not_found() {
  return Error{ErrorCode::not_found, "notification introuvable", {}, "notification.not_found"};
}

}  // namespace

std::vector<User> active_users(soci::session& sql) {
  std::vector<User> users;
  long long id = 0, member = 0, version = 0;
  soci::indicator member_ind = soci::i_null;
  std::string email, name, role;
  soci::statement st = (sql.prepare << kActiveUsers, soci::into(id), soci::into(email), soci::into(name),
                        soci::into(role), soci::into(member, member_ind), soci::into(version));
  st.execute();
  while (st.fetch()) {
    User u;
    u.id = id;
    u.email = email;
    u.name = name;
    u.role = parse_role(role, "role").value();
    if (member_ind == soci::i_ok) u.member_id = member;
    u.version = version;
    users.push_back(std::move(u));
  }
  return users;
}

int deliver(soci::session& sql, const std::vector<Addressed>& notices, const std::vector<User>& users) {
  const std::string at = utc_timestamp_now();
  int written = 0;
  for (const auto& a : notices) {
    const auto user = std::find_if(users.begin(), users.end(), [&](const User& u) { return u.id == a.user_id; });
    if (user == users.end()) continue;
    long long user_id = a.user_id, id = 0;
    soci::indicator id_ind = soci::i_null;
    const std::string kind(to_string(a.notice.kind));
    soci::statement insert = (sql.prepare << kInsertNotification, soci::use(user_id), soci::use(kind),
                              soci::use(a.notice.event_key), soci::use(a.notice.title), soci::use(a.notice.body),
                              soci::use(a.notice.link), soci::use(at), soci::into(id, id_ind));
    insert.execute(true);
    if (!insert.got_data() || id_ind != soci::i_ok) continue;  // told already
    ++written;
    int email = 0;
    soci::indicator email_ind = soci::i_null;
    sql << kEmailChosen, soci::use(user_id), soci::use(kind), soci::into(email, email_ind);
    if (email_ind != soci::i_ok || email == 0) continue;
    const std::string subject = "[Canopée] " + a.notice.title;
    sql << kInsertEmail, soci::use(id), soci::use(user->email), soci::use(subject), soci::use(a.notice.body),
        soci::use(at);
  }
  return written;
}

void notify_needs_pooled(soci::session& sql, std::int64_t tender_id) {
  const auto tender = tender_facts(sql, tender_id);
  std::vector<PooledNeeds> members;
  long long member = 0, count = 0, id = tender_id;
  soci::statement st = (sql.prepare << kPooledByMember, soci::into(member), soci::into(count), soci::use(id));
  st.execute();
  while (st.fetch()) members.push_back({member, static_cast<int>(count)});
  const auto users = active_users(sql);
  deliver(sql, need_pooled_notices(tender, members, users), users);
}

void notify_lot_awarded(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id) {
  const auto tender = tender_facts(sql, tender_id);
  AwardedLot lot;
  lot.id = lot_id;
  long long id = lot_id, member = 0;
  sql << kLotFacts, soci::into(lot.number), soci::into(lot.title), soci::use(id);
  soci::indicator supplier_ind = soci::i_null;
  sql << kLotSupplier, soci::into(lot.supplier, supplier_ind), soci::use(id);
  if (supplier_ind != soci::i_ok) lot.supplier.clear();
  soci::statement st = (sql.prepare << kLotMembers, soci::into(member), soci::use(id));
  st.execute();
  while (st.fetch()) lot.member_ids.push_back(member);
  const auto users = active_users(sql);
  deliver(sql, lot_awarded_notices(tender, lot, users), users);
}

Result<PageOf<StoredNotification>> list_notifications(Database& database, std::int64_t user_id, bool unread_only,
                                                      const Page& page) {
  return with_connection<PageOf<StoredNotification>>(
      database, [&](soci::session& sql) -> Result<PageOf<StoredNotification>> {
        const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
        std::string query = std::string(kColumns) + "FROM notifications WHERE user_id = :user AND id < :before";
        if (unread_only) query += " AND read_at IS NULL";
        query += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
        return to_page(read_rows(sql, query, user_id, page.before_id.value_or(INT64_MAX)), limit);
      });
}

Result<long long> unread_notifications(Database& database, std::int64_t user_id) {
  return with_connection<long long>(database, [&](soci::session& sql) -> Result<long long> {
    long long count = 0, user = user_id;
    sql << kCountUnread, soci::into(count), soci::use(user);
    return count;
  });
}

Result<StoredNotification> mark_notification_read(Database& database, std::int64_t user_id, std::int64_t id) {
  return in_transaction<StoredNotification>(database, [&](soci::session& sql) -> Result<StoredNotification> {
    long long user = user_id, key = id;
    const std::string at = utc_timestamp_now();
    sql << kMarkRead, soci::use(at), soci::use(key), soci::use(user);
    auto rows = read_rows(sql, std::string(kColumns) + "FROM notifications WHERE user_id = :user AND id = :id", user,
                          key);
    if (rows.empty()) return notification_not_found();
    return rows.front();
  });
}

Result<long long> mark_all_notifications_read(Database& database, std::int64_t user_id) {
  return in_transaction<long long>(database, [&](soci::session& sql) -> Result<long long> {
    long long user = user_id;
    const std::string at = utc_timestamp_now();
    soci::statement st = (sql.prepare << kMarkAllRead, soci::use(at), soci::use(user));
    st.execute(true);
    return static_cast<long long>(st.get_affected_rows());
  });
}

Result<std::vector<Preference>> notification_preferences(Database& database, const User& user) {
  return with_connection<std::vector<Preference>>(database, [&](soci::session& sql) -> Result<std::vector<Preference>> {
    std::vector<Preference> out;
    for (const auto kind : kinds_for(user.role)) out.push_back({kind, false});
    long long id = user.id;
    std::string kind;
    int email = 0;
    soci::statement st = (sql.prepare << kPreferences, soci::into(kind), soci::into(email), soci::use(id));
    st.execute();
    while (st.fetch()) {
      for (auto& p : out) {
        if (to_string(p.kind) == kind) p.email = email != 0;
      }
    }
    return out;
  });
}

Status save_notification_preferences(Database& database, const Actor& actor, const User& user,
                                     const std::vector<Preference>& preferences) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long id = user.id;
    std::string after = "{";
    for (const auto& p : preferences) {
      const std::string kind(to_string(p.kind));
      int email = p.email ? 1 : 0;
      sql << kUpsertPreference, soci::use(id), soci::use(kind), soci::use(email);
      after += std::string(after.size() > 1 ? "," : "") + "\"" + kind + "\":" + (p.email ? "true" : "false");
    }
    write_audit(sql, actor, "user", user.id, "notification_preferences", "", after + "}");
    return Done{};
  });
}

Result<std::vector<OutgoingEmail>> due_emails(Database& database, Instant now, int limit) {
  return with_connection<std::vector<OutgoingEmail>>(
      database, [&](soci::session& sql) -> Result<std::vector<OutgoingEmail>> {
        std::vector<OutgoingEmail> out;
        OutgoingEmail row;
        long long id = 0, at = now.micros, due = 0;
        soci::statement st = (sql.prepare << std::string(kDueEmails) + " LIMIT " + std::to_string(std::max(1, limit)),
                              soci::into(id), soci::into(row.recipient), soci::into(row.subject), soci::into(row.body),
                              soci::into(row.link), soci::into(row.attempts), soci::into(due), soci::use(at));
        st.execute();
        while (st.fetch()) {
          row.id = id;
          row.due = Instant{due};
          out.push_back(row);
        }
        return out;
      });
}

Result<bool> claim_email(Database& database, const OutgoingEmail& email, Instant until) {
  return in_transaction<bool>(database, [&](soci::session& sql) -> Result<bool> {
    long long id = email.id, seen = email.due.micros, lease = until.micros;
    soci::statement st = (sql.prepare << kClaim, soci::use(lease), soci::use(id), soci::use(seen));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Status email_sent(Database& database, std::int64_t id) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long key = id;
    const std::string at = utc_timestamp_now();
    sql << kSent, soci::use(at), soci::use(key);
    return Done{};
  });
}

Status email_failed(Database& database, std::int64_t id, const std::string& code, std::optional<Instant> retry_at) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    long long key = id;
    if (retry_at) {
      long long next = retry_at->micros;
      sql << kRetry, soci::use(next), soci::use(code), soci::use(key);
    } else {
      sql << kFailed, soci::use(code), soci::use(key);
    }
    return Done{};
  });
}

}  // namespace canopee::db
