// Who is told of what (engine/notification.hpp), with the recipients worked out by
// hand from a small network: members 1 and 2, their buyers, officers, finance, an
// admin and an inactive buyer.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/notification.hpp"

using namespace canopee;

namespace {

User user(std::int64_t id, Role role, std::optional<std::int64_t> member, bool active = true) {
  User u;
  u.id = id;
  u.email = "u" + std::to_string(id) + "@exemple.fr";
  u.role = role;
  u.member_id = member;
  u.active = active;
  return u;
}

// 10, 11: buyers of member 1; 12: buyer of member 2; 13: inactive buyer of member 1;
// 20: officer; 21: officer of member 2; 30: finance (network); 31: finance of member 1; 40: admin.
std::vector<User> network() {
  return {user(10, Role::buyer, 1),
          user(11, Role::buyer, 1),
          user(12, Role::buyer, 2),
          user(13, Role::buyer, 1, false),
          user(20, Role::officer, std::nullopt),
          user(21, Role::officer, 2),
          user(30, Role::finance, std::nullopt),
          user(31, Role::finance, 1),
          user(40, Role::admin, std::nullopt)};
}

std::vector<std::int64_t> ids(const std::vector<Addressed>& notices) {
  std::vector<std::int64_t> out;
  for (const auto& a : notices) out.push_back(a.user_id);
  return out;
}

const TenderFacts kTender{7, "CNP-2026-0007", "Entretien des chaudières"};

Date day(int y, unsigned m, unsigned d) { return from_civil({y, m, d}); }

}  // namespace

TEST_CASE("a tender made of needs tells the active buyers of each member once, with their count") {
  const auto notices = need_pooled_notices(kTender, {{1, 3}, {2, 1}}, network());
  CHECK(ids(notices) == std::vector<std::int64_t>{10, 11, 12});  // 13 inactive; no officer, finance, admin
  CHECK(notices[0].notice.event_key == "need_pooled:tender:7");
  CHECK(notices[0].notice.title == "Besoins mutualisés : CNP-2026-0007");
  CHECK(notices[0].notice.body ==
        "3 besoins de votre organisme sont regroupés dans la consultation CNP-2026-0007 « Entretien des chaudières ». "
        "Ils ne peuvent plus être modifiés.");
  CHECK(notices[2].notice.body ==
        "Un besoin de votre organisme est regroupé dans la consultation CNP-2026-0007 « Entretien des chaudières ». "
        "Il ne peut plus être modifié.");
  CHECK(notices[0].notice.link == "#/besoins");
  CHECK(need_pooled_notices(kTender, {{3, 2}}, network()).empty());  // a member without buyers
}

TEST_CASE("an awarded lot tells the buyers of every member with a line, each once") {
  const AwardedLot lot{55, 2, "Chaudières gaz", "Thermo Services", {2, 1, 2}};
  const auto notices = lot_awarded_notices(kTender, lot, network());
  CHECK(ids(notices) == std::vector<std::int64_t>{12, 10, 11});
  CHECK(notices[0].notice.event_key == "lot_awarded:lot:55");
  CHECK(notices[0].notice.title == "Lot attribué : CNP-2026-0007 lot 2");
  CHECK(notices[0].notice.body ==
        "Le lot 2 « Chaudières gaz » de la consultation CNP-2026-0007 « Entretien des chaudières » est attribué à "
        "Thermo Services.");
  CHECK(notices[0].notice.link == "#/marches");
}

TEST_CASE("a passed bid deadline and an ended standstill tell every active officer") {
  const Instant deadline = utc_instant(day(2027, 1, 15), 11);  // 12:00 in Paris
  const auto deadline_notices = bid_deadline_notices(kTender, deadline, network());
  CHECK(ids(deadline_notices) == std::vector<std::int64_t>{20, 21});
  CHECK(deadline_notices[0].notice.event_key == "bid_deadline_passed:tender:7");
  CHECK(deadline_notices[0].notice.body ==
        "La date limite de remise des offres de la consultation CNP-2026-0007 « Entretien des chaudières » est passée "
        "(15/01/2027 à 12:00 (heure de Paris)) : la réception des offres peut être close et leur analyse commencer.");
  CHECK(deadline_notices[0].notice.link == "#/consultations/7");
  const auto standstill = standstill_notices(kTender, 55, 2, day(2027, 2, 12), network());
  CHECK(ids(standstill) == std::vector<std::int64_t>{20, 21});
  CHECK(standstill[0].notice.event_key == "standstill_ended:lot:55");
  CHECK(standstill[0].notice.title == "Délai de suspension terminé : CNP-2026-0007 lot 2");
  CHECK(standstill[0].notice.body.ends_with("peuvent être signés depuis le 12/02/2027."));
}

TEST_CASE("the month closes on the first day of the next: finance is told of that month only") {
  // 1 December 2026 and 31 December 2026 both close November; 1 January 2027 closes December 2026.
  CHECK(to_string(closed_month(day(2026, 12, 1)).first) == "2026-11-01");
  CHECK(to_string(closed_month(day(2026, 12, 31)).last) == "2026-11-30");
  CHECK(to_string(closed_month(day(2027, 1, 1)).first) == "2026-12-01");
  CHECK(to_string(closed_month(day(2027, 1, 1)).last) == "2026-12-31");
  CHECK(to_string(closed_month(day(2028, 3, 10)).last) == "2028-02-29");  // leap year
  const auto notices = report_period_notices(day(2026, 12, 3), network());
  CHECK(ids(notices) == std::vector<std::int64_t>{30, 31});
  CHECK(notices[0].notice.event_key == "report_period_closed:2026-11");
  CHECK(notices[0].notice.title == "Mois clos : novembre 2026");
  CHECK(
      notices[0].notice.body ==
      "Le mois de novembre 2026 est clos : le rapport des gains achats du 01/11/2026 au 30/11/2026 peut être établi.");
  CHECK(notices[0].notice.link == "#/gains?du=2026-11-01&au=2026-11-30");
}

TEST_CASE("each role chooses among its own kinds; e-mails are retried four times") {
  CHECK(kinds_for(Role::buyer) == std::vector{NotificationKind::need_pooled, NotificationKind::lot_awarded});
  CHECK(kinds_for(Role::admin).empty());
  CHECK(receives(Role::finance, NotificationKind::report_period_closed));
  CHECK_FALSE(receives(Role::buyer, NotificationKind::bid_deadline_passed));
  CHECK(parse_notification_kind("standstill_ended", "k").value() == NotificationKind::standstill_ended);
  CHECK(parse_notification_kind("Need_pooled", "k").error().fields.front().code == "notification.kind.unknown");
  CHECK(retry_delay_seconds(1) == 60);
  CHECK(retry_delay_seconds(4) == 7200);
  CHECK_FALSE(retry_delay_seconds(5));
}
