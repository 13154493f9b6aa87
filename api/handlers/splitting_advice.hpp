#pragma once
// The anti-splitting warning of the procedure advice (R2121-6, R2121-7): the year's
// other joint tenders of the same grouping, read from the store, added per family
// by engine/splitting (add_family_year_warnings). Defined in api/handlers/splitting.cpp.
#include "api/services.hpp"
#include "engine/splitting.hpp"

namespace canopee::api {

// `self`: the tender advised (excluded from the others, and giving the grouping key),
// or a draft tender standing for a proposal (id 0).
Status add_splitting_warnings(const Services& services, ProcedureAdvice& advice, const ProcedureInput& input, const Tender& self,
                              const ThresholdTable& thresholds);

}  // namespace canopee::api
