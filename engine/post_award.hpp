#pragma once
// After a lot's award decision, as the officer runs it (design.md §6, issue 17):
// letters to the bidders (R2181-1 to R2181-4), the standstill before signature
// (R2182-1), each member's signature and notification of its contract (R2182-4: the
// contract takes effect at notification), the award notice (R2183-1).
//
// Dates are Paris calendar days. The standstill is counted in calendar days from
// date to date, the day of sending included (CE, 2 août 2011, n° 347526): letters
// sent electronically on 1 March allow a signature from 12 March, by post from 17 March.
// Weekends and public holidays do not extend it. With no other bidder than the one
// awarded there is nobody to wait for: no standstill (R2182-2, the only operator who
// took part; its paragraph TO CONFIRM). A letter's day is the later of its sending and
// its recording in the product (see Letter::recorded_at).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/procedure.hpp"
#include "engine/result.hpp"

namespace canopee {

// To the winner (information of the award) or to another bidder (rejection, with
// its reasons and, for an admissible offer, the winner and the advantages of its offer).
enum class LetterKind : std::uint8_t { award, rejection };
// How a letter was sent: electronically (the profile of the buyer, e-mail) or otherwise.
enum class SendingMeans : std::uint8_t { electronic, post };

std::string_view to_string(LetterKind kind);
Result<LetterKind> parse_letter_kind(std::string_view text, std::string_view field);
std::string_view to_string(SendingMeans means);
Result<SendingMeans> parse_sending_means(std::string_view text, std::string_view field);

struct Letter {
  std::int64_t bid_id = 0;
  LetterKind kind = LetterKind::rejection;
  SendingMeans means = SendingMeans::electronic;
  Instant sent_at;
  // When the letter was recorded in the product. A sending recorded afterwards is
  // kept with its date, but the standstill runs from the later of the two days: the
  // product cannot verify an earlier sending, and a standstill counted from a date
  // typed afterwards could let a contract be signed inside the real one.
  Instant recorded_at;
};

inline constexpr int kStandstillElectronicDays = 11;  // R2182-1
inline constexpr int kStandstillOtherDays = 16;       // R2182-1
inline constexpr int kMaxChosenStandstillDays = 60;
inline constexpr int kAwardNoticeDays = 30;  // R2183-1

// The days a rejection letter sent by `means` holds the signature back: for a formal
// procedure 11 (electronic) or 16 days (R2182-1); under an adapted procedure or without
// competition none, unless the officer chose a standstill (`chosen_days`, the same for
// every means). 0 means none.
int standstill_days(Procedure procedure, SendingMeans means, std::optional<int> chosen_days);
// A standstill the officer chooses for an adapted procedure: 1 to 60 days, or none.
Status check_chosen_standstill(std::optional<int> chosen_days);

// The standstill of a lot: from its latest rejection letter to the first day of signature.
struct Standstill {
  Date last_sent_on;    // the Paris day the latest rejection letter counts from (sent, or recorded if later)
  Date signature_from;  // the first day a contract of the lot may be signed
};

// The facts of a lot after its award decision.
struct AwardChainFacts {
  Procedure procedure = Procedure::formal;
  std::optional<int> chosen_standstill_days;  // the officer's, for an adapted procedure
  Date decided_on;                            // the award decision
  std::int64_t winning_bid_id = 0;
  std::vector<std::int64_t> other_bid_ids;  // every other bid of the lot: each gets a rejection letter
  std::vector<Letter> letters;
  // The bidders' names by bid id, for the messages (a bid without one is named by its number).
  std::map<std::int64_t, std::string> bidder_names{};
};

// The bids still to be written to: the winner (award letter) and each other bidder
// (rejection letter), in that order.
std::vector<std::int64_t> letters_missing(const AwardChainFacts& facts);

// The standstill once every rejection letter was sent; none while a letter is missing
// or when there is no other bidder (nobody to wait for) or no standstill applies.
std::optional<Standstill> standstill_of(const AwardChainFacts& facts);

// A letter may be recorded: to a bid of the lot, of the right kind (award to the winner,
// rejection to the others), once per bid, sent on or after the decision and not in the future.
Status check_letter(const AwardChainFacts& facts, const Letter& letter, Instant now);

// The letter as prepared (produced and kept) before it is sent.
struct PreparedLetter {
  SendingMeans means = SendingMeans::electronic;  // the letter states this means' standstill
  Instant prepared_at;
};
// A sending is recorded for a letter prepared beforehand (letter.not_prepared: what the
// bidder receives is the document kept), by the means it was prepared for
// (letter.means_mismatch: the letter states that means' standstill), and not sent before
// it existed (letter.sent_before_prepared).
Status check_prepared(const std::optional<PreparedLetter>& prepared, const Letter& letter);

// A member's contract may be signed on `signed_on`: every bidder written to (R2181-1 to
// R2181-4) before that day, the standstill over (R2182-1), not before the decision,
// not in the future.
Status check_signature(const AwardChainFacts& facts, Date signed_on, Date today);

// Who records a member contract's signature and notification. Each member signs and
// notifies its own contract unless the groupement's convention gives that mission to
// the coordinator (L2113-7; `members_sign` false, also for a centrale's tender): then
// only the coordinator's officers act (contract.signatory.coordinator). `acting_member`
// is the member a buyer acts for (none: an officer, who may always record); a buyer
// acts for its own member's contract only (contract.not_found for another's).
Status check_signatory(bool members_sign, std::optional<std::int64_t> acting_member, std::int64_t contract_member);

// A signed contract is notified to the supplier on `notified_on` (R2182-4): not before
// its signature, not in the future. It takes effect on that day.
Status check_notification(Date signed_on, Date notified_on, Date today);

// The award notice of a formal procedure is sent within 30 days of the signature
// (R2183-1): the last day, or none when no notice is required.
std::optional<Date> award_notice_due(Procedure procedure, Date first_signed_on);

// The award notice of a lot recorded as sent for publication on `sent_on`: once a
// contract of the lot is signed (the notice reports the signature, R2183-1:
// award_notice.not_signed, award_notice.before_signature), not in the future
// (award_notice.future), once (award_notice.already_sent). Sent after `due` it is
// recorded all the same: the delay is shown, the notice still owed.
Status check_award_notice_sent(std::optional<Date> first_signed_on, std::optional<Date> already_sent, Date sent_on,
                               Date today);

// Where a lot stands after its decision, and what comes next for the officer.
enum class AwardStage : std::uint8_t {
  letters_to_send,  // some bidders are not written to yet
  standstill,       // letters sent, the standstill runs
  to_sign,          // the contracts may be signed
  to_notify,        // every contract signed, some not notified
  in_force,         // every contract notified
};
std::string_view to_string(AwardStage stage);
std::string_view french_label(AwardStage stage);

// An awarded lot without contracts (none drafted) stands at to_sign, never in force.
struct MemberContractDates {
  std::optional<Date> signed_on;
  std::optional<Date> notified_on;
};
AwardStage award_stage(const AwardChainFacts& facts, const std::vector<MemberContractDates>& contracts, Date today);

}  // namespace canopee
