#pragma once
// The documents of a procedure (engine/award_documents.hpp, engine/presentation_report.hpp),
// written from the recorded facts, laid out as PDFs and kept with their hash
// (adapters/db/document_repository.hpp). A letter to a bidder of an awarded lot is
// prepared (kept) before it is sent, then its sending is recorded; the other documents
// are produced when the officer asks for them.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/document_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/award_documents.hpp"

namespace canopee::usecases {

// What the officer asks for: the kind, and the lot, bid or contract it is about.
struct DocumentRequest {
  DocumentKind kind = DocumentKind::presentation_report;
  std::optional<std::int64_t> lot_id;
  std::optional<std::int64_t> bid_id;
  std::optional<std::int64_t> contract_id;
};

// Produces and keeps the document asked for (award notice, rapport de présentation,
// contract summary, closure letter), dated `today`.
Result<db::StoredDocument> produce_document(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                            const DocumentRequest& request, Instant now, Date today);

// Who reads documents: officers every one; anyone else the contract summaries only
// (a letter to a bidder, the notice and the report are the procedure's), of their own
// member when they are confined to one (`member`).
struct DocumentReader {
  bool officer = false;
  std::optional<std::int64_t> member;
};
inline constexpr DocumentReader kEveryDocument{true, std::nullopt};

// The documents of a tender (of one lot when given) the reader may read.
Result<std::vector<db::StoredDocument>> tender_documents(db::Database& database, std::int64_t tender_id,
                                                         std::optional<std::int64_t> lot_id, DocumentReader reader);
// A document and its bytes as kept, checked against the hash stored beside them and the
// one its production's audit row wrote (409 document.altered otherwise); document.not_found
// also for a document the reader may not read.
Result<std::pair<db::StoredDocument, std::string>> document_content(db::Database& database, std::int64_t document_id,
                                                                    DocumentReader reader);

// Prepares the letter to `bid_id`, a bidder of the awarded lot, to be sent by `means`:
// produced and kept, dated the Paris day of `now`, before it is sent; its sending is then
// recorded (usecases/award_chain.hpp: record_letter), never before it was prepared.
Result<db::StoredDocument> prepare_letter(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                          std::int64_t lot_id, std::int64_t bid_id, SendingMeans means, Instant now);

// The letter a bidder of an awarded lot would receive if sent on `today` by `means`:
// a draft, marked as such, not kept.
Result<std::string> preview_letter(db::Database& database, std::int64_t tender_id, std::int64_t lot_id,
                                   std::int64_t bid_id, SendingMeans means, Date today);

// The award notice's fields for a lot, as they stand today.
Result<std::vector<NoticeField>> award_notice_content(db::Database& database, std::int64_t tender_id,
                                                      std::int64_t lot_id, Date today);

// Every document kept, checked: its bytes hash to the SHA-256 stored beside them and
// written in the audit row of its production. The problems found, in French (none: intact).
struct DocumentsCheck {
  std::int64_t checked = 0;
  std::vector<std::string> problems;
};
Result<DocumentsCheck> verify_documents(db::Database& database);

// Whether each member signs and notifies its own contract of `tender` (its groupement's
// coordinator's mission stops at the award, L2113-7) rather than the coordinator.
bool members_sign(soci::session& sql, const Tender& tender);

}  // namespace canopee::usecases
