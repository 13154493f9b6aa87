#pragma once
// Editing a draft joint tender, as the officer does it before publication: the
// fields the request gave, applied over the tender read, checked and stored on the
// version read (If-Match). The planned launch may not be earlier than the tender's
// creation; a changed lot estimate decides the procedure again (R2121-1), advised at
// the planned launch on the thresholds in force.
#include <cstdint>
#include <optional>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/date.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee::usecases {

struct TenderEdit {
  Tender tender;                        // the tender as read, with the request's fields applied
  bool launch_date_given = false;       // the request set a planned launch
  std::optional<std::int64_t> version;  // If-Match; else the version read
};

// `read` is the tender as the caller read it (the access check's read); only a draft
// is edited (tender.not_draft), its period fixed once its lots are made.
Result<Tender> edit_tender(db::Database& database, const db::Actor& actor, const ThresholdTable& built_in,
                           const Tender& read, TenderEdit edit, Date today);

}  // namespace canopee::usecases
