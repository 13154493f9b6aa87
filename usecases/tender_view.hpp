#pragma once
// A joint tender as its page shows it: the tender with its lots and, for a groupement
// tender, the groupement's convention (members and their signatures), read in one
// snapshot so that the two agree.
#include <cstdint>
#include <optional>

#include "adapters/db/database.hpp"
#include "engine/groupement.hpp"
#include "engine/tender.hpp"

namespace canopee::usecases {

struct TenderView {
  Tender tender;
  std::optional<Groupement> groupement;  // none for a centrale or a tender made before conventions
};

Result<TenderView> tender_view(db::Database& database, std::int64_t tender_id);

}  // namespace canopee::usecases
