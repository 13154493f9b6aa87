#pragma once
// The documents of a procedure (engine/award_documents.hpp, engine/presentation_report.hpp),
// written from the recorded facts, laid out as PDFs and kept with their hash
// (adapters/db/document_repository.hpp). The letters to the bidders of an awarded lot
// are produced when their sending is recorded (usecases/award_chain.cpp), dated the
// day they are sent; the other documents when the officer asks for them.
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

// The documents of a tender (of one lot when given); a member's user sees its own
// contract summaries only (`member_scope`).
Result<std::vector<db::StoredDocument>> tender_documents(db::Database& database, std::int64_t tender_id,
                                                         std::optional<std::int64_t> lot_id,
                                                         std::optional<std::int64_t> member_scope);
// A document and its bytes as kept (document.not_found, also for a document outside the scope).
Result<std::pair<db::StoredDocument, std::string>> document_content(db::Database& database, std::int64_t document_id,
                                                                    std::optional<std::int64_t> member_scope);

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

// Inside the letter's unit of work (usecases/award_chain.cpp): the letter to `bid_id`
// sent on `sent_on` by `means`, produced and kept.
Result<db::StoredDocument> keep_letter(soci::session& sql, const db::Actor& actor, const Tender& tender, const Lot& lot,
                                       std::int64_t bid_id, SendingMeans means, Date sent_on, Instant now);

}  // namespace canopee::usecases
