#pragma once
// The documents kept (schema/0016_documents.sql): each PDF as produced, with its
// SHA-256 repeated in the audit row of its production. Append-only.
#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/actor.hpp"
#include "engine/date.hpp"
#include "engine/document.hpp"
#include "engine/money.hpp"
#include "engine/post_award.hpp"

namespace canopee::db {

// What a document is about: its tender and, as the kind requires, a lot, a bid, a
// member's contract and its member.
struct DocumentSubject {
  std::int64_t tender_id = 0;
  std::optional<std::int64_t> lot_id{};
  std::optional<std::int64_t> bid_id{};
  std::optional<std::int64_t> contract_id{};
  std::optional<std::int64_t> member_id{};
  std::optional<SendingMeans> letter_means{};  // a letter to a bidder: the means it was prepared for
};

struct StoredDocument {
  std::int64_t id = 0;
  DocumentSubject subject;
  DocumentKind kind = DocumentKind::rejection_letter;
  std::string reference;
  std::string title;
  Date dated;
  std::string media_type;
  std::string sha256;
  std::int64_t size_bytes = 0;
  std::string created_at;  // RFC 3339 UTC
  std::optional<std::int64_t> created_by;
};

// Stores the bytes of `document` (a PDF) produced at `now` by `actor`, with the audit
// row carrying its hash.
StoredDocument insert_document(soci::session& sql, const Actor& actor, const DocumentSubject& subject,
                               const Document& document, const std::string& pdf, Instant now);
// The documents of a tender, oldest first; of one lot when `lot_id` is given.
std::vector<StoredDocument> load_documents(soci::session& sql, std::int64_t tender_id,
                                           std::optional<std::int64_t> lot_id);
std::optional<StoredDocument> load_document(soci::session& sql, std::int64_t id);
// The latest letter prepared for `bid_id` on the lot (award or rejection letter), if any.
std::optional<StoredDocument> latest_letter(soci::session& sql, std::int64_t lot_id, std::int64_t bid_id);
// How many documents of the tender carry `reference` or one of its versions (« -v2 »…).
std::int64_t count_references(soci::session& sql, std::int64_t tender_id, const std::string& reference);
// The SHA-256 the audit row of the document's production wrote (empty when none).
std::string audited_sha256(soci::session& sql, std::int64_t id);
// The bytes kept (none when the row is missing or its content is not base64); the
// caller checks them against the document's hash.
std::optional<std::string> load_document_content(soci::session& sql, std::int64_t id);
// What the store holds of one document, for an integrity check: its hash column,
// its bytes' own hash, and the hash its production's audit row wrote (empty if none).
struct DocumentIntegrity {
  std::int64_t id = 0;
  std::string reference;
  std::string sha256;       // the column
  std::string content_sha;  // of the bytes kept (empty when they are not base64)
  std::string audited_sha;  // the audit row's
};
// Every document of the store, one at a time, oldest first.
void each_document_integrity(soci::session& sql, const std::function<void(const DocumentIntegrity&)>& visit);

// A letter's document, recorded with its sending.
void link_letter_document(soci::session& sql, std::int64_t letter_id, std::int64_t document_id);
// A member's contract as its documents state it.
struct ContractTerms {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  std::int64_t supplier_id = 0;
  Quantity quantity;
  UnitPrice unit_price;
  Amount amount;
};
std::vector<ContractTerms> load_lot_contract_terms(soci::session& sql, std::int64_t lot_id);
std::optional<ContractTerms> load_contract_terms(soci::session& sql, std::int64_t contract_id);

// The award notice of a lot, sent for publication on `sent_on` (R2183-1).
std::optional<Date> load_award_notice_sent_on(soci::session& sql, std::int64_t lot_id);
void save_award_notice_sent_on(soci::session& sql, std::int64_t lot_id, Date sent_on);

}  // namespace canopee::db
