#include "usecases/award_chain.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/document_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "usecases/documents.hpp"

namespace canopee::usecases {
namespace {

Error lot_not_awarded() {
  return Error::rule_broken(ErrorCode::conflict, "lot.not_awarded", "lot",
                            "le lot n’est pas attribué : les courriers, la signature et la notification suivent la "
                            "décision d’attribution");
}

Error contract_not_found() { return Error{ErrorCode::not_found, "marché introuvable", {}, "contract.not_found"}; }

Error contract_changed() {
  return Error::rule_broken(ErrorCode::stale, "contract.stale", "",
                            "le marché a été modifié depuis votre lecture : relisez-le et recommencez");
}

AwardChainFacts facts_of(const AwardChain& chain, const std::vector<std::int64_t>& bid_ids) {
  AwardChainFacts facts;
  facts.procedure = chain.procedure;
  facts.chosen_standstill_days = chain.chosen_standstill_days;
  facts.decided_on = chain.decided_on;
  facts.winning_bid_id = chain.winning_bid_id;
  for (const auto id : bid_ids) {
    if (id != chain.winning_bid_id) facts.other_bid_ids.push_back(id);
  }
  for (const auto& stored : chain.letters) facts.letters.push_back(stored.letter);
  return facts;
}

struct ReadChain {
  AwardChain chain;
  AwardChainFacts facts;
};

// The chain of `lot` read in the caller's unit of work.
Result<ReadChain> read_chain(soci::session& sql, const Tender& tender, const Lot& lot, Date today) {
  if (lot.status != LotStatus::awarded) return lot_not_awarded();
  const auto award = db::load_award_of_lot(sql, lot.id);
  if (!award) return lot_not_awarded();
  ReadChain read;
  AwardChain& chain = read.chain;
  chain.tender_id = tender.id;
  chain.lot_id = lot.id;
  chain.procedure = tender.procedure;
  chain.chosen_standstill_days = db::load_standstill_days(sql, lot.id);
  chain.members_sign = members_sign(sql, tender);
  chain.decided_on = award->decided_on;
  chain.winning_bid_id = award->bid_id;
  chain.letters = db::load_letters(sql, lot.id);
  chain.contracts = db::lot_contracts(sql, lot.id);
  read.facts = facts_of(chain, db::lot_bid_ids(sql, lot.id));
  chain.letters_missing = letters_missing(read.facts);
  chain.standstill = standstill_of(read.facts);
  std::optional<Date> first_signature;
  std::vector<MemberContractDates> dates;
  for (const auto& c : chain.contracts) {
    dates.push_back({c.signed_on, c.notified_on});
    if (c.signed_on && (!first_signature || *c.signed_on < *first_signature)) first_signature = c.signed_on;
  }
  if (first_signature) chain.award_notice_due = award_notice_due(chain.procedure, *first_signature);
  chain.first_signed_on = first_signature;
  chain.award_notice_sent_on = db::load_award_notice_sent_on(sql, lot.id);
  chain.stage = award_stage(read.facts, dates, today);
  return read;
}

Result<ReadChain> read_locked_chain(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id, Date today) {
  CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
  return read_chain(sql, tender, *find_lot(tender, lot_id), today);
}

// The contract read after its lot's lock, on the version the caller read, with its lot's chain.
struct LockedContract {
  db::ContractDates contract;
  ReadChain read;
};

Result<LockedContract> lock_contract(soci::session& sql, std::int64_t contract_id, std::optional<std::int64_t> version,
                                     Date today, std::optional<std::int64_t> acting_member) {
  const auto first = db::load_contract_dates(sql, contract_id);
  if (!first) return contract_not_found();
  if (acting_member && *acting_member != first->member_id) return contract_not_found();
  CANOPEE_TRY(read, read_locked_chain(sql, first->tender_id, first->lot_id, today));
  // The bidders by name, for a refusal that lists those still to be written to.
  for (const auto& bid : db::load_lot_bids(sql, first->lot_id, db::WithDecisions::no)) {
    if (const auto supplier = db::load_supplier(sql, bid.supplier_id)) read.facts.bidder_names[bid.id] = supplier->name;
  }
  auto contract = db::load_contract_dates(sql, contract_id);  // as it stands after the lock
  CANOPEE_TRY_STATUS(check_signatory(read.chain.members_sign, acting_member, contract->member_id));
  if (version && *version != contract->version) return contract_changed();
  return LockedContract{*contract, std::move(read)};
}

std::string dates_json(const db::ContractDates& c) {
  return boost::json::serialize(boost::json::object{
      {"signed_on", c.signed_on ? boost::json::value(to_string(*c.signed_on)) : boost::json::value(nullptr)},
      {"notified_on", c.notified_on ? boost::json::value(to_string(*c.notified_on)) : boost::json::value(nullptr)}});
}

}  // namespace

Result<AwardChain> award_chain(db::Database& database, std::int64_t tender_id, std::int64_t lot_id, Date today) {
  return db::in_snapshot<AwardChain>(database, [&](soci::session& sql) -> Result<AwardChain> {
    const auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    const Lot* lot = find_lot(*tender, lot_id);
    if (lot == nullptr) return Error{ErrorCode::not_found, "lot introuvable", {}, "lot.not_found"};
    CANOPEE_TRY(read, read_chain(sql, *tender, *lot, today));
    return std::move(read.chain);
  });
}

Result<AwardChain> record_letter(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                 std::int64_t lot_id, Letter letter, Instant now, Date today) {
  letter.recorded_at = now;
  return db::in_transaction<AwardChain>(database, [&](soci::session& sql) -> Result<AwardChain> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    const Lot& lot = *find_lot(tender, lot_id);
    CANOPEE_TRY(read, read_chain(sql, tender, lot, today));
    CANOPEE_TRY_STATUS(check_letter(read.facts, letter, now));
    // The letter sent is the one prepared last for this bidder.
    const auto document = db::latest_letter(sql, lot_id, letter.bid_id);
    std::optional<PreparedLetter> prepared;
    if (document && document->subject.letter_means) {
      prepared = PreparedLetter{*document->subject.letter_means, *parse_date_time(document->created_at, "created_at")};
    }
    CANOPEE_TRY_STATUS(check_prepared(prepared, letter));
    const auto stored = db::insert_letter(sql, lot_id, letter);
    db::link_letter_document(sql, stored.id, document->id);
    db::write_audit(sql, actor, "lot", lot_id, "letter", "",
                    boost::json::serialize(boost::json::object{{"letter_id", stored.id},
                                                               {"bid_id", letter.bid_id},
                                                               {"kind", to_string(letter.kind)},
                                                               {"means", to_string(letter.means)},
                                                               {"sent_at", to_utc_string(letter.sent_at)},
                                                               {"document_id", document->id},
                                                               {"sha256", document->sha256}}));
    CANOPEE_TRY(after, read_locked_chain(sql, tender_id, lot_id, today));
    return std::move(after.chain);
  });
}

Result<AwardChain> prepare_and_record_letter(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                             std::int64_t lot_id, Letter letter, Instant now, Date today) {
  if (auto prepared = prepare_letter(database, actor, tender_id, lot_id, letter.bid_id, letter.means, letter.sent_at);
      !prepared) {
    return std::move(prepared).error();
  }
  return record_letter(database, actor, tender_id, lot_id, letter, now, today);
}

Result<AwardChain> choose_standstill(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                     std::int64_t lot_id, std::optional<int> days, Date today) {
  CANOPEE_TRY_STATUS(check_chosen_standstill(days));
  return db::in_transaction<AwardChain>(database, [&](soci::session& sql) -> Result<AwardChain> {
    CANOPEE_TRY(read, read_locked_chain(sql, tender_id, lot_id, today));
    if (read.chain.procedure == Procedure::formal) {
      return Error::rule_broken(ErrorCode::conflict, "standstill.formal_fixed", "standstill_days",
                                "procédure formalisée : le délai de suspension est celui de R2182-1 (11 jours, 16 "
                                "hors voie électronique)");
    }
    const bool rejection_sent = std::any_of(read.chain.letters.begin(), read.chain.letters.end(),
                                            [](const auto& l) { return l.letter.kind == LetterKind::rejection; });
    if (rejection_sent) {
      return Error::rule_broken(ErrorCode::conflict, "standstill.letters_sent", "standstill_days",
                                "des courriers de rejet sont partis : le délai annoncé ne change plus");
    }
    db::save_standstill_days(sql, lot_id, days);
    db::write_audit(sql, actor, "lot", lot_id, "standstill",
                    boost::json::serialize(boost::json::object{
                        {"standstill_days", read.chain.chosen_standstill_days
                                                ? boost::json::value(*read.chain.chosen_standstill_days)
                                                : boost::json::value(nullptr)}}),
                    boost::json::serialize(boost::json::object{
                        {"standstill_days", days ? boost::json::value(*days) : boost::json::value(nullptr)}}));
    CANOPEE_TRY(after, read_locked_chain(sql, tender_id, lot_id, today));
    return std::move(after.chain);
  });
}

Result<db::ContractDates> sign_contract(db::Database& database, const db::Actor& actor, std::int64_t contract_id,
                                        std::optional<std::int64_t> version, Date signed_on, Date today,
                                        std::optional<std::int64_t> acting_member) {
  return db::in_transaction<db::ContractDates>(database, [&](soci::session& sql) -> Result<db::ContractDates> {
    CANOPEE_TRY(locked, lock_contract(sql, contract_id, version, today, acting_member));
    if (locked.contract.signed_on) {
      return Error::rule_broken(ErrorCode::conflict, "contract.already_signed", "signed_on",
                                "ce marché est déjà signé, le " + to_french(*locked.contract.signed_on));
    }
    CANOPEE_TRY_STATUS(check_signature(locked.read.facts, signed_on, today));
    if (!db::save_signature(sql, locked.contract, signed_on)) return contract_changed();
    const auto after = *db::load_contract_dates(sql, contract_id);
    db::write_audit(sql, actor, "contract", contract_id, "sign", dates_json(locked.contract), dates_json(after));
    return after;
  });
}

Result<db::ContractDates> notify_contract(db::Database& database, const db::Actor& actor, std::int64_t contract_id,
                                          std::optional<std::int64_t> version, Date notified_on, Date today,
                                          std::optional<std::int64_t> acting_member) {
  return db::in_transaction<db::ContractDates>(database, [&](soci::session& sql) -> Result<db::ContractDates> {
    CANOPEE_TRY(locked, lock_contract(sql, contract_id, version, today, acting_member));
    if (!locked.contract.signed_on) {
      return Error::rule_broken(ErrorCode::conflict, "contract.not_signed", "notified_on",
                                "un marché se notifie une fois signé (R2182-4)");
    }
    if (locked.contract.notified_on) {
      return Error::rule_broken(ErrorCode::conflict, "contract.already_notified", "notified_on",
                                "ce marché est déjà notifié, le " + to_french(*locked.contract.notified_on));
    }
    CANOPEE_TRY_STATUS(check_notification(*locked.contract.signed_on, notified_on, today));
    if (!db::save_notification(sql, locked.contract, notified_on)) return contract_changed();
    const auto after = *db::load_contract_dates(sql, contract_id);
    db::write_audit(sql, actor, "contract", contract_id, "notify", dates_json(locked.contract), dates_json(after));
    return after;
  });
}

Result<AwardChain> record_award_notice(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                       std::int64_t lot_id, Date sent_on, Date today) {
  return db::in_transaction<AwardChain>(database, [&](soci::session& sql) -> Result<AwardChain> {
    CANOPEE_TRY(read, read_locked_chain(sql, tender_id, lot_id, today));
    CANOPEE_TRY_STATUS(
        check_award_notice_sent(read.chain.first_signed_on, read.chain.award_notice_sent_on, sent_on, today));
    db::save_award_notice_sent_on(sql, lot_id, sent_on);
    db::write_audit(sql, actor, "lot", lot_id, "award_notice", "",
                    boost::json::serialize(boost::json::object{{"sent_on", to_string(sent_on)}}));
    CANOPEE_TRY(after, read_locked_chain(sql, tender_id, lot_id, today));
    return std::move(after.chain);
  });
}

}  // namespace canopee::usecases
