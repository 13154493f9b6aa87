#pragma once
// A framework agreement's terms as the officer sets them on a draft tender — renewals,
// the justification of a duration beyond 4 years, the margin of derived maxima, each
// lot's basis and the members' maxima and minima (engine/framework.hpp) — and the
// maxima as they apply. Setting them advises the procedure again: it is chosen on the
// maxima over the whole duration (R2121-1, R2121-8).
#include <cstdint>
#include <optional>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/framework.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee::usecases {

struct FrameworkView {
  Tender tender;
  std::vector<LotMaximum> lots;  // in the tender's lot order
  std::int64_t version = 0;      // the tender's
};

Result<FrameworkView> framework_view(db::Database& database, std::int64_t tender_id);

// On a draft only (conflict `framework.tender_launched`), on the tender's version read
// when given; audited; the procedure advised again at the tender's launch date.
Result<FrameworkView> set_framework_terms(db::Database& database, const db::Actor& actor,
                                          const ThresholdTable& built_in, std::int64_t tender_id,
                                          const FrameworkTerms& terms, std::optional<std::int64_t> version, Date today);

}  // namespace canopee::usecases
