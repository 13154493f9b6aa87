// After the award decision: letters, standstill (R2182-1), signature, notification
// (R2182-4), award notice (R2183-1). Every date below was counted on a calendar:
// 1 March 2027 is a Monday; 2027 is not a leap year.
#include <doctest/doctest.h>

#include "engine/post_award.hpp"

using namespace canopee;

namespace {

Date d(const char* text) { return *parse_date(text, "d"); }
// A Paris wall-clock time in winter (+01:00).
Instant paris(const char* text) { return *parse_date_time(text, "t"); }

AwardChainFacts formal_lot() {
  AwardChainFacts f;
  f.procedure = Procedure::formal;
  f.decided_on = d("2027-03-01");
  f.winning_bid_id = 10;
  f.other_bid_ids = {11, 12};
  return f;
}

void send_all(AwardChainFacts& f, const char* at, SendingMeans means = SendingMeans::electronic) {
  f.letters.push_back({f.winning_bid_id, LetterKind::award, means, paris(at), paris(at)});
  for (const auto id : f.other_bid_ids) f.letters.push_back({id, LetterKind::rejection, means, paris(at), paris(at)});
}

const char* rule_of(const Status& s) { return s ? "" : s.error().rule.c_str(); }

}  // namespace

TEST_CASE("standstill: 11 days after electronic letters, date to date, the sending day included") {
  auto f = formal_lot();
  send_all(f, "2027-03-01T16:00");
  const auto standstill = standstill_of(f);
  REQUIRE(standstill.has_value());
  CHECK(to_string(standstill->last_sent_on) == "2027-03-01");
  CHECK(to_string(standstill->signature_from) == "2027-03-12");
  const Date today = d("2027-04-30");
  CHECK(std::string(rule_of(check_signature(f, d("2027-03-11"), today))) == "contract.signature.in_standstill");
  CHECK(check_signature(f, d("2027-03-12"), today));
  const auto refused = check_signature(f, d("2027-03-11"), today);
  CHECK(refused.error().message.find("12/03/2027") != std::string::npos);
}

TEST_CASE("standstill: 16 days when a rejection letter went by post; the latest letter counts") {
  auto f = formal_lot();
  f.letters = {{10, LetterKind::award, SendingMeans::electronic, paris("2027-03-01T09:00"), paris("2027-03-01T09:00")},
               {11, LetterKind::rejection, SendingMeans::electronic, paris("2027-03-01T09:00"),
                paris("2027-03-01T09:00")},
               {12, LetterKind::rejection, SendingMeans::post, paris("2027-03-01T09:00"), paris("2027-03-01T09:00")}};
  CHECK(to_string(standstill_of(f)->signature_from) == "2027-03-17");
  CHECK(std::string(rule_of(check_signature(f, d("2027-03-16"), d("2027-12-31")))) ==
        "contract.signature.in_standstill");
  CHECK(check_signature(f, d("2027-03-17"), d("2027-12-31")));

  // Both electronic, the second sent three days later: 4 + 11 = 15 March.
  f.letters[2] = {12, LetterKind::rejection, SendingMeans::electronic, paris("2027-03-04T09:00"),
                  paris("2027-03-04T09:00")};
  CHECK(to_string(standstill_of(f)->last_sent_on) == "2027-03-04");
  CHECK(to_string(standstill_of(f)->signature_from) == "2027-03-15");
}

TEST_CASE("standstill: the Paris day of sending, and weekends do not extend it") {
  auto f = formal_lot();
  // 23:30 UTC on 1 March is 00:30 on 2 March in Paris: 2 + 11 = 13 March.
  f.letters = {{10, LetterKind::award, SendingMeans::electronic, *parse_date_time("2027-03-01T23:30:00Z", "t"),
                *parse_date_time("2027-03-01T23:30:00Z", "t")},
               {11, LetterKind::rejection, SendingMeans::electronic, *parse_date_time("2027-03-01T23:30:00Z", "t"),
                *parse_date_time("2027-03-01T23:30:00Z", "t")},
               {12, LetterKind::rejection, SendingMeans::electronic, *parse_date_time("2027-03-01T22:59:00Z", "t"),
                *parse_date_time("2027-03-01T22:59:00Z", "t")}};
  CHECK(to_string(standstill_of(f)->signature_from) == "2027-03-13");
  // Sent on Wednesday 3 March: the 14th is a Sunday and signature is possible that day.
  auto g = formal_lot();
  send_all(g, "2027-03-03T10:00");
  CHECK(to_string(standstill_of(g)->signature_from) == "2027-03-14");
  CHECK(check_signature(g, d("2027-03-14"), d("2027-03-14")));
}

TEST_CASE("standstill: none under an adapted procedure unless the officer chose one") {
  auto f = formal_lot();
  f.procedure = Procedure::adapted;
  send_all(f, "2027-03-01T10:00");
  CHECK_FALSE(standstill_of(f).has_value());
  CHECK(check_signature(f, d("2027-03-01"), d("2027-03-01")));
  f.chosen_standstill_days = 5;
  CHECK(to_string(standstill_of(f)->signature_from) == "2027-03-06");
  CHECK(std::string(rule_of(check_signature(f, d("2027-03-05"), d("2027-03-31")))) ==
        "contract.signature.in_standstill");
  CHECK(check_signature(f, d("2027-03-06"), d("2027-03-31")));
  CHECK(standstill_days(Procedure::formal, SendingMeans::electronic, 5) == 11);  // the law's, whatever chosen
  CHECK(standstill_days(Procedure::no_competition, SendingMeans::post, std::nullopt) == 0);
  CHECK(check_chosen_standstill(std::nullopt));
  CHECK(check_chosen_standstill(1));
  CHECK(check_chosen_standstill(60));
  CHECK(std::string(rule_of(check_chosen_standstill(0))) == "standstill.days.out_of_range");
  CHECK(std::string(rule_of(check_chosen_standstill(61))) == "standstill.days.out_of_range");
}

TEST_CASE("signature: every bidder written to first; not before the decision nor in the future") {
  auto f = formal_lot();
  CHECK(letters_missing(f) == std::vector<std::int64_t>{10, 11, 12});
  f.letters = {
      {11, LetterKind::rejection, SendingMeans::electronic, paris("2027-03-01T10:00"), paris("2027-03-01T10:00")}};
  CHECK(letters_missing(f) == std::vector<std::int64_t>{10, 12});
  CHECK_FALSE(standstill_of(f).has_value());
  const auto refused = check_signature(f, d("2027-04-01"), d("2027-04-01"));
  CHECK(std::string(rule_of(refused)) == "contract.signature.letters_missing");
  CHECK(refused.error().message.find("courriers à envoyer : offre n° 10, offre n° 12") != std::string::npos);
  f.bidder_names = {{10, "Couleurs du Nord"}, {12, "Peintures Picardes"}};
  CHECK(check_signature(f, d("2027-04-01"), d("2027-04-01"))
            .error()
            .message.find("courriers à envoyer : Couleurs du Nord, Peintures Picardes") != std::string::npos);

  send_all(f = formal_lot(), "2027-03-01T10:00");
  CHECK(std::string(rule_of(check_signature(f, d("2027-04-02"), d("2027-04-01")))) == "contract.signature.in_future");
  CHECK(std::string(rule_of(check_signature(f, d("2027-02-28"), d("2027-04-01")))) ==
        "contract.signature.before_decision");

  // The only bidder awarded: nobody to wait for.
  AwardChainFacts alone = formal_lot();
  alone.other_bid_ids.clear();
  alone.letters = {
      {10, LetterKind::award, SendingMeans::electronic, paris("2027-03-01T10:00"), paris("2027-03-01T10:00")}};
  CHECK_FALSE(standstill_of(alone).has_value());
  CHECK(check_signature(alone, d("2027-03-01"), d("2027-03-01")));
}

TEST_CASE("letters: to a bid of the lot, of the right kind, once, after the decision, not in the future") {
  const auto f = formal_lot();
  const Instant now = paris("2027-03-02T12:00");
  CHECK(check_letter(
      f, {10, LetterKind::award, SendingMeans::electronic, paris("2027-03-01T00:00"), paris("2027-03-01T00:00")}, now));
  CHECK(std::string(rule_of(check_letter(f, {10, LetterKind::rejection, SendingMeans::post, now, now}, now))) ==
        "letter.kind_mismatch");
  CHECK(std::string(rule_of(check_letter(f, {11, LetterKind::award, SendingMeans::post, now, now}, now))) ==
        "letter.kind_mismatch");
  CHECK(std::string(rule_of(check_letter(f, {99, LetterKind::rejection, SendingMeans::post, now, now}, now))) ==
        "letter.bid_not_of_lot");
  CHECK(std::string(rule_of(check_letter(
            f, {11, LetterKind::rejection, SendingMeans::post, paris("2027-02-28T23:59"), paris("2027-02-28T23:59")},
            now))) == "letter.before_decision");
  CHECK(std::string(rule_of(
            check_letter(f, {11, LetterKind::rejection, SendingMeans::post, add_seconds(now, 1), add_seconds(now, 1)},
                         now))) == "letter.sent_in_future");
  auto g = f;
  g.letters = {{11, LetterKind::rejection, SendingMeans::post, now, now}};
  CHECK(std::string(rule_of(check_letter(g, {11, LetterKind::rejection, SendingMeans::post, now, now}, now))) ==
        "letter.already_sent");
}

TEST_CASE("notification after signature, the same day at the earliest; award notice within 30 days") {
  CHECK(check_notification(d("2027-03-12"), d("2027-03-12"), d("2027-03-12")));
  CHECK(std::string(rule_of(check_notification(d("2027-03-12"), d("2027-03-11"), d("2027-03-31")))) ==
        "contract.notification.before_signature");
  CHECK(std::string(rule_of(check_notification(d("2027-03-12"), d("2027-03-13"), d("2027-03-12")))) ==
        "contract.notification.in_future");
  // 12 March + 30 days: 19 days left in March, 11 in April.
  CHECK(to_string(*award_notice_due(Procedure::formal, d("2027-03-12"))) == "2027-04-11");
  CHECK_FALSE(award_notice_due(Procedure::adapted, d("2027-03-12")).has_value());
}

TEST_CASE("where a lot stands after its decision") {
  auto f = formal_lot();
  std::vector<MemberContractDates> contracts(2);
  CHECK(award_stage(f, contracts, d("2027-03-01")) == AwardStage::letters_to_send);
  send_all(f, "2027-03-01T10:00");
  CHECK(award_stage(f, contracts, d("2027-03-11")) == AwardStage::standstill);
  CHECK(award_stage(f, contracts, d("2027-03-12")) == AwardStage::to_sign);
  contracts[0].signed_on = d("2027-03-12");
  CHECK(award_stage(f, contracts, d("2027-03-12")) == AwardStage::to_sign);
  contracts[1].signed_on = d("2027-03-15");
  CHECK(award_stage(f, contracts, d("2027-03-15")) == AwardStage::to_notify);
  contracts[0].notified_on = d("2027-03-15");
  contracts[1].notified_on = d("2027-03-16");
  CHECK(award_stage(f, contracts, d("2027-03-16")) == AwardStage::in_force);
  CHECK(french_label(AwardStage::standstill) == "délai de suspension en cours");
  CHECK(*parse_sending_means("post", "means") == SendingMeans::post);
  CHECK(parse_letter_kind("lettre", "kind").error().fields.at(0).code == "value.unknown");
}

TEST_CASE("a sending recorded afterwards: the standstill runs from the day it was recorded") {
  auto f = formal_lot();
  // Sent (so the officer says) on Monday 1 March, recorded on Friday 5 March: 5 + 11 = 16 March.
  f.letters = {{10, LetterKind::award, SendingMeans::electronic, paris("2027-03-01T10:00"), paris("2027-03-05T10:00")},
               {11, LetterKind::rejection, SendingMeans::electronic, paris("2027-03-01T10:00"),
                paris("2027-03-05T10:00")},
               {12, LetterKind::rejection, SendingMeans::electronic, paris("2027-03-01T10:00"),
                paris("2027-03-01T10:05")}};
  const auto standstill = standstill_of(f);
  CHECK(to_string(standstill->last_sent_on) == "2027-03-05");
  CHECK(to_string(standstill->signature_from) == "2027-03-16");
  CHECK(std::string(rule_of(check_signature(f, d("2027-03-15"), d("2027-03-31")))) ==
        "contract.signature.in_standstill");
  CHECK(check_signature(f, d("2027-03-16"), d("2027-03-31")));
}

TEST_CASE("no signature dated before the last letter, even without a standstill") {
  auto f = formal_lot();
  f.procedure = Procedure::adapted;
  send_all(f, "2027-03-03T10:00");
  CHECK_FALSE(standstill_of(f).has_value());
  const auto early = check_signature(f, d("2027-03-02"), d("2027-03-31"));
  CHECK(std::string(rule_of(early)) == "contract.signature.before_letters");
  CHECK(early.error().message.find("03/03/2027") != std::string::npos);
  CHECK(check_signature(f, d("2027-03-03"), d("2027-03-31")));
}

TEST_CASE("an awarded lot without contracts is never in force") {
  auto f = formal_lot();
  f.procedure = Procedure::adapted;
  send_all(f, "2027-03-01T10:00");
  CHECK(award_stage(f, {}, d("2027-03-02")) == AwardStage::to_sign);
}

TEST_CASE("signatory: the coordinator unless the convention leaves signing to each member (L2113-7)") {
  CHECK(check_signatory(false, std::nullopt, 1));  // an officer always records
  CHECK(check_signatory(true, std::nullopt, 1));
  CHECK(check_signatory(true, 1, 1));  // a member signs its own contract when the mission stops at the award
  CHECK(std::string(rule_of(check_signatory(false, 1, 1))) == "contract.signatory.coordinator");
  const auto other = check_signatory(true, 2, 1);  // never another member's
  REQUIRE_FALSE(other);
  CHECK(other.error().code == ErrorCode::not_found);
  CHECK(other.error().rule == "contract.not_found");
}
