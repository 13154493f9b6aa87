#pragma once
// What follows a lot's award decision, as the officer runs it (engine/post_award.hpp):
// the letters to its bidders, the standstill an officer may choose under an adapted
// procedure, each member's signature and notification of its contract; and where
// the lot stands with what comes next. Each write is one unit of work with its audit
// row, on the lot's lock (an award, a letter and a signature on one lot never interleave).
#include <cstdint>
#include <optional>
#include <vector>

#include "adapters/db/award_chain_repository.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/post_award.hpp"

namespace canopee::usecases {

struct AwardChain {
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  Procedure procedure = Procedure::formal;
  std::optional<int> chosen_standstill_days;
  Date decided_on;
  std::int64_t winning_bid_id = 0;
  std::vector<db::StoredLetter> letters;
  std::vector<std::int64_t> letters_missing;  // bids not written to yet
  std::optional<Standstill> standstill;
  std::vector<db::ContractDates> contracts;
  // Whether each member signs and notifies its own contract (the convention's mission
  // stops at the award, L2113-7), or the coordinator does.
  bool members_sign = false;
  std::optional<Date> first_signed_on;
  std::optional<Date> award_notice_due;      // formal procedures, from the first signature
  std::optional<Date> award_notice_sent_on;  // recorded by the officer (R2183-1)
  AwardStage stage = AwardStage::letters_to_send;
};

// The chain of an awarded lot of `tender_id` (lot.not_awarded while it is not).
Result<AwardChain> award_chain(db::Database& database, std::int64_t tender_id, std::int64_t lot_id, Date today);

// Records the sending of the letter prepared for a bidder of the awarded lot
// (usecases/documents.hpp: prepare_letter; check_letter, check_prepared), recorded at
// `now`; the letter's document id and hash go in the audit row.
Result<AwardChain> record_letter(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                 std::int64_t lot_id, Letter letter, Instant now, Date today);

// For data loaded in bulk (the demo, benchmark seeds, tests): the letter prepared at the
// instant it was sent (`letter.sent_at`), then its sending recorded at `now`.
Result<AwardChain> prepare_and_record_letter(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                             std::int64_t lot_id, Letter letter, Instant now, Date today);

// The standstill the officer chooses for a lot not passed under a formal procedure
// (none: `days` empty), before the first rejection letter is sent.
Result<AwardChain> choose_standstill(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                     std::int64_t lot_id, std::optional<int> days, Date today);

// The award notice of the lot sent for publication on `sent_on` (check_award_notice_sent).
Result<AwardChain> record_award_notice(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                       std::int64_t lot_id, Date sent_on, Date today);

// A member's contract signed on `signed_on` (check_signature), on the version read, by
// an officer or — when the groupement's convention leaves it to the members — a buyer
// of that member (`acting_member`, check_signatory).
Result<db::ContractDates> sign_contract(db::Database& database, const db::Actor& actor, std::int64_t contract_id,
                                        std::optional<std::int64_t> version, Date signed_on, Date today,
                                        std::optional<std::int64_t> acting_member = std::nullopt);
// A signed contract notified to the supplier on `notified_on` (check_notification), by the same.
Result<db::ContractDates> notify_contract(db::Database& database, const db::Actor& actor, std::int64_t contract_id,
                                          std::optional<std::int64_t> version, Date notified_on, Date today,
                                          std::optional<std::int64_t> acting_member = std::nullopt);

}  // namespace canopee::usecases
