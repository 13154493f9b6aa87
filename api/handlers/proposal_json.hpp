#pragma once
// The aggregation request ({filter, options}) and the proposal it yields, in JSON,
// by pages; the request is shared by POST /v1/aggregations and POST /v1/tenders.
#include <boost/json/value.hpp>

#include "api/json_input.hpp"
#include "engine/procedure.hpp"
#include "usecases/procedure_advice.hpp"

namespace canopee::api {

using ProposalRequest = usecases::ProposalRequest;

// Reads `filter` and `options` from the request object (`in` holds them); errors
// go into `in`. Defaults: contract from the first day of next month, 12 months.
ProposalRequest read_proposal_request(JsonInput& in, Date today);

// One page of a proposal (issue 21 item 3): the whole proposal is recomputed for
// every page from the same request, and the cursor ties a page to the request
// and to the (id, version) of the needs read, so that a page never mixes two
// states of the needs. The items are the lots, then the needs not pooled.
inline constexpr std::size_t kProposalPageDefault = 50;
inline constexpr std::size_t kProposalPageMax = 500;
inline constexpr std::size_t kNeedIdsInline = 100;  // a member's need ids given in a lot, the first ones

struct ProposalPage {
  std::size_t offset = 0;
  std::size_t limit = kProposalPageDefault;
  std::optional<std::uint64_t> needs_fingerprint;  // from the cursor
  std::optional<std::uint64_t> request_fingerprint;
};

// Reads `cursor` and `limit` from the request object; errors go into `in`.
ProposalPage read_proposal_page(JsonInput& in);
std::uint64_t request_fingerprint(const ProposalRequest& request);
// The cursor's checks against what was computed: other_request (400) or needs_changed (409).
Status check_proposal_page(const ProposalPage& page, std::uint64_t request, std::uint64_t needs, std::size_t items);
// {summary, lots, not_pooled, next_cursor, estimated_total, families, procedure}.
boost::json::value proposal_page_json(const Proposal& proposal, const ProcedureAdvice& advice,
                                      const CpvNomenclature& cpv, const ProposalPage& page, std::uint64_t request,
                                      std::uint64_t needs);
boost::json::value advice_json(const ProcedureAdvice& advice);

}  // namespace canopee::api
