#include "usecases/needs_import.hpp"

#include "adapters/db/cpv_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/formats/needs_csv.hpp"

namespace canopee::usecases {

Result<NeedsImport> import_needs(db::Database& database, const db::Actor& actor, const CpvNomenclature& nomenclature,
                                 std::int64_t member_id, NeedStatus status, std::string_view csv,
                                 std::optional<Date> today) {
  const auto started = std::chrono::steady_clock::now();
  CANOPEE_TRY(needs, formats::parse_needs_csv(csv, nomenclature, member_id, status));
  if (today) {
    for (auto& need : needs) {
      if (!need.reference_date) need.reference_date = *today;
    }
  }
  const auto read = std::chrono::steady_clock::now();
  CANOPEE_TRY(ids, db::insert_needs_bulk(database, actor, needs));
  return NeedsImport{std::move(ids), read - started, std::chrono::steady_clock::now() - read};
}

Result<NeedsImport> import_member_needs(db::Database& database, const db::Actor& actor, std::string_view member_code,
                                        NeedStatus status, std::string_view csv) {
  CANOPEE_TRY(member, db::get_member_by_code(database, std::string(member_code)));
  CANOPEE_TRY(nomenclature, db::load_nomenclature(database));
  return import_needs(database, actor, nomenclature, member.id, status, csv);
}

}  // namespace canopee::usecases
