#pragma once
// The proposal over the buyers' submitted needs and the procedure its cumulated
// value requires (engine/aggregation, engine/procedure), with the year's other
// joint tenders of the same families as anti-splitting warnings (R2121-6, R2121-7);
// and the advice of a tender at its launch date. The thresholds are those in
// force: the built-in table with the settings' rows over it (db::load_thresholds).
#include <optional>
#include <vector>

#include "adapters/db/database.hpp"
#include "engine/aggregation.hpp"
#include "engine/date.hpp"
#include "engine/groupement.hpp"
#include "engine/procedure.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee::usecases {

struct ProposalRequest {
  AggregationFilter filter;
  AggregationOptions options;
  std::optional<Date> launch_date;  // simulated launch; today when absent
};

struct ProposalOutcome {
  Proposal proposal;
  ProcedureAdvice advice;
  AggregationOptions options;
  std::vector<ExcludedNeed> excluded;   // with a groupement: needs of members who had not signed by the launch
  std::uint64_t needs_fingerprint = 0;  // of the (id, version) of the needs read: a page's check that none changed
  std::size_t needs_read = 0;
};

// With a groupement, the needs of members who had not signed its convention by
// `launch` are left out (L2113-6) and listed in `excluded`.
Result<ProposalOutcome> propose(db::Database& database, const ThresholdTable& built_in, const ProposalRequest& request,
                                Date today, const Groupement* groupement = nullptr, Date launch = {});

// The advice at the tender's launch date (the planned one, else today, for a draft;
// the day the notice was sent once published — what publication stored).
Result<ProcedureAdvice> advise_tender(db::Database& database, const ThresholdTable& built_in, const Tender& tender,
                                      Date today);

// Adds to `advice` the warnings of the year's other joint tenders of the same
// families (`self` excluded, and giving the grouping: its groupement or the network).
Status add_splitting_warnings(db::Database& database, ProcedureAdvice& advice, const ProcedureInput& input,
                              const Tender& self, const ThresholdTable& thresholds);

}  // namespace canopee::usecases
