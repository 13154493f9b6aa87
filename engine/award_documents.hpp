#pragma once
// The documents of the award chain, written from the recorded facts (issue 17,
// design.md §6): the letters to the bidders of an awarded lot (R2181-1 to R2181-4),
// the award notice's content (R2183-1), each member's acte d'engagement summary
// (R2182-4), the letters of a lot declared unsuccessful or a procedure closed
// without follow-up (R2185-1, R2185-2). engine/presentation_report.hpp writes the
// rapport de présentation (R2184-1 to R2184-6) from the same facts.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/document.hpp"
#include "engine/post_award.hpp"
#include "engine/tender.hpp"

namespace canopee {

// A party as a document names it: its name and, when recorded, its SIRET.
struct Identity {
  std::string name;
  std::string siret;
};

// What every document of a tender starts from.
struct DocumentContext {
  Tender tender;
  Identity buyer;                            // the coordinator, who writes for the members
  std::map<std::int64_t, Identity> members;  // the members of the tender's lots, by id
  Date dated;                                // the document's day
};

// A bidder of a lot as the award read it.
struct BidderFacts {
  std::int64_t bid_id = 0;
  Identity supplier;
  BidEvaluation evaluation;                  // its line of the lot's evaluation
  std::vector<BidDecisionRecord> decisions;  // oldest first
};

// A member's share of the awarded lot: its own contract.
struct MemberShare {
  std::int64_t member_id = 0;
  Quantity quantity;
  Amount amount;
};

struct LetterFacts {
  DocumentContext context;  // dated: the Paris day the letter is sent
  std::int64_t lot_id = 0;
  BidderFacts recipient;
  BidderFacts winner;
  int bids_received = 0;
  Date decided_on;
  SendingMeans means = SendingMeans::electronic;
  int standstill_days = 0;          // standstill_days(procedure, means, chosen)
  bool other_bidders = true;        // the winner's letter: whether a standstill follows letters to others
  std::vector<MemberShare> shares;  // the winner's letter: each member's contract
  // Who signs and notifies each member's contract: the member itself, or the coordinator
  // in its name when the convention gives it that mission (L2113-7).
  bool members_sign = false;
};

// The letter informing the winner (recipient == winner) or the rejection letter with
// its reasons: the decision on its regularity or abnormally low price with the
// officer's reasons; for an admissible offer its rank, the winner's name, the
// characteristics and relative advantages of the retained offer (marks per criterion
// side by side, the price) and the first day the contract may be signed (R2181-3,
// R2182-1); the remedies (CJA L551-1, L551-13).
Document award_letter(const LetterFacts& facts);
Document rejection_letter(const LetterFacts& facts);
Document letter_for(const LetterFacts& facts);  // one or the other, by recipient

// One field of the award notice, as the officer copies it into the publication form.
struct NoticeField {
  std::string code;   // stable: "buyer", "object", "winner"…
  std::string label;  // French
  std::string value;  // French, empty when the officer completes it
};

struct AwardNoticeFacts {
  DocumentContext context;
  std::int64_t lot_id = 0;
  BidderFacts winner;
  int bids_received = 0;
  Date decided_on;
  std::optional<Date> first_signed_on;
  std::optional<Date> due;  // award_notice_due
};
std::vector<NoticeField> award_notice_fields(const AwardNoticeFacts& facts);
Document award_notice(const AwardNoticeFacts& facts);

struct ContractSummaryFacts {
  DocumentContext context;
  std::int64_t lot_id = 0;
  std::int64_t contract_id = 0;
  std::int64_t member_id = 0;
  Identity supplier;
  Quantity quantity;
  UnitPrice unit_price;
  Amount amount;
  std::optional<Date> signed_on;
  std::optional<Date> notified_on;
};
Document contract_summary(const ContractSummaryFacts& facts);

// A lot declared unsuccessful (infructueux) or the procedure declared without
// follow-up (sans suite): each bidder is told, with the reasons (R2185-1, R2185-2).
enum class Closure : std::uint8_t { lot_unsuccessful, procedure_abandoned };
struct ClosureLetterFacts {
  DocumentContext context;
  std::optional<std::int64_t> lot_id;  // none: the whole procedure
  std::int64_t bid_id = 0;
  Identity recipient;
  Closure closure = Closure::lot_unsuccessful;
  std::string reason;
};
Document closure_letter(const ClosureLetterFacts& facts);

// ---- Shared by the documents of a procedure ----

// « appel d’offres ouvert (articles L2124-2, R2161-2 à R2161-5) », …
std::string procedure_words(Procedure procedure);
std::string procedure_with_article(
    Procedure procedure);  // « un appel d’offres ouvert (…) », « une procédure adaptée (…) »
// « 87,50 » (a mark in hundredths of a point, rounded half up), « 1 234,5 » (a quantity).
std::string french_score(std::int64_t score);
std::string french_quantity(Quantity quantity, Unit unit);
// The reasons a bid was eliminated, from its recorded decisions; empty for an admissible one.
std::string rejection_reasons(const BidderFacts& bidder);
// The header every document of the tender carries, and its reference (« CAN-2026-004/L2/REJ-17 »).
void start_document(Document& document, const DocumentContext& context, std::string_view title,
                    std::string_view reference_suffix);
const Lot& lot_in(const DocumentContext& context, std::int64_t lot_id);
std::string lot_words(const Lot& lot);  // « lot n° 2 « Peinture » »

}  // namespace canopee
