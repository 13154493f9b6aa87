#pragma once
// The anti-splitting view assembled from storage, for the API and the command line
// alike: the year's joint tenders and stand-alone purchases read, the thresholds in
// force (built-in table with the settings' rows over it), engine/splitting's figures,
// and their JSON.
#include <boost/json/value.hpp>

#include "adapters/db/database.hpp"
#include "engine/cpv.hpp"
#include "engine/splitting.hpp"

namespace canopee::reports {

Result<SplittingReport> splitting_view(db::Database& database, const ThresholdTable& built_in,
                                       const SplittingRequest& request);
boost::json::value splitting_json(const SplittingReport& report, const SplittingRequest& request,
                                  const CpvNomenclature& cpv);

}  // namespace canopee::reports
