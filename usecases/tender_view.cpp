#include "usecases/tender_view.hpp"

#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {

Result<TenderView> tender_view(db::Database& database, std::int64_t tender_id) {
  return db::in_snapshot<TenderView>(database, [&](soci::session& sql) -> Result<TenderView> {
    auto tender = db::load_tender(sql, tender_id);
    if (!tender) return db::tender_not_found();
    TenderView view{std::move(*tender), std::nullopt};
    if (view.tender.groupement_id) view.groupement = db::load_groupement(sql, *view.tender.groupement_id);
    return view;
  });
}

}  // namespace canopee::usecases
