#pragma once
// The rapport de présentation of a procedure (R2184-1 to R2184-6), written from what
// the product recorded: the buyer and the members with their needs, the object and
// the estimate, the procedure with its articles and dates, the criteria and their
// weights, for each lot the bids received, the decisions on their regularity and on
// abnormally low prices with the reasons, the ranking and the marks, the award or
// why there is none. What the product does not know (subcontracting declared,
// measures against conflicts of interest…) is left for the officer to complete.
#include <optional>
#include <vector>

#include "engine/award_documents.hpp"

namespace canopee {

struct ReportLot {
  std::int64_t lot_id = 0;
  std::vector<BidderFacts> bidders;  // in the evaluation's order (ranked first)
  std::optional<std::int64_t> winning_bid_id;
  std::optional<Date> decided_on;
};

struct PresentationReportFacts {
  DocumentContext context;
  std::vector<ReportLot> lots;  // every lot of the tender, by number
};

Document presentation_report(const PresentationReportFacts& facts);

}  // namespace canopee
