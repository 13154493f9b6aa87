#include "adapters/db/award_chain_repository.hpp"

#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

// The day of the decision is the one its savings lines were frozen on (every awarded lot has them).
constexpr std::string_view kAwardOfLot =
    "SELECT a.bid_id, CAST(MIN(s.awarded_on) AS TEXT) FROM awards a JOIN savings_lines s ON s.lot_id = a.lot_id "
    "WHERE a.lot_id = :lot GROUP BY a.bid_id";
constexpr std::string_view kLotBids = "SELECT id FROM bids WHERE lot_id = :lot ORDER BY id";
constexpr std::string_view kLetters =
    "SELECT id, bid_id, kind, means, CAST(sent_at AS TEXT), CAST(recorded_at AS TEXT), document_id FROM award_letters "
    "WHERE lot_id = :lot ORDER BY id";
constexpr std::string_view kInsertLetter =
    "INSERT INTO award_letters (lot_id, bid_id, kind, means, sent_at, recorded_at) "
    "VALUES (:lot, :bid, :kind, :means, :sent, :recorded) RETURNING id";
constexpr std::string_view kStandstillDays = "SELECT standstill_days FROM lots WHERE id = :lot";
constexpr std::string_view kSaveStandstillDays = "UPDATE lots SET standstill_days = :days WHERE id = :lot";
constexpr std::string_view kContractColumns =
    "SELECT c.id, l.tender_id, c.lot_id, c.member_id, c.supplier_id, CAST(c.signed_on AS TEXT), "
    "CAST(c.notified_on AS TEXT), c.version FROM contracts c JOIN lots l ON l.id = c.lot_id ";
constexpr std::string_view kLotContracts = "WHERE c.lot_id = :lot ORDER BY c.member_id";
constexpr std::string_view kContractById = "WHERE c.id = :id";
constexpr std::string_view kSaveSignature =
    "UPDATE contracts SET signed_on = :on, version = version + 1 WHERE id = :id AND version = :version";
constexpr std::string_view kSaveNotification =
    "UPDATE contracts SET notified_on = :on, version = version + 1 WHERE id = :id AND version = :version";

std::vector<ContractDates> read_contracts(soci::session& sql, std::string_view where, long long key, const char* name) {
  std::vector<ContractDates> contracts;
  long long id = 0, tender = 0, lot = 0, member = 0, supplier = 0, version = 0;
  std::string signed_on, notified_on;
  soci::indicator signed_ind, notified_ind;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kContractColumns) + std::string(where));
  for (auto* target : {&id, &tender, &lot, &member, &supplier}) st.exchange(soci::into(*target));
  st.exchange(soci::into(signed_on, signed_ind));
  st.exchange(soci::into(notified_on, notified_ind));
  st.exchange(soci::into(version));
  st.exchange(soci::use(key, name));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    ContractDates c{id, tender, lot, member, supplier, std::nullopt, std::nullopt, version};
    if (signed_ind == soci::i_ok) c.signed_on = stored_date(signed_on);
    if (notified_ind == soci::i_ok) c.notified_on = stored_date(notified_on);
    contracts.push_back(c);
  }
  return contracts;
}

bool save_date(soci::session& sql, std::string_view statement, const ContractDates& contract, Date on) {
  const std::string day = to_string(on);
  long long id = contract.id, version = contract.version;
  soci::statement st = (sql.prepare << statement, soci::use(day), soci::use(id), soci::use(version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace

std::optional<AwardOfLot> load_award_of_lot(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id, bid = 0;
  std::string decided;
  soci::indicator decided_ind;
  sql << kAwardOfLot, soci::use(lot), soci::into(bid), soci::into(decided, decided_ind);
  if (!sql.got_data() || decided_ind != soci::i_ok) return std::nullopt;
  return AwardOfLot{bid, stored_date(decided)};
}

std::vector<std::int64_t> lot_bid_ids(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id, id = 0;
  std::vector<std::int64_t> ids;
  soci::statement st = (sql.prepare << kLotBids, soci::use(lot), soci::into(id));
  st.execute();
  while (st.fetch()) ids.push_back(id);
  return ids;
}

std::vector<StoredLetter> load_letters(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id, id = 0, bid = 0, document = 0;
  std::string kind, means, sent, recorded;
  soci::indicator document_ind;
  std::vector<StoredLetter> letters;
  soci::statement st = (sql.prepare << kLetters, soci::use(lot), soci::into(id), soci::into(bid), soci::into(kind),
                        soci::into(means), soci::into(sent), soci::into(recorded), soci::into(document, document_ind));
  st.execute();
  while (st.fetch()) {
    Letter letter{bid, parse_letter_kind(kind, "kind").value(), parse_sending_means(means, "means").value(),
                  parse_date_time(normalize_timestamp(sent), "sent_at").value(),
                  parse_date_time(normalize_timestamp(recorded), "recorded_at").value()};
    letters.push_back({id, lot_id, letter, normalize_timestamp(recorded),
                       document_ind == soci::i_ok ? std::optional<std::int64_t>(document) : std::nullopt});
  }
  return letters;
}

StoredLetter insert_letter(soci::session& sql, std::int64_t lot_id, const Letter& letter) {
  long long lot = lot_id, bid = letter.bid_id, id = 0;
  const std::string kind(to_string(letter.kind)), means(to_string(letter.means));
  const std::string sent = to_utc_string(letter.sent_at), recorded = to_utc_string(letter.recorded_at);
  sql << kInsertLetter, soci::use(lot), soci::use(bid), soci::use(kind), soci::use(means), soci::use(sent),
      soci::use(recorded), soci::into(id);
  return {id, lot_id, letter, recorded, std::nullopt};
}

std::optional<int> load_standstill_days(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id;
  int days = 0;
  soci::indicator ind;
  sql << kStandstillDays, soci::use(lot), soci::into(days, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return days;
}

void save_standstill_days(soci::session& sql, std::int64_t lot_id, std::optional<int> days) {
  long long lot = lot_id;
  int value = days.value_or(0);
  soci::indicator ind = days ? soci::i_ok : soci::i_null;
  sql << kSaveStandstillDays, soci::use(value, ind), soci::use(lot);
}

std::vector<ContractDates> lot_contracts(soci::session& sql, std::int64_t lot_id) {
  return read_contracts(sql, kLotContracts, lot_id, "lot");
}

std::optional<ContractDates> load_contract_dates(soci::session& sql, std::int64_t contract_id) {
  auto found = read_contracts(sql, kContractById, contract_id, "id");
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool save_signature(soci::session& sql, const ContractDates& contract, Date signed_on) {
  return save_date(sql, kSaveSignature, contract, signed_on);
}

bool save_notification(soci::session& sql, const ContractDates& contract, Date notified_on) {
  return save_date(sql, kSaveNotification, contract, notified_on);
}

}  // namespace canopee::db
