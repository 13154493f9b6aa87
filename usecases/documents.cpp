#include "usecases/documents.hpp"

#include <algorithm>
#include <map>

#include "adapters/db/award_chain_repository.hpp"
#include "adapters/db/bid_repository.hpp"
#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/pdf_document.hpp"
#include "adapters/security/digest.hpp"
#include "engine/presentation_report.hpp"
#include "engine/text.hpp"
#include "usecases/lot_evaluation.hpp"

namespace canopee::usecases {
namespace {

// A document produced again gets its own reference: « …/RP », then « …/RP-v2 », « …/RP-v3 ».
void number_version(soci::session& sql, std::int64_t tender_id, Document& document) {
  const auto earlier = db::count_references(sql, tender_id, document.reference);
  if (earlier > 0) document.reference += "-v" + std::to_string(earlier + 1);
}

bool may_read(const DocumentReader& reader, const db::StoredDocument& d) {
  if (reader.officer) return true;
  return d.kind == DocumentKind::contract_summary && (!reader.member || d.subject.member_id == reader.member);
}

Error document_not_found() { return Error{ErrorCode::not_found, "document introuvable", {}, "document.not_found"}; }

Error lot_not_awarded() {
  return Error::rule_broken(ErrorCode::conflict, "lot.not_awarded", "lot_id",
                            "le lot n’est pas attribué : ce document suit la décision d’attribution");
}

Error bid_not_in_lot() {
  return Error::rule_broken(ErrorCode::not_found, "bid.not_found", "bid_id", "cette offre n’est pas une offre du lot");
}

DocumentContext context_of(soci::session& sql, const Tender& tender, Date dated) {
  DocumentContext context;
  context.tender = tender;
  context.dated = dated;
  const auto identity = [](const Member& m) { return Identity{m.name, m.siret.value_or("")}; };
  if (const auto coordinator = db::load_member(sql, tender.coordinator_member_id)) {
    context.buyer = identity(*coordinator);
  } else {
    context.buyer = Identity{"Canopée", ""};
  }
  for (const auto& lot : tender.lots) {
    for (const auto& line : lot.members) {
      if (context.members.contains(line.member_id)) continue;
      if (const auto member = db::load_member(sql, line.member_id)) context.members[line.member_id] = identity(*member);
    }
  }
  return context;
}

Identity supplier_identity(soci::session& sql, std::int64_t supplier_id) {
  if (const auto supplier = db::load_supplier(sql, supplier_id)) return Identity{supplier->name, supplier->siret};
  return Identity{"fournisseur n° " + std::to_string(supplier_id), ""};
}

// The bidders of a lot in the evaluation's order, with their decisions and names.
Result<std::vector<BidderFacts>> bidders_of(soci::session& sql, const Tender& tender, const Lot& lot) {
  CANOPEE_TRY(evaluation, evaluate_stored_lot(sql, tender, lot));
  std::map<std::int64_t, std::vector<BidDecisionRecord>> decisions;
  for (auto& bid : db::load_lot_bids(sql, lot.id)) decisions[bid.id] = std::move(bid.decisions);
  std::vector<BidderFacts> bidders;
  for (const auto& e : evaluation.bids) {
    bidders.push_back({e.bid_id, supplier_identity(sql, e.supplier_id), e, decisions[e.bid_id]});
  }
  return bidders;
}

struct AwardedLot {
  std::vector<BidderFacts> bidders;
  BidderFacts winner;
  Date decided_on;
};

Result<AwardedLot> awarded_lot(soci::session& sql, const Tender& tender, const Lot& lot) {
  if (lot.status != LotStatus::awarded) return lot_not_awarded();
  const auto award = db::load_award_of_lot(sql, lot.id);
  if (!award) return lot_not_awarded();
  CANOPEE_TRY(bidders, bidders_of(sql, tender, lot));
  const auto winner = std::find_if(bidders.begin(), bidders.end(),
                                   [&](const BidderFacts& b) { return b.bid_id == award->bid_id; });
  if (winner == bidders.end()) return lot_not_awarded();
  AwardedLot awarded{bidders, *winner, award->decided_on};
  return awarded;
}

Result<LetterFacts> letter_facts(soci::session& sql, const Tender& tender, const Lot& lot, std::int64_t bid_id,
                                 SendingMeans means, Date sent_on) {
  CANOPEE_TRY(awarded, awarded_lot(sql, tender, lot));
  const auto recipient = std::find_if(awarded.bidders.begin(), awarded.bidders.end(),
                                      [&](const BidderFacts& b) { return b.bid_id == bid_id; });
  if (recipient == awarded.bidders.end()) return bid_not_in_lot();
  LetterFacts facts;
  facts.context = context_of(sql, tender, sent_on);
  facts.lot_id = lot.id;
  facts.recipient = *recipient;
  facts.winner = awarded.winner;
  facts.bids_received = static_cast<int>(awarded.bidders.size());
  facts.decided_on = awarded.decided_on;
  facts.means = means;
  facts.standstill_days = standstill_days(tender.procedure, means, db::load_standstill_days(sql, lot.id));
  facts.other_bidders = awarded.bidders.size() > 1;
  facts.members_sign = members_sign(sql, tender);
  for (const auto& terms : db::load_lot_contract_terms(sql, lot.id)) {
    facts.shares.push_back({terms.member_id, terms.quantity, terms.amount});
  }
  return facts;
}

std::optional<Date> first_signature(soci::session& sql, std::int64_t lot_id) {
  std::optional<Date> first;
  for (const auto& c : db::lot_contracts(sql, lot_id)) {
    if (c.signed_on && (!first || *c.signed_on < *first)) first = c.signed_on;
  }
  return first;
}

Result<AwardNoticeFacts> notice_facts(soci::session& sql, const Tender& tender, const Lot& lot, Date today) {
  CANOPEE_TRY(awarded, awarded_lot(sql, tender, lot));
  AwardNoticeFacts facts;
  facts.context = context_of(sql, tender, today);
  facts.lot_id = lot.id;
  facts.winner = awarded.winner;
  facts.bids_received = static_cast<int>(awarded.bidders.size());
  facts.decided_on = awarded.decided_on;
  facts.first_signed_on = first_signature(sql, lot.id);
  if (facts.first_signed_on) facts.due = award_notice_due(tender.procedure, *facts.first_signed_on);
  return facts;
}

Result<const Lot*> requested_lot(const Tender& tender, const std::optional<std::int64_t>& lot_id) {
  if (!lot_id) return Error::invalid("lot_id", "ce document porte sur un lot : lot_id est requis", "field.required");
  const Lot* lot = find_lot(tender, *lot_id);
  if (lot == nullptr)
    return Error{ErrorCode::not_found, "ce lot n’est pas un lot de cette consultation", {}, "lot.not_found"};
  return lot;
}

Result<PresentationReportFacts> report_facts(soci::session& sql, const Tender& tender, Date today) {
  if (!tender.closed_at) {
    return Error::rule_broken(
        ErrorCode::conflict, "document.report.bids_not_opened", "kind",
        "le rapport de présentation rend compte de l’examen des offres : il se rédige une fois la "
        "consultation close");
  }
  PresentationReportFacts facts;
  facts.context = context_of(sql, tender, today);
  for (const auto& lot : tender.lots) {
    ReportLot report;
    report.lot_id = lot.id;
    CANOPEE_TRY(bidders, bidders_of(sql, tender, lot));
    report.bidders = std::move(bidders);
    if (const auto award = db::load_award_of_lot(sql, lot.id)) {
      report.winning_bid_id = award->bid_id;
      report.decided_on = award->decided_on;
    }
    facts.lots.push_back(std::move(report));
  }
  return facts;
}

Result<ContractSummaryFacts> summary_facts(soci::session& sql, const Tender& tender,
                                           const std::optional<std::int64_t>& contract_id, Date today) {
  if (!contract_id) {
    return Error::invalid("contract_id", "la synthèse porte sur le marché d’un membre : contract_id est requis",
                          "field.required");
  }
  const auto terms = db::load_contract_terms(sql, *contract_id);
  if (!terms || find_lot(tender, terms->lot_id) == nullptr) {
    return Error{ErrorCode::not_found, "ce marché n’est pas un marché de cette consultation", {}, "contract.not_found"};
  }
  const auto dates = db::load_contract_dates(sql, *contract_id);
  ContractSummaryFacts facts;
  facts.context = context_of(sql, tender, today);
  facts.lot_id = terms->lot_id;
  facts.contract_id = terms->id;
  facts.member_id = terms->member_id;
  facts.supplier = supplier_identity(sql, terms->supplier_id);
  facts.quantity = terms->quantity;
  facts.unit_price = terms->unit_price;
  facts.amount = terms->amount;
  if (dates) {
    facts.signed_on = dates->signed_on;
    facts.notified_on = dates->notified_on;
  }
  return facts;
}

Result<ClosureLetterFacts> closure_facts(soci::session& sql, const Tender& tender,
                                         const std::optional<std::int64_t>& bid_id, Date today) {
  if (!bid_id) {
    return Error::invalid("bid_id", "la lettre s’adresse au soumissionnaire d’une offre : bid_id est requis",
                          "field.required");
  }
  const auto bid = db::load_bid(sql, *bid_id, db::WithDecisions::no);
  const Lot* lot = bid ? find_lot(tender, bid->lot_id) : nullptr;
  if (lot == nullptr) return bid_not_in_lot();
  ClosureLetterFacts facts;
  facts.context = context_of(sql, tender, today);
  facts.bid_id = bid->id;
  facts.recipient = supplier_identity(sql, bid->supplier_id);
  if (lot->status == LotStatus::unsuccessful) {
    facts.lot_id = lot->id;
    facts.closure = Closure::lot_unsuccessful;
    facts.reason = lot->unsuccessful_reason;
  } else if (tender.status == TenderStatus::cancelled) {
    facts.closure = Closure::procedure_abandoned;
    facts.reason = tender.cancel_reason;
  } else {
    return Error::rule_broken(ErrorCode::conflict, "document.closure.not_closed", "bid_id",
                              "ni le lot n’est infructueux, ni la procédure sans suite : aucune lettre de clôture à "
                              "adresser");
  }
  if (word_characters(facts.reason) == 0) {
    // A tender cancelled before its reasons were recorded (before migration 0016).
    return Error::rule_broken(ErrorCode::conflict, "document.closure.reason_missing", "bid_id",
                              "les motifs de la décision ne sont pas enregistrés : la lettre, qui doit les donner "
                              "(R2185-2), ne peut pas être produite");
  }
  return facts;
}

Result<Document> document_for(soci::session& sql, const Tender& tender, const DocumentRequest& request, Date today,
                              std::optional<std::int64_t>& member_id, std::optional<std::int64_t>& lot_id) {
  switch (request.kind) {
    case DocumentKind::award_letter:
    case DocumentKind::rejection_letter:
      return Error::invalid(
          "kind",
          "les lettres aux soumissionnaires d’un lot attribué se préparent avant leur envoi, pour un moyen "
          "d’envoi (POST …/lots/{lot}/letters/prepare)",
          "document.letter_prepared_apart");
    case DocumentKind::award_notice: {
      CANOPEE_TRY(lot, requested_lot(tender, request.lot_id));
      CANOPEE_TRY(facts, notice_facts(sql, tender, *lot, today));
      return award_notice(facts);
    }
    case DocumentKind::presentation_report: {
      CANOPEE_TRY(facts, report_facts(sql, tender, today));
      return presentation_report(facts);
    }
    case DocumentKind::contract_summary: {
      CANOPEE_TRY(facts, summary_facts(sql, tender, request.contract_id, today));
      member_id = facts.member_id;
      lot_id = facts.lot_id;
      return contract_summary(facts);
    }
    case DocumentKind::closure_letter: {
      CANOPEE_TRY(facts, closure_facts(sql, tender, request.bid_id, today));
      lot_id = facts.lot_id;
      return closure_letter(facts);
    }
    case DocumentKind::order_form:
      return Error::invalid("kind", "un bon de commande s’obtient depuis la commande (GET /v1/orders/{id}/form)",
                            "document.order_form_apart");
  }
  return document_not_found();
}

}  // namespace

// Each kind is about what it names, and only that: a field that does not apply is refused
// rather than stored as the document's subject.
Status check_request_fields(const DocumentRequest& request) {
  const bool lot = request.kind == DocumentKind::award_notice;
  const bool bid = request.kind == DocumentKind::closure_letter;
  const bool contract = request.kind == DocumentKind::contract_summary;
  std::vector<FieldError> errors;
  const auto refuse = [&](bool given, bool applies, const char* field) {
    if (given && !applies) {
      errors.push_back({field, "ne s’applique pas à ce document (" + std::string(french_label(request.kind)) + ")",
                        "document.field_not_applicable"});
    }
  };
  refuse(request.lot_id.has_value(), lot, "lot_id");
  refuse(request.bid_id.has_value(), bid, "bid_id");
  refuse(request.contract_id.has_value(), contract, "contract_id");
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "champs sans objet pour ce document", std::move(errors)};
}

Result<db::StoredDocument> produce_document(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                            const DocumentRequest& request, Instant now, Date today) {
  if (request.kind != DocumentKind::award_letter && request.kind != DocumentKind::rejection_letter) {
    CANOPEE_TRY_STATUS(check_request_fields(request));
  }
  return db::in_transaction<db::StoredDocument>(database, [&](soci::session& sql) -> Result<db::StoredDocument> {
    const auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    std::optional<std::int64_t> member_id;
    std::optional<std::int64_t> lot_id = request.lot_id;
    CANOPEE_TRY(document, document_for(sql, *tender, request, today, member_id, lot_id));
    number_version(sql, tender->id, document);
    const auto pdf = formats::render_pdf(document);
    const db::DocumentSubject subject{tender->id, lot_id, request.bid_id, request.contract_id, member_id};
    return db::insert_document(sql, actor, subject, document, pdf, now);
  });
}

Result<std::vector<db::StoredDocument>> tender_documents(db::Database& database, std::int64_t tender_id,
                                                         std::optional<std::int64_t> lot_id, DocumentReader reader) {
  return db::in_snapshot<std::vector<db::StoredDocument>>(
      database, [&](soci::session& sql) -> Result<std::vector<db::StoredDocument>> {
        auto documents = db::load_documents(sql, tender_id, lot_id);
        std::erase_if(documents, [&](const db::StoredDocument& d) { return !may_read(reader, d); });
        return documents;
      });
}

Result<std::pair<db::StoredDocument, std::string>> document_content(db::Database& database, std::int64_t document_id,
                                                                    DocumentReader reader) {
  using Out = std::pair<db::StoredDocument, std::string>;
  return db::in_snapshot<Out>(database, [&](soci::session& sql) -> Result<Out> {
    auto document = db::load_document(sql, document_id);
    if (!document || !may_read(reader, *document)) return document_not_found();
    auto bytes = db::load_document_content(sql, document_id);
    const auto sha = bytes ? security::sha256_hex(*bytes) : std::string();
    if (sha != document->sha256 || sha != db::audited_sha256(sql, document_id)) {
      // Only a change made behind the product's back (documents are append-only) gets here.
      return Error::rule_broken(ErrorCode::conflict, "document.altered", "",
                                "ce document ne correspond plus à l’empreinte enregistrée à sa production : il "
                                "n’est pas servi ; signalez-le à l’exploitant (canopee documents verify)");
    }
    return Out{*std::move(document), *std::move(bytes)};
  });
}

Result<std::string> preview_letter(db::Database& database, std::int64_t tender_id, std::int64_t lot_id,
                                   std::int64_t bid_id, SendingMeans means, Date today) {
  return db::in_snapshot<std::string>(database, [&](soci::session& sql) -> Result<std::string> {
    const auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    CANOPEE_TRY(lot, requested_lot(*tender, lot_id));
    CANOPEE_TRY(facts, letter_facts(sql, *tender, *lot, bid_id, means, today));
    auto document = letter_for(facts);
    document.title = "PROJET — " + document.title;
    document.reference += "-PROJET";
    return formats::render_pdf(document);
  });
}

Result<std::vector<NoticeField>> award_notice_content(db::Database& database, std::int64_t tender_id,
                                                      std::int64_t lot_id, Date today) {
  return db::in_snapshot<std::vector<NoticeField>>(database,
                                                   [&](soci::session& sql) -> Result<std::vector<NoticeField>> {
                                                     const auto tender = db::load_tender(sql, tender_id);
                                                     if (!tender) return db::tender_not_found();
                                                     CANOPEE_TRY(lot, requested_lot(*tender, lot_id));
                                                     CANOPEE_TRY(facts, notice_facts(sql, *tender, *lot, today));
                                                     return award_notice_fields(facts);
                                                   });
}

Result<DocumentsCheck> verify_documents(db::Database& database) {
  return db::in_snapshot<DocumentsCheck>(database, [&](soci::session& sql) -> Result<DocumentsCheck> {
    DocumentsCheck check;
    db::each_document_integrity(sql, [&](const db::DocumentIntegrity& d) {
      ++check.checked;
      const std::string name = "document " + std::to_string(d.id) + " (" + d.reference + ")";
      if (d.content_sha.empty()) {
        check.problems.push_back(name + " : contenu illisible");
      } else if (d.content_sha != d.sha256) {
        check.problems.push_back(name + " : le contenu ne correspond plus à son empreinte");
      }
      if (d.audited_sha.empty()) {
        check.problems.push_back(name + " : aucune production au journal d’audit");
      } else if (d.audited_sha != d.sha256) {
        check.problems.push_back(name + " : l’empreinte diffère de celle du journal d’audit");
      }
    });
    return check;
  });
}

bool members_sign(soci::session& sql, const Tender& tender) {
  if (!tender.groupement_id) return false;
  const auto groupement = db::load_groupement(sql, *tender.groupement_id);
  return groupement && groupement->mission == CoordinatorMission::procedure;
}

Result<db::StoredDocument> prepare_letter(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                          std::int64_t lot_id, std::int64_t bid_id, SendingMeans means, Instant now) {
  return db::in_transaction<db::StoredDocument>(database, [&](soci::session& sql) -> Result<db::StoredDocument> {
    CANOPEE_TRY(tender, db::tender_with_locked_lot(sql, tender_id, lot_id));
    const Lot& lot = *find_lot(tender, lot_id);
    for (const auto& sent : db::load_letters(sql, lot_id)) {
      if (sent.letter.bid_id == bid_id) {
        return Error::rule_broken(ErrorCode::conflict, "letter.already_sent", "bid_id",
                                  "le courrier à ce soumissionnaire est déjà envoyé : il ne se prépare plus");
      }
    }
    CANOPEE_TRY(facts, letter_facts(sql, tender, lot, bid_id, means, paris_date(now)));
    auto document = letter_for(facts);
    number_version(sql, tender.id, document);
    const auto pdf = formats::render_pdf(document);
    return db::insert_document(sql, actor, {tender.id, lot.id, bid_id, std::nullopt, std::nullopt, means}, document,
                               pdf, now);
  });
}

}  // namespace canopee::usecases
