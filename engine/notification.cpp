#include "engine/notification.hpp"

#include <array>

namespace canopee {
namespace {

constexpr std::array<std::string_view, 5> kNames{"need_pooled", "lot_awarded", "bid_deadline_passed",
                                                 "standstill_ended", "report_period_closed"};
constexpr std::array<std::string_view, 12> kMonths{"janvier",   "février", "mars",     "avril",
                                                   "mai",       "juin",    "juillet",  "août",
                                                   "septembre", "octobre", "novembre", "décembre"};

std::string quoted(const std::string& text) { return "« " + text + " »"; }

std::vector<Addressed> to_each(const std::vector<std::int64_t>& users, const Notice& notice) {
  std::vector<Addressed> out;
  out.reserve(users.size());
  for (const auto id : users) out.push_back({id, notice});
  return out;
}

}  // namespace

std::string_view to_string(NotificationKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

Result<NotificationKind> parse_notification_kind(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) return static_cast<NotificationKind>(i);
  }
  return Error::invalid(std::string(field), "type de notification inconnu", "notification.kind.unknown");
}

std::vector<NotificationKind> kinds_for(Role role) {
  switch (role) {
    case Role::buyer: return {NotificationKind::need_pooled, NotificationKind::lot_awarded};
    case Role::officer: return {NotificationKind::bid_deadline_passed, NotificationKind::standstill_ended};
    case Role::finance: return {NotificationKind::report_period_closed};
    case Role::admin: break;
  }
  return {};
}

bool receives(Role role, NotificationKind kind) {
  for (const auto k : kinds_for(role)) {
    if (k == kind) return true;
  }
  return false;
}

std::vector<std::int64_t> recipients(const std::vector<User>& users, Role role, std::optional<std::int64_t> member_id) {
  std::vector<std::int64_t> out;
  for (const auto& u : users) {
    if (!u.active || u.role != role) continue;
    if (member_id && u.member_id != member_id) continue;
    out.push_back(u.id);
  }
  return out;
}

std::vector<Addressed> need_pooled_notices(const TenderFacts& tender, const std::vector<PooledNeeds>& members,
                                           const std::vector<User>& users) {
  std::vector<Addressed> out;
  for (const auto& m : members) {
    if (m.needs < 1) continue;
    Notice notice;
    notice.kind = NotificationKind::need_pooled;
    notice.event_key = "need_pooled:tender:" + std::to_string(tender.id);
    notice.title = "Besoins mutualisés : " + tender.reference;
    notice.body = (m.needs == 1 ? std::string("Un besoin de votre organisme est regroupé")
                                : std::to_string(m.needs) + " besoins de votre organisme sont regroupés") +
                  " dans la consultation " + tender.reference + " " + quoted(tender.title) +
                  (m.needs == 1 ? ". Il ne peut plus être modifié." : ". Ils ne peuvent plus être modifiés.");
    notice.link = "#/besoins";
    auto told = to_each(recipients(users, Role::buyer, m.member_id), notice);
    out.insert(out.end(), told.begin(), told.end());
  }
  return out;
}

std::vector<Addressed> lot_awarded_notices(const TenderFacts& tender, const AwardedLot& lot,
                                           const std::vector<User>& users) {
  Notice notice;
  notice.kind = NotificationKind::lot_awarded;
  notice.event_key = "lot_awarded:lot:" + std::to_string(lot.id);
  notice.title = "Lot attribué : " + tender.reference + " lot " + std::to_string(lot.number);
  notice.body = "Le lot " + std::to_string(lot.number) + " " + quoted(lot.title) + " de la consultation " +
                tender.reference + " " + quoted(tender.title) + " est attribué" +
                (lot.supplier.empty() ? std::string() : " à " + lot.supplier) + ".";
  notice.link = "#/marches";
  std::vector<Addressed> out;
  std::vector<std::int64_t> seen;
  for (const auto member : lot.member_ids) {
    bool again = false;
    for (const auto s : seen) again = again || s == member;
    if (again) continue;
    seen.push_back(member);
    auto told = to_each(recipients(users, Role::buyer, member), notice);
    out.insert(out.end(), told.begin(), told.end());
  }
  return out;
}

std::vector<Addressed> bid_deadline_notices(const TenderFacts& tender, Instant deadline,
                                            const std::vector<User>& users) {
  Notice notice;
  notice.kind = NotificationKind::bid_deadline_passed;
  notice.event_key = "bid_deadline_passed:tender:" + std::to_string(tender.id);
  notice.title = "Date limite des offres passée : " + tender.reference;
  notice.body = "La date limite de remise des offres de la consultation " + tender.reference + " " +
                quoted(tender.title) + " est passée (" + to_french(deadline) +
                ") : la réception des offres peut être close et leur analyse commencer.";
  notice.link = "#/consultations/" + std::to_string(tender.id);
  return to_each(recipients(users, Role::officer), notice);
}

std::vector<Addressed> standstill_notices(const TenderFacts& tender, std::int64_t lot_id, int lot_number,
                                          Date signature_from, const std::vector<User>& users) {
  Notice notice;
  notice.kind = NotificationKind::standstill_ended;
  notice.event_key = "standstill_ended:lot:" + std::to_string(lot_id);
  notice.title = "Délai de suspension terminé : " + tender.reference + " lot " + std::to_string(lot_number);
  notice.body = "Le délai de suspension du lot " + std::to_string(lot_number) + " de la consultation " +
                tender.reference + " " + quoted(tender.title) +
                " est écoulé : les marchés peuvent être signés depuis le " + to_french(signature_from) + ".";
  notice.link = "#/consultations/" + std::to_string(tender.id);
  return to_each(recipients(users, Role::officer), notice);
}

MonthPeriod closed_month(Date today) {
  const auto civil = to_civil(today);
  const Date first_of_this = from_civil({civil.year, civil.month, 1});
  const Date last = add_days(first_of_this, -1);
  const auto before = to_civil(last);
  return {from_civil({before.year, before.month, 1}), last};
}

std::optional<int> retry_delay_seconds(int attempts) {
  static constexpr std::array<int, 4> kDelays{60, 300, 1800, 7200};
  if (attempts < 1 || attempts >= kEmailAttempts) return std::nullopt;
  return kDelays[static_cast<std::size_t>(attempts - 1)];
}

std::string french_month(Date day) {
  const auto civil = to_civil(day);
  return std::string(kMonths[civil.month - 1]) + " " + std::to_string(civil.year);
}

std::vector<Addressed> report_period_notices(Date today, const std::vector<User>& users) {
  const auto period = closed_month(today);
  Notice notice;
  notice.kind = NotificationKind::report_period_closed;
  const std::string month = to_string(period.first).substr(0, 7);
  notice.event_key = "report_period_closed:" + month;
  notice.title = "Mois clos : " + french_month(period.first);
  notice.body = "Le mois de " + french_month(period.first) + " est clos : le rapport des gains achats du " +
                to_french(period.first) + " au " + to_french(period.last) + " peut être établi.";
  notice.link = "#/gains?du=" + to_string(period.first) + "&au=" + to_string(period.last);
  return to_each(recipients(users, Role::finance), notice);
}

}  // namespace canopee
