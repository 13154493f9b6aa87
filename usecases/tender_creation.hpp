#pragma once
// Creating a joint tender from a proposal, as the officer does it: the proposal
// computed again over the needs as they stand (the needs of members who had not
// signed the groupement's convention by the planned launch left out, L2113-6), its
// lots, the procedure its cumulated value requires, then the tender stored with its
// needs pooled (db::create_tender). The officer's draft brings the title, criteria,
// clauses and dates; the proposal brings the lots and the procedure.
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/cpv.hpp"
#include "engine/groupement.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"
#include "usecases/procedure_advice.hpp"

namespace canopee::usecases {

struct CreatedTender {
  Tender tender;
  std::vector<ExcludedNeed> excluded;    // needs of members not joined by the planned launch
  std::optional<Groupement> groupement;  // the convention it belongs to, as read for the checks
};

// `draft` carries the officer's fields (title, vehicle, criteria, clauses, launch
// date, coordinator, groupement); refused with the field named when the coordinator
// or the groupement does not exist, when no lot can be formed, when the planned
// launch is in the past, or when the groupement's convention does not cover it.
Result<CreatedTender> create_tender_from_proposal(db::Database& database, const db::Actor& actor,
                                                  const ThresholdTable& built_in, const CpvNomenclature& nomenclature,
                                                  Tender draft, const ProposalRequest& request, Date today);

// The groupement a new tender names, after its vehicle: the stored convention, or
// none for a centrale and, while the network has recorded no convention, for a
// groupement tender made as before (groupement.required once one is recorded).
Result<std::optional<Groupement>> groupement_of_new_tender(db::Database& database, const Tender& tender);

}  // namespace canopee::usecases
