#pragma once
// The aggregation request ({filter, options}) and the proposal it yields, in JSON;
// shared by POST /v1/aggregations and POST /v1/tenders.
#include <boost/json/value.hpp>

#include "api/json_input.hpp"
#include "engine/procedure.hpp"
#include "usecases/procedure_advice.hpp"

namespace canopee::api {

using ProposalRequest = usecases::ProposalRequest;

// Reads `filter` and `options` from the request object (`in` holds them); errors
// go into `in`. Defaults: contract from the first day of next month, 12 months.
ProposalRequest read_proposal_request(JsonInput& in, Date today);

boost::json::value proposal_json(const Proposal& proposal, const ProcedureAdvice* advice, const CpvNomenclature& cpv);
boost::json::value advice_json(const ProcedureAdvice& advice);

}  // namespace canopee::api
