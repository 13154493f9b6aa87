// Issue 16, items 6, 9 and 3 in the engine: the launch date, the minimum time
// limits between sending the notice and the bid deadline (R2161-2, R2161-3,
// R2123-4), a bid's receipt against the deadline (R2151-5), closing early, and
// the period fixed once the lots are made (R2121-1, R2121-8). Every instant is
// written by hand; 2026-11-29 10:00 UTC is 11:00 in Paris (winter, +01:00).
#include <doctest/doctest.h>

#include "engine/tender.hpp"

using namespace canopee;

namespace {

Instant at(const char* text) { return *parse_date_time(text, "t"); }
Date day(const char* text) { return *parse_date(text, "d"); }

Tender tender(Procedure procedure, const char* deadline) {
  Tender t;
  t.procedure = procedure;
  t.criteria = {{"prix", 60, true, false}, {"environnement", 40, false, true}};
  // The execution conditions of 2026-08-21 (L2112-2, L2112-2-1), tested in execution_conditions_tests.
  t.environmental_conditions = "clause environnementale";
  t.social_considerations = "clause sociale";
  Lot lot;
  lot.number = 1;
  lot.cpv = "44810000-1";
  lot.estimated_value = Amount{50'000'00};  // a sincere estimate (R2121-1)
  t.lots.push_back(lot);
  t.allotment_justification = "fourniture homogène";
  t.bid_deadline = deadline;
  t.contract_start = day("2027-01-01");
  t.created_on = day("2026-11-29");
  return t;
}

const FieldError* refusal(const Status& status, std::string_view code) {
  if (status) return nullptr;
  for (const auto& f : status.error().fields) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

const Instant kSent = at("2026-11-29T10:00:00Z");
const Date kLaunch = day("2026-11-29");

}  // namespace

TEST_CASE(
    "minimum time limits: open call 30 days (35 less 5, electronic), 15 with a notice or in urgency, MAPA as set") {
  const auto open = minimum_time_limit(Procedure::formal, TimeLimitReduction::none, 15);
  CHECK(open.days == 30);
  CHECK(open.article == "R2161-3");
  CHECK(open.basis.find("35 jours (R2161-2)") != std::string::npos);
  CHECK(minimum_time_limit(Procedure::formal, TimeLimitReduction::prior_information_notice, 15).days == 15);
  CHECK(minimum_time_limit(Procedure::formal, TimeLimitReduction::urgency, 15).days == 15);
  CHECK(minimum_time_limit(Procedure::adapted, TimeLimitReduction::none, kDefaultMapaMinimumDays).days == 15);
  CHECK(minimum_time_limit(Procedure::adapted, TimeLimitReduction::none, 21).article == "R2123-4");
  CHECK(minimum_time_limit(Procedure::adapted, TimeLimitReduction::urgency, 21).days ==
        21);  // R2161-3 is the open call's
  CHECK(minimum_time_limit(Procedure::no_competition, TimeLimitReduction::none, 15).days == 0);
}

TEST_CASE("open call: a deadline exactly 30 days after sending passes, 29 days 23:59 is refused") {
  CHECK(check_publishable(tender(Procedure::formal, "2026-12-29T10:00:00Z"), kLaunch, kSent));
  const auto short_by_a_minute = check_publishable(tender(Procedure::formal, "2026-12-29T09:59:00Z"), kLaunch, kSent);
  const auto* f = refusal(short_by_a_minute, "tender.deadline.too_short");
  REQUIRE(f != nullptr);
  CHECK(f->field == "bid_deadline");
  CHECK(f->message.find("30 jours") != std::string::npos);
  CHECK(f->message.find("R2161-2") != std::string::npos);
  CHECK(f->message.find("au plus tôt le 29/12/2026 à 11:00 (heure de Paris)") !=
        std::string::npos);  // the earliest, in Paris time
  CHECK(short_by_a_minute.error().code == ErrorCode::conflict);
  CHECK(short_by_a_minute.error().rule == "tender.deadline.too_short");
  // The same instant given as Paris time: 11:00 local is 10:00 UTC.
  CHECK(check_publishable(tender(Procedure::formal, "2026-12-29T11:00:00+01:00"), kLaunch, kSent));
  CHECK_FALSE(check_publishable(tender(Procedure::formal, "2026-12-29T10:59:59+01:00"), kLaunch, kSent));
}

TEST_CASE("the time limit counts hours: across the March change, 30 days later is one hour later on the Paris clock") {
  // Sent 2027-03-10 12:00 in Paris (11:00 UTC); 30 × 24 h later is 2027-04-09 11:00 UTC = 13:00 summer time.
  const Instant sent = at("2027-03-10T11:00:00Z");
  auto t = tender(Procedure::formal, "2027-04-09T11:00:00Z");
  CHECK(check_publishable(t, day("2027-03-10"), sent));
  t.bid_deadline = to_utc_string(at("2027-04-09T12:59"));  // Paris time, +02:00: 10:59 UTC
  CHECK(refusal(check_publishable(t, day("2027-03-10"), sent), "tender.deadline.too_short") != nullptr);
}

TEST_CASE("15 days with a prior information notice or in urgency, the MAPA's own days, none without competition") {
  for (auto reduction : {TimeLimitReduction::prior_information_notice, TimeLimitReduction::urgency}) {
    auto t = tender(Procedure::formal, "2026-12-14T10:00:00Z");
    t.time_limit_reduction = reduction;
    CHECK(check_publishable(t, kLaunch, kSent));
    t.bid_deadline = "2026-12-14T09:59:59Z";
    CHECK(refusal(check_publishable(t, kLaunch, kSent), "tender.deadline.too_short") != nullptr);
  }
  auto mapa = tender(Procedure::adapted, "2026-12-14T10:00:00Z");  // the default 15 days
  CHECK(check_publishable(mapa, kLaunch, kSent));
  mapa.mapa_minimum_days = 21;
  CHECK(refusal(check_publishable(mapa, kLaunch, kSent), "tender.deadline.too_short") != nullptr);
  mapa.bid_deadline = "2026-12-20T10:00:00Z";
  CHECK(check_publishable(mapa, kLaunch, kSent));
  auto direct = tender(Procedure::no_competition, "2026-11-29T10:00:00Z");
  CHECK(check_publishable(direct, kLaunch, kSent));
  direct.bid_deadline = "2026-11-29T09:59:59Z";  // a deadline already past
  CHECK(refusal(check_publishable(direct, kLaunch, kSent), "tender.deadline.too_short") != nullptr);
}

TEST_CASE("a planned launch date is never earlier than the tender's creation") {
  CHECK(check_planned_launch(day("2026-11-30"), day("2026-11-30")));
  const auto planned = check_planned_launch(day("2026-11-29"), day("2026-11-30"));
  REQUIRE_FALSE(planned);
  CHECK(planned.error().code == ErrorCode::invalid);
  CHECK(planned.error().rule == "tender.launch_date.before_creation");
}

TEST_CASE("the environmental criterion rule reads the launch date given, not a stored one") {
  auto t = tender(Procedure::formal, "2026-10-01T12:00:00Z");
  t.criteria = {{"prix", 100, true, false}};
  t.created_on = day("2026-08-01");
  t.launch_date = day("2026-08-01");  // a planned date before 2026-08-21 does not excuse a launch on 2026-08-21
  CHECK(check_publishable(t, day("2026-08-20"), at("2026-08-20T10:00:00Z")));
  CHECK_FALSE(check_publishable(t, day("2026-08-21"), at("2026-08-21T10:00:00Z")));
}

TEST_CASE("the period is fixed once the lots are made: 12 → 48 months and a new start are refused") {
  const auto before = tender(Procedure::adapted, "");
  auto after = before;
  after.duration_months = 48;
  const auto longer = check_period_unchanged(before, after);
  REQUIRE_FALSE(longer);
  CHECK(longer.error().code == ErrorCode::conflict);
  CHECK(longer.error().rule == "tender.period.locked");
  CHECK(longer.error().fields.at(0).field == "duration_months");
  CHECK(longer.error().message.find("12 mois") != std::string::npos);
  after = before;
  after.contract_start = day("2027-02-01");
  CHECK(check_period_unchanged(before, after).error().fields.at(0).field == "contract_start");
  CHECK(check_period_unchanged(before, before));  // the same values are no change
}

TEST_CASE("closing before the deadline needs a reason; at the deadline it does not") {
  auto t = tender(Procedure::formal, "2027-02-01T12:00:00Z");
  t.status = TenderStatus::published;
  const auto early = check_close(t, at("2027-02-01T11:59:59Z"), "");
  REQUIRE_FALSE(early);
  CHECK(early.error().code == ErrorCode::invalid);
  CHECK(early.error().rule == "tender.close.reason_required");
  CHECK(early.error().fields.at(0).field == "reason");
  CHECK(early.error().fields.at(0).message.find("le 01/02/2027 à 13:00 (heure de Paris), n'est pas atteinte") !=
        std::string::npos);
  CHECK(check_close(t, at("2027-02-01T11:59:59Z"), "tous les fournisseurs ont répondu"));
  CHECK(check_close(t, at("2027-02-01T12:00:00Z"), ""));
}

TEST_CASE("a bid received after the deadline is refused (R2151-5); at the deadline it is on time") {
  auto t = tender(Procedure::formal, "2027-02-01T12:00:00Z");
  t.status = TenderStatus::published;
  t.published_at = kSent;
  const Instant now = at("2027-02-10T09:00:00Z");
  CHECK(check_bid_receipt(t, at("2027-02-01T12:00:00Z"), now));
  CHECK(check_bid_receipt(t, at("2027-02-01T13:00"), now));  // 13:00 in Paris is the deadline
  const auto late = check_bid_receipt(t, at("2027-02-01T12:00:00.000001Z"), now);
  REQUIRE_FALSE(late);
  CHECK(late.error().code == ErrorCode::conflict);
  CHECK(late.error().rule == "bid.late");
  CHECK(late.error().message.find("R2151-5") != std::string::npos);
  CHECK(check_bid_receipt(t, at("2027-02-01T13:00:01"), now).error().rule == "bid.late");
  // Received exactly at publication: fine; a second before: refused.
  CHECK(check_bid_receipt(t, kSent, now));
  CHECK(check_bid_receipt(t, at("2026-11-29T09:59:59Z"), now).error().rule == "bid.received_at.before_publication");
  // Not in the future of the clock.
  CHECK(check_bid_receipt(t, at("2027-01-10T12:00:00Z"), at("2027-01-10T11:59:59Z")).error().rule ==
        "bid.received_at.future");
  // Only while published: a closed tender takes no bid.
  t.status = TenderStatus::closed;
  const auto closed = check_bid_receipt(t, at("2027-01-10T12:00:00Z"), now);
  REQUIRE_FALSE(closed);
  CHECK(closed.error().code == ErrorCode::conflict);
  CHECK(closed.error().rule == "bid.tender_not_open");
}

TEST_CASE("the procedure input of a tender sums its lots at the launch date given") {
  auto t = tender(Procedure::adapted, "");
  t.lots.at(0).estimated_value = Amount{80'000'000};
  Lot second = t.lots.at(0);
  second.number = 2;
  second.cpv = "09310000-5";
  second.estimated_value = Amount{20'000'000};
  t.lots.push_back(second);
  const auto in = procedure_input(t, day("2027-03-01"));
  CHECK(in.launch_date == day("2027-03-01"));
  CHECK(in.estimated_total == Amount{100'000'000});
  REQUIRE(in.families.size() == 2);
  CHECK(in.families.at(0).cpv_digits == 9310000);
  CHECK(in.families.at(1).cpv_digits == 44810000);
}
