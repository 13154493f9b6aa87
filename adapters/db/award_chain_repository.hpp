#pragma once
// Storage of what follows a lot's award decision (schema/0014_award_chain.sql): the
// letters to its bidders, the standstill an officer chose, each member contract's
// signature and notification. Session-level functions for the use cases
// (usecases/award_chain.cpp); they only load and save.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/date.hpp"
#include "engine/post_award.hpp"

namespace canopee::db {

struct StoredLetter {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  Letter letter;
  std::string recorded_at;                  // RFC 3339, as letter.recorded_at
  std::optional<std::int64_t> document_id;  // the letter as sent (none before documents existed)
};

struct ContractDates {
  std::int64_t id = 0;
  std::int64_t tender_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  std::int64_t supplier_id = 0;
  std::optional<Date> signed_on;
  std::optional<Date> notified_on;
  std::int64_t version = 1;
};

// The award of a lot as the chain needs it: the winning bid and the day of the decision.
struct AwardOfLot {
  std::int64_t bid_id = 0;
  Date decided_on;
};

std::optional<AwardOfLot> load_award_of_lot(soci::session& sql, std::int64_t lot_id);
// Every bid recorded for the lot, by id.
std::vector<std::int64_t> lot_bid_ids(soci::session& sql, std::int64_t lot_id);
std::vector<StoredLetter> load_letters(soci::session& sql, std::int64_t lot_id);
// Stored with its recording instant (letter.recorded_at, the caller's clock).
StoredLetter insert_letter(soci::session& sql, std::int64_t lot_id, const Letter& letter);
std::optional<int> load_standstill_days(soci::session& sql, std::int64_t lot_id);
void save_standstill_days(soci::session& sql, std::int64_t lot_id, std::optional<int> days);

std::vector<ContractDates> lot_contracts(soci::session& sql, std::int64_t lot_id);
std::optional<ContractDates> load_contract_dates(soci::session& sql, std::int64_t contract_id);
// On the version read; false when it changed meanwhile.
bool save_signature(soci::session& sql, const ContractDates& contract, Date signed_on);
bool save_notification(soci::session& sql, const ContractDates& contract, Date notified_on);

}  // namespace canopee::db
