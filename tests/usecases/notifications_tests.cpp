// Who is notified of what, on both backends, from the use cases' transactions and
// the sweep: a network of OPAL (two buyers and an inactive one), Reims and Oise (one
// buyer each), an officer, a finance user and an admin. The paint lot groups OPAL's
// and Reims's needs; Oise's works need stays out (its lot had one member), so its
// buyer is never told. Recipients worked out by hand.
#include <doctest/doctest.h>

#include "adapters/db/notification_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/notifications.hpp"

using namespace canopee;
using test::day;
using test::price;
using test::qty;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }

struct Notified : test::TenderFlow {
  std::int64_t opal1 = 0, opal2 = 0, opal_gone = 0, reims1 = 0, oise1 = 0, officer = 0, finance = 0, admin = 0;
  Tender tender;
  Bid alpha_bid, beta_bid;
  int tokens = 0;

  Notified() {
    opal1 = person(Role::buyer, opal.id, "opal1@x.example");
    opal2 = person(Role::buyer, opal.id, "opal2@x.example");
    opal_gone = person(Role::buyer, opal.id, "opal.gone@x.example", false);
    reims1 = person(Role::buyer, reims.id, "reims1@x.example");
    oise1 = person(Role::buyer, oise.id, "oise1@x.example");
    officer = person(Role::officer, std::nullopt, "officer@x.example");
    finance = person(Role::finance, std::nullopt, "finance@x.example");
    admin = person(Role::admin, std::nullopt, "admin@x.example");
  }

  std::int64_t person(Role role, std::optional<std::int64_t> member, const char* email, bool active = true) {
    User u;
    u.email = email;
    u.name = email;
    u.role = role;
    u.member_id = member;
    auto created = db::create_user(*database, actor, u, std::string(63, 'a') + static_cast<char>('a' + tokens++));
    REQUIRE(created.ok());
    if (!active) {
      auto off = *created;
      off.active = false;
      REQUIRE(db::update_user(*database, actor, off).ok());
    }
    return created->id;
  }

  // Who holds a notification of `kind`, by user id.
  std::vector<std::int64_t> told(const char* kind) {
    auto c = database->acquire();
    REQUIRE(c.ok());
    std::vector<long long> ids(50);
    const std::string k = kind;
    c->sql() << "SELECT user_id FROM notifications WHERE kind = :k ORDER BY user_id", soci::use(k), soci::into(ids);
    return {ids.begin(), ids.end()};
  }

  void create_and_publish() {
    auto t = draft_from_proposal();
    t.bid_deadline = "2026-10-15T12:00:00Z";
    tender = *db::create_tender(*database, actor, t);
    REQUIRE(usecases::transition_tender(*database, actor, tender.id, TenderStatus::published, std::nullopt,
                                        day("2026-09-01"))
                .ok());
    alpha_bid = *db::create_bid(*database, actor, tender.id, lot(), bid(alpha, {{qty("0"), price("9.5")}}, "80", "50"));
    beta_bid = *db::create_bid(*database, actor, tender.id, lot(),
                               bid(beta, {{qty("0"), price("12")}, {qty("500"), price("9")}}, "60", "100"));
  }
  std::int64_t lot() const { return tender.lots.at(0).id; }
  void award_to_beta() {
    REQUIRE(
        usecases::transition_tender(*database, actor, tender.id, TenderStatus::closed, std::nullopt, day("2026-10-16"))
            .ok());
    test::declare_bids_valid(*database, actor, tender, day("2026-10-16"));
    REQUIRE(usecases::award_lot(*database, actor, tender.id, lot(), beta_bid.id, day("2026-11-01")).ok());
  }
  int sweep(const char* at) {
    auto notified = usecases::notify_time_events(*database, utc(at));
    REQUIRE(notified.ok());
    return *notified;
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("notifications: a tender made of needs tells their members' active buyers, once, in its transaction") {
  Notified f;
  const auto draft = f.draft_from_proposal();
  auto created = db::create_tender(*f.database, f.actor, draft);
  REQUIRE(created.ok());
  CHECK(f.told("need_pooled") == Ids{f.opal1, f.opal2, f.reims1});
  auto page = db::list_notifications(*f.database, f.opal1, false, {});
  REQUIRE(page->items.size() == 1);
  CHECK(page->items[0].title == "Besoins mutualisés : " + created->reference);
  CHECK(page->items[0].body == "Un besoin de votre organisme est regroupé dans la consultation " + created->reference +
                                   " « Peintures 2026 ». Il ne peut plus être modifié.");
  CHECK(page->items[0].link == "#/besoins");
  // The same proposal again: its needs moved, the tender is refused, nobody is told of it.
  const int before = f.count("notifications");
  CHECK_FALSE(db::create_tender(*f.database, f.actor, draft).ok());
  CHECK(f.count("notifications") == before);
}

TEST_CASE("notifications: the bid deadline, the month closed, the award and the standstill") {
  Notified f;
  f.create_and_publish();
  // 2026-10-15 in Paris: September closed (finance), the deadline not passed yet.
  CHECK(f.sweep("2026-10-15T11:59:59Z") == 1);
  CHECK(f.told("report_period_closed") == Ids{f.finance});
  CHECK(f.told("bid_deadline_passed").empty());
  CHECK(f.sweep("2026-10-15T12:00:00Z") == 1);
  CHECK(f.told("bid_deadline_passed") == Ids{f.officer});
  CHECK(f.sweep("2026-10-15T12:05:00Z") == 0);  // idempotent

  f.award_to_beta();
  CHECK(f.told("lot_awarded") == Ids{f.opal1, f.opal2, f.reims1});

  // A 5-day standstill from letters on Monday 2 November: signature from Saturday 7 November (Paris).
  REQUIRE(usecases::choose_standstill(*f.database, f.actor, f.tender.id, f.lot(), 5, day("2026-11-02")).ok());
  for (const auto& [bid, kind] :
       {std::pair{f.alpha_bid.id, LetterKind::rejection}, std::pair{f.beta_bid.id, LetterKind::award}}) {
    REQUIRE(usecases::prepare_and_record_letter(*f.database, f.actor, f.tender.id, f.lot(),
                                                {bid, kind, SendingMeans::electronic, utc("2026-11-02T10:00:00Z"), {}},
                                                utc("2026-11-02T12:00:00Z"), day("2026-11-02"))
                .ok());
  }
  // 22:59:59 UTC on the 6th is 23:59:59 in Paris; midnight in Paris is 23:00 UTC. November: October closed.
  CHECK(f.sweep("2026-11-06T22:59:59Z") == 1);
  CHECK(f.told("standstill_ended").empty());
  CHECK(f.sweep("2026-11-06T23:00:00Z") == 1);
  CHECK(f.told("standstill_ended") == Ids{f.officer});
  CHECK(f.told("report_period_closed") == Ids{f.finance, f.finance});
  CHECK(f.sweep("2026-11-07T10:00:00Z") == 0);
}

TEST_CASE("notifications: an e-mail only for the kinds chosen, retried with backoff, then failed") {
  Notified f;
  const User opal1 = *db::get_user(*f.database, f.opal1);
  REQUIRE(db::save_notification_preferences(*f.database, f.actor, opal1, {{NotificationKind::lot_awarded, true}}).ok());
  auto prefs = db::notification_preferences(*f.database, opal1);
  REQUIRE(prefs->size() == 2);
  CHECK_FALSE((*prefs)[0].email);  // need_pooled: never chosen
  CHECK((*prefs)[1].email);
  f.create_and_publish();
  CHECK(f.count("email_outbox") == 0);  // need_pooled: in the app only
  f.award_to_beta();
  CHECK(f.count("email_outbox") == 1);
  CHECK(f.count("email_outbox", "recipient = 'opal1@x.example' AND status = 'pending'") == 1);

  // One sender at a time: the e-mail as read is taken once; read again, it is not due before the lease ends.
  {
    const auto due = db::due_emails(*f.database, utc("2026-11-01T10:00:00Z"), 10);
    REQUIRE(due->size() == 1);
    CHECK(*db::claim_email(*f.database, due->front(), utc("2026-11-01T10:00:00Z")));
    CHECK_FALSE(*db::claim_email(*f.database, due->front(), utc("2026-11-01T10:00:00Z")));  // taken meanwhile
    CHECK(db::due_emails(*f.database, utc("2026-11-01T09:59:59Z"), 10)->empty());
  }

  // No server configured: nothing is sent, nothing counted.
  usecases::SweepOptions options;
  options.now = utc("2026-11-01T10:00:00Z");
  options.public_url = "https://achats.example.org";
  CHECK(usecases::drain_outbox(*f.database, options).sent == 0);
  CHECK(f.count("email_outbox", "attempts = 0") == 1);

  // A server that does not answer (port 1 on this machine): retried after 1, 5, 30, 120 minutes, then failed.
  mail::SmtpSettings smtp;
  smtp.host = "127.0.0.1";
  smtp.port = 1;
  smtp.tls = mail::TlsMode::none;
  smtp.from_address = "achats@x.example";
  options.smtp = smtp;
  const std::int64_t minute = 60 * kMicrosPerSecond;
  const std::int64_t start = options.now.micros;
  CHECK(usecases::drain_outbox(*f.database, options).retried == 1);
  CHECK(f.count("email_outbox", "attempts = 1 AND last_error = 'smtp.connect' AND status = 'pending'") == 1);
  options.now = Instant{start + minute - 1};
  CHECK(usecases::drain_outbox(*f.database, options).retried == 0);  // not due yet
  options.now = Instant{start + minute};
  CHECK(usecases::drain_outbox(*f.database, options).retried == 1);
  for (const std::int64_t wait : {5, 30}) {
    options.now = Instant{options.now.micros + wait * minute};
    CHECK(usecases::drain_outbox(*f.database, options).retried == 1);
  }
  options.now = Instant{options.now.micros + 120 * minute};
  const auto last = usecases::drain_outbox(*f.database, options);
  CHECK(last.failed == 1);
  CHECK(f.count("email_outbox", "attempts = 5 AND status = 'failed'") == 1);
  options.now = Instant{options.now.micros + 1000 * minute};
  CHECK(usecases::drain_outbox(*f.database, options).failed == 0);
}

TEST_CASE("notifications: each user reads and marks only their own") {
  Notified f;
  f.create_and_publish();
  CHECK(*db::unread_notifications(*f.database, f.opal1) == 1);
  const auto mine = db::list_notifications(*f.database, f.opal1, true, {})->items.at(0);
  CHECK(db::mark_notification_read(*f.database, f.reims1, mine.id).error().rule == "notification.not_found");
  CHECK(*db::unread_notifications(*f.database, f.opal1) == 1);
  const auto read = db::mark_notification_read(*f.database, f.opal1, mine.id);
  REQUIRE(read.ok());
  CHECK(read->read_at.has_value());
  CHECK(db::list_notifications(*f.database, f.opal1, true, {})->items.empty());
  CHECK(*db::mark_all_notifications_read(*f.database, f.reims1) == 1);
  CHECK(*db::mark_all_notifications_read(*f.database, f.reims1) == 0);
  CHECK(*db::unread_notifications(*f.database, f.opal2) == 1);
}
