#pragma once
// The documents of a procedure as the product writes them (issue 17): the letters to
// the bidders, the award notice's content, the rapport de présentation, each member's
// acte d'engagement summary, the letters of a procedure closed without award. A
// document is what it says, in French, block by block; an adapter lays it out as a PDF
// (adapters/formats/pdf_document.hpp) and the store keeps the bytes sent with their
// hash, so that the document sent is the document kept.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/result.hpp"

namespace canopee {

enum class DocumentKind : std::uint8_t {
  award_letter,         // to the winner of a lot (R2181-1 … R2181-4)
  rejection_letter,     // to every other bidder of the lot (R2181-1, R2181-3)
  closure_letter,       // to each bidder of a lot or procedure closed without award (R2185-1, R2185-2)
  award_notice,         // the avis d'attribution's content (R2183-1)
  presentation_report,  // the rapport de présentation (R2184-1 … R2184-6)
  contract_summary,     // a member's acte d'engagement summary (R2182-4)
  order_form,           // a purchase order under a framework agreement (R2162-4), not kept
};
std::string_view to_string(DocumentKind kind);
Result<DocumentKind> parse_document_kind(std::string_view text, std::string_view field);
std::string_view french_label(DocumentKind kind);  // « Lettre de rejet », …

// A table: a header row and rows of as many cells; numbers are right-aligned.
struct DocumentTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-aligned
};

struct DocumentBlock {
  enum class Kind : std::uint8_t { heading, paragraph, table, to_complete };
  Kind kind = Kind::paragraph;
  std::string text;     // heading, paragraph, or what the officer is to complete
  DocumentTable table;  // Kind::table
};

struct Document {
  DocumentKind kind = DocumentKind::rejection_letter;
  std::string title;      // « Notification du rejet de votre offre »
  std::string reference;  // the tender's reference with the lot and the document, « CAN-2026-004/L2/REJ-17 »
  Date dated;             // the day the document is written (a letter: the day it is sent)
  std::vector<std::string> sender;     // who writes: the buyer for the groupement, its identity
  std::vector<std::string> recipient;  // to whom (letters), empty otherwise
  std::string subject;                 // « Objet : … »
  std::vector<DocumentBlock> blocks;
  std::string signature;  // « Pour le coordonnateur du groupement, le représentant du pouvoir adjudicateur »

  Document& heading(std::string text);
  Document& paragraph(std::string text);
  Document& table(DocumentTable table);
  Document& to_complete(std::string what);  // a part the officer completes by hand
};

// The document's words in reading order, one block a line (tables cell by cell):
// what a reader finds in it, for tests and search.
std::string plain_text(const Document& document);

// « 1er mars 2026 », « 12 mars 2026 »: the date in words, as letters write it.
std::string french_long_date(Date date);

}  // namespace canopee
