#pragma once
// Notifications (issue 20 item 10): who is told of what, and in which words. Pure:
// the repositories give the facts (users, members' lines, dates) and write what
// this answers in the transaction of the event, or in the sweep for the events that
// happen with time (docs/operations.md, "Notifications").
//
//   need_pooled           buyers of each member whose needs a new tender groups
//   lot_awarded           buyers of each member with a line in the awarded lot
//   bid_deadline_passed   officers, once the bid deadline of a published tender passed
//   standstill_ended      officers, from the first day a lot's contracts may be signed
//   report_period_closed  finance, on the first day (Paris) of a month: the month
//                         before is closed and its savings report can be drawn up
//
// One notification per event and user: the event key below is unique per user.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/parties.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class NotificationKind : std::uint8_t {
  need_pooled,
  lot_awarded,
  bid_deadline_passed,
  standstill_ended,
  report_period_closed
};
std::string_view to_string(NotificationKind kind);
Result<NotificationKind> parse_notification_kind(std::string_view text, std::string_view field);
// The kinds a role receives (and may choose e-mail for); none for admins.
std::vector<NotificationKind> kinds_for(Role role);
bool receives(Role role, NotificationKind kind);

// What a user is told: the French title and text, and where in the web app to look.
struct Notice {
  NotificationKind kind = NotificationKind::need_pooled;
  std::string event_key;
  std::string title;
  std::string body;
  std::string link;  // a hash route of the web application ("#/besoins")
};

// One message to one user.
struct Addressed {
  std::int64_t user_id = 0;
  Notice notice;
};

// The active users of `role`; for buyers, only those of `member_id`.
std::vector<std::int64_t> recipients(const std::vector<User>& users, Role role,
                                     std::optional<std::int64_t> member_id = std::nullopt);

// The facts of a tender a notice names.
struct TenderFacts {
  std::int64_t id = 0;
  std::string reference;  // "CNP-2026-0001"
  std::string title;
};

// A tender created from needs: each member's buyers, once per tender, told how
// many of their member's needs it groups.
struct PooledNeeds {
  std::int64_t member_id = 0;
  int needs = 0;
};
std::vector<Addressed> need_pooled_notices(const TenderFacts& tender, const std::vector<PooledNeeds>& members,
                                           const std::vector<User>& users);

// An awarded lot: the buyers of every member with a line in it.
struct AwardedLot {
  std::int64_t id = 0;
  int number = 0;
  std::string title;
  std::string supplier;
  std::vector<std::int64_t> member_ids;
};
std::vector<Addressed> lot_awarded_notices(const TenderFacts& tender, const AwardedLot& lot,
                                           const std::vector<User>& users);

// A published tender whose bid deadline passed at `deadline`: the officers.
std::vector<Addressed> bid_deadline_notices(const TenderFacts& tender, Instant deadline,
                                            const std::vector<User>& users);

// A lot whose standstill ended: contracts may be signed from `signature_from`
// (engine/post_award.hpp); the officers, told on that day or after.
std::vector<Addressed> standstill_notices(const TenderFacts& tender, std::int64_t lot_id, int lot_number,
                                          Date signature_from, const std::vector<User>& users);

// The report period closed on `today` (a Paris date): the month before today's
// month, whatever the day in the month (the sweep may run late; the key makes it
// once). Never a month further back: no backlog at the first sweep.
struct MonthPeriod {
  Date first;
  Date last;
};
MonthPeriod closed_month(Date today);
std::vector<Addressed> report_period_notices(Date today, const std::vector<User>& users);

// After the `attempts`-th failed sending of an e-mail (1, 2, …), the delay before
// the next one: 1, 5, 30 then 120 minutes; none after the fifth (failed for good).
std::optional<int> retry_delay_seconds(int attempts);
inline constexpr int kEmailAttempts = 5;

// "novembre 2026".
std::string french_month(Date day);

}  // namespace canopee
